"""The purchase wizard in a real browser: selling at the desk (Sell tickets) and moving an
order to another time block from its pencil icon, as the help article describes."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from boxoffice.core.models import AuditEntry, Buyer, Message, Order, Ticket
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

pytestmark = pytest.mark.django_db(transaction=True)


def slot_radio(page, label: str):
    return page.get_by_role("radio", name=re.compile(f"^{re.escape(label)}"))


def click_and_status(page, locator) -> int:
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value.status


def tickets_step(page, quantities: dict, slot: str):
    for name, quantity in quantities.items():
        page.get_by_label(name, exact=True).fill(str(quantity))
    page.get_by_role("link", name="Pick time blocks").click()
    slot_radio(page, slot).check()
    page.get_by_role("button", name="next", exact=True).click()


def buyer_step(page, email: str, name: str = "", phone: str = ""):
    expect(page.get_by_role("heading", name="2 Buyer details")).to_be_visible()
    page.get_by_label("Email").fill(email)
    if name:
        page.get_by_label("Name").fill(name)
    if phone:
        page.get_by_label("Phone").fill(phone)


def test_a_new_sale_creates_a_paid_order_with_its_tickets_in_the_picked_time_block(
    portal, operator, adult, child, timeslot, other_timeslot
):
    page = portal.login(operator)
    page.get_by_role("link", name="Sell tickets").click()
    expect(page.get_by_role("heading", name="1 Buy tickets")).to_be_visible()
    expect(page.locator(".steps li")).to_have_text(["1 Buy tickets", "2 Buyer details", "3 Review", "4 Payment & Delivery"])
    expect(slot_radio(page, "11:00–12:00")).to_be_enabled()
    expect(page.locator(".bar")).to_contain_text("100 places left")
    tickets_step(page, {"Adult": 2, "Child": 1}, "11:00–12:00")

    buyer_step(page, "nina@example.test", "Nina Nieuw", "+31 6 1234 5678")
    expect(page.locator("#buyer-match")).to_contain_text("New buyer")
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="next", exact=True).click()

    expect(page.get_by_role("heading", name="3 Review")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"Adult 2 EUR 17\.50 EUR 35\.00"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"Child 1 EUR 8\.00 EUR 8\.00"))).to_be_visible()
    expect(page.locator("#review-total")).to_have_text("EUR 43.00")
    expect(page.locator("#review-slot")).to_have_text("Mon 1 Mar 2027 11:00–12:00")
    expect(page.locator("#review-buyer")).to_contain_text("Nina Nieuw (new buyer)")
    page.get_by_role("button", name="next", exact=True).click()

    expect(page.get_by_role("heading", name="4 Payment & Delivery")).to_be_visible()
    page.get_by_label("Card").check()
    page.get_by_role("switch", name="Send tickets").check()
    page.get_by_role("switch", name="Send payment receipt").uncheck()
    page.get_by_role("button", name="Finish purchase").click()

    order = Order.objects.get()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.locator(".flash")).to_contain_text(f"Sold order {order.code}: 3 tickets for Mon 1 Mar 2027 11:00–12:00")
    expect(page.locator(".flash")).to_contain_text("tickets sent to nina@example.test")
    assert (order.status, order.payment_method, order.total) == ("paid", "card", Decimal("43.00"))
    assert order.payments.get().amount == Decimal("43.00")
    assert (order.buyer.name, order.buyer.phone, order.buyer.language) == ("Nina Nieuw", "+31 6 1234 5678", "nl")
    tickets = list(order.tickets.all())
    assert sorted(t.ticket_type.name for t in tickets) == ["Adult", "Adult", "Child"]
    assert {t.timeslot_id for t in tickets} == {other_timeslot.pk}
    other_timeslot.refresh_from_db(), timeslot.refresh_from_db()
    assert (other_timeslot.sold, timeslot.sold) == (3, 0)
    assert list(order.messages.values_list("kind", "status", "to")) == [("tickets", "queued", "nina@example.test")]
    assert AuditEntry.objects.filter(order=order, action="order.sold").count() == 1
    for ticket in tickets:
        expect(page.get_by_role("cell", name=ticket.barcode)).to_be_visible()


def test_an_existing_buyer_is_found_by_email_and_not_duplicated(portal, operator, sell, adult, timeslot):
    first = sell(1, email="ann@example.test", name="Ann Buyer", phone="+31 6 12345678")
    page = portal.login(operator)
    page.get_by_role("link", name="Sell tickets").click()
    page.get_by_label("Adult", exact=True).fill("1")
    slot_radio(page, "10:00–11:00").check()
    page.get_by_role("link", name="Next week →").click()  # looking around keeps the pick
    expect(page.locator(".picked-note")).to_have_text("Picked: Mon 1 Mar 2027 10:00–11:00 (on another day)")
    page.get_by_role("button", name="next", exact=True).click()

    page.get_by_label("Email").fill("Ann@Example.test")
    page.get_by_label("Email").press("Tab")
    expect(page.locator("#buyer-match")).to_contain_text("Existing buyer: Ann Buyer")
    expect(page.get_by_label("Name")).to_have_value("Ann Buyer")
    expect(page.get_by_label("Phone")).to_have_value("+31 6 12345678")
    page.get_by_role("button", name="next", exact=True).click()
    expect(page.locator("#review-buyer")).to_contain_text("Ann Buyer (existing buyer)")
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_label("Cash", exact=True).check()
    page.get_by_role("button", name="Finish purchase").click()
    page.wait_for_url(re.compile(r"/orders/\w+/$"))

    second = Order.objects.exclude(pk=first.pk).get()
    assert Buyer.objects.count() == 1
    assert second.buyer_id == first.buyer_id
    assert (second.payment_method, second.status, second.tickets.count()) == ("cash", "paid", 1)


def test_a_sale_into_a_time_block_filled_meanwhile_is_refused_on_step_1_and_creates_nothing(
    portal, operator, sell, adult, make_timeslot
):
    small = make_timeslot(capacity=2)  # Tue 2 Mar 2027 14:00–15:00
    page = portal.login(operator)
    page.get_by_role("link", name="Sell tickets").click()
    page.get_by_label("Adult", exact=True).fill("2")
    page.get_by_role("link", name=re.compile("Tuesday 2 March 2027")).click()
    slot_radio(page, "14:00–15:00").check()
    page.get_by_role("button", name="next", exact=True).click()
    buyer_step(page, "late@example.test", "Late Comer")
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_label("Card").check()

    taken = sell(2, slot=small, email="quick@example.test")  # another desk sells the last places
    status = click_and_status(page, page.get_by_role("button", name="Finish purchase"))

    assert status == 409
    expect(page.get_by_role("heading", name="1 Buy tickets")).to_be_visible()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("has 0 places left; 2 requested")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()  # not below the fold while the page sits at its top
    expect(slot_radio(page, "14:00–15:00")).to_be_disabled()
    expect(page.locator(".slot.full")).to_contain_text("Full")
    assert list(Order.objects.values_list("pk", flat=True)) == [taken.pk]
    assert not Buyer.objects.filter(email="late@example.test").exists()
    assert Ticket.objects.count() == 2 and Message.objects.count() == 0
    small.refresh_from_db()
    assert small.sold == 2


def test_pencil_icon_reschedules_on_next_and_finish_purchase_sends_the_updated_tickets(
    portal, operator, sell, timeslot, other_timeslot
):
    order = sell(3, email="ann@example.test")
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Edit order").click()

    expect(page.get_by_role("heading", name=f"Edit order {order.code}")).to_be_visible()
    expect(page.locator(".steps [aria-current=step]")).to_have_text("1 Buy tickets")
    expect(page.get_by_text("Changing the ticket types or quantities of an existing order is not supported")).to_be_visible()
    expect(page.get_by_role("spinbutton")).to_have_count(0)  # lines are read-only
    expect(slot_radio(page, "10:00–11:00")).to_be_checked()
    expect(page.locator(".slot", has_text="10:00–11:00")).to_contain_text("Current time block (3 tickets)")
    page.get_by_role("link", name="Pick time blocks").click()
    slot_radio(page, "11:00–12:00").check()
    page.get_by_role("button", name="next", exact=True).click()

    expect(page.get_by_role("heading", name="4 Payment & Delivery")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Moved 3 tickets")).to_contain_text("Mon 1 Mar 2027 11:00–12:00")
    assert set(order.tickets.values_list("timeslot_id", flat=True)) == {other_timeslot.pk}
    timeslot.refresh_from_db(), other_timeslot.refresh_from_db()
    assert (timeslot.sold, other_timeslot.sold) == (0, 3)
    assert not order.messages.exists()  # moving alone sends nothing

    switch = page.get_by_role("switch", name="Send tickets")
    expect(switch).not_to_be_checked()
    switch.check()
    page.get_by_role("button", name="Finish purchase").click()

    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.locator(".flash")).to_have_text("Moved 3 tickets to Mon 1 Mar 2027 11:00–12:00; tickets sent to ann@example.test.")
    expect(page.locator("ol.timeline")).to_contain_text("moved tickets to another time block: 3 ticket(s)")
    expect(page.locator("ol.timeline")).to_contain_text("sent the tickets")
    assert list(order.messages.values_list("kind", "status")) == [("tickets", "queued")]
    assert AuditEntry.objects.filter(order=order, action="order.rescheduled").count() == 1
    assert AuditEntry.objects.filter(order=order, action="order.send_tickets").count() == 1


def test_rescheduling_into_a_time_block_without_room_shows_the_error_and_changes_nothing(
    portal, operator, sell, timeslot, make_timeslot
):
    order = sell(3, email="ann@example.test")
    target = make_timeslot(capacity=4)  # Tue 2 Mar 2027 14:00–15:00
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Edit order").click()
    page.get_by_role("link", name=re.compile("Tuesday 2 March 2027")).click()  # the next day, same week
    expect(page.locator("#slot-list legend")).to_have_text("Tuesday 2 March 2027")
    slot_radio(page, "14:00–15:00").check()
    sell(2, slot=target, email="quick@example.test")  # meanwhile: 2 places left, 3 needed

    status = click_and_status(page, page.get_by_role("button", name="next", exact=True))

    assert status == 409
    expect(page.get_by_role("heading", name="1 Buy tickets")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("has 2 places left; 3 requested")
    expect(page.locator("#error-summary")).to_be_in_viewport()
    assert set(order.tickets.values_list("timeslot_id", flat=True)) == {timeslot.pk}
    timeslot.refresh_from_db(), target.refresh_from_db()
    assert (timeslot.sold, target.sold) == (3, 2)
    assert not AuditEntry.objects.filter(order=order, action="order.rescheduled").exists()


def test_an_order_with_tickets_in_two_time_blocks_moves_only_the_chosen_ones(
    portal, operator, event, adult, child, timeslot, other_timeslot, make_timeslot
):
    lines = [SaleLine(adult.pk, timeslot.pk, 1), SaleLine(child.pk, other_timeslot.pk, 2)]
    order = sell_order(Sale(event, BuyerDetails("ann@example.test", "Ann Buyer"), lines, "card"), actor=operator)
    target = make_timeslot()  # Tue 2 Mar 2027 14:00–15:00
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Edit order").click()
    expect(page.get_by_role("radio", name="All time blocks")).to_be_checked()
    page.get_by_role("radio", name="Mon 1 Mar 2027 11:00–12:00 (2 tickets)").check()
    page.get_by_role("link", name=re.compile("Tuesday 2 March 2027")).click()
    slot_radio(page, "14:00–15:00").check()
    page.get_by_role("button", name="next", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Moved 2 tickets")).to_be_visible()
    assert sorted(order.tickets.values_list("ticket_type__name", "timeslot_id")) == [
        ("Adult", timeslot.pk), ("Child", target.pk), ("Child", target.pk),
    ]  # fmt: skip
    other_timeslot.refresh_from_db(), target.refresh_from_db()
    assert (other_timeslot.sold, target.sold) == (0, 2)


def test_a_sale_can_be_made_with_the_keyboard_alone_at_tablet_width(portal, operator, adult, timeslot):
    page = portal.login(operator)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.get_by_role("link", name="Sell tickets").click()
    expect(page.get_by_label("Adult", exact=True)).to_be_focused()  # the first quantity
    page.keyboard.type("2")
    for _ in range(40):  # Tab on to the time blocks
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type("kees@example.test")
    page.keyboard.press("Tab")
    page.keyboard.type("Kees Klavier")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="next", exact=True)).to_be_focused()  # on 3 Review
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="4 Payment & Delivery")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.get_by_label("Card").focus()  # the default payment method
    page.keyboard.press("ArrowUp")  # the one before it: Cash
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders/\w+/$"))
    order = Order.objects.get()
    assert (order.buyer.name, order.tickets.count(), order.payment_method) == ("Kees Klavier", 2, "cash")


def test_a_viewer_gets_no_sell_link_and_a_forged_sale_or_move_is_refused(portal, viewer, sell, adult, timeslot, other_timeslot):
    order = sell(1, email="ann@example.test")
    page = portal.login(viewer)
    expect(page.get_by_role("link", name="Sell tickets")).to_have_count(0)
    assert page.goto(f"{portal.url}/o/museum/sell/").status == 403
    expect(page.get_by_role("alert")).to_have_text("Your role (viewer) may not sell tickets.")
    assert page.goto(f"{portal.url}/o/museum/orders/{order.code}/edit/").status == 403

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": portal.url}
    sale = {"payment_method": "card", "send_tickets": "on", f"qty_{adult.pk}": "1", "timeslot": str(timeslot.pk)}
    for step in ("tickets", "payment"):
        response = page.request.post(f"{portal.url}/o/museum/wizard/forged/{step}/", form=sale, headers=headers)
        assert response.status == 403
    response = page.request.post(f"{portal.url}/o/museum/sell/", form={"event": str(order.event_id)}, headers=headers)
    assert response.status == 403
    assert list(Order.objects.values_list("pk", flat=True)) == [order.pk]
    assert Buyer.objects.count() == 1 and order.tickets.filter(timeslot=timeslot).count() == 1


def test_two_open_wizards_keep_their_own_choices(client, operator, adult, child, timeslot, other_timeslot):
    client.force_login(operator.user)
    first = client.get("/o/museum/sell/").url
    second = client.get("/o/museum/sell/").url
    assert first != second
    client.post(first, {f"qty_{adult.pk}": "1", "timeslot": timeslot.pk})
    client.post(second, {f"qty_{child.pk}": "2", "timeslot": other_timeslot.pk})
    for url, email in ((first, "a@example.test"), (second, "b@example.test")):
        client.post(url.replace("/tickets/", "/buyer/"), {"email": email, "name": "Someone", "language": "en"})
    first_review = client.get(first.replace("/tickets/", "/review/")).content.decode()
    second_review = client.get(second.replace("/tickets/", "/review/")).content.decode()
    assert "Adult" in first_review and "Child" not in first_review and "a@example.test" in first_review
    assert "Child" in second_review and "Adult" not in second_review and "b@example.test" in second_review



def test_step_errors_are_summed_up_on_top_in_plain_words_and_go_as_they_are_fixed(portal, operator, event, adult, timeslot, page):
    portal.login(operator)
    portal.go("o/museum/sell/")
    page.get_by_label("Adult", exact=True).fill("-1")
    page.get_by_role("button", name="next", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Adult: the number of tickets can't be below 0.")
    expect(summary).to_contain_text("Pick a time block below.")
    expect(summary).not_to_contain_text("Ensure this value")
    page.get_by_label("Adult", exact=True).fill("3")
    expect(summary).not_to_contain_text("below 0")  # fixed: that error is gone at once
    expect(page.locator("#running-total")).to_have_text("3 tickets · EUR 52.50")


def test_a_fixed_email_loses_its_error_and_the_day_picker_jumps(portal, operator, event, adult, timeslot, page):
    portal.login(operator)
    portal.go("o/museum/sell/")
    page.get_by_label("Go to day").fill("2027-03-01")
    expect(page.locator("#slot-list legend")).to_have_text("Monday 1 March 2027")
    page.get_by_label("Adult", exact=True).fill("1")
    slot_radio(page, "10:00–11:00").check()
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_label("Email").fill("ann@example")
    page.get_by_label("Name").fill("Ann")
    page.get_by_role("button", name="next", exact=True).click()
    expect(page.locator("#error-summary")).to_contain_text("That email address is not complete")
    page.get_by_label("Email").fill("ann@example.test")
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator("#id_email_error")).to_have_count(0)
