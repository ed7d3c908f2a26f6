"""Remove tickets and Change ticket type in Ticket operations, in a real browser: "one of us
can't come" and "two adults instead of two children", with what is due or to refund said
before confirming and shown on the order afterwards."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from boxoffice.core.models import Order, Ticket
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services import changes
from boxoffice.core.services import orders as order_services

from .test_order_actions import forged_post, order_path
from .test_ticket_operations import choose, confirm, open_operations

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_ticket_removed_says_no_automatic_refund_and_leaves_the_refund_due(portal, operator, sell, timeslot):
    order = sell(3)  # 3 × 17.50 paid by card
    gone, *kept = order.tickets.values_list("barcode", flat=True)
    page = portal.login(operator)
    open_operations(portal, page, order)
    choose(page, [gone], "Remove tickets")
    notice = page.locator("#consequences")
    expect(notice).to_contain_text("1 ticket will be void")
    expect(notice).to_contain_text("There will be no automatic refund.")
    expect(notice).to_contain_text("EUR 17.50 would then be due back to the buyer")

    assert confirm(page, "Remove tickets").status == 422  # no reason given
    expect(page.get_by_role("alert")).to_contain_text("Say why the tickets are removed")
    assert Ticket.objects.get(barcode=gone).state == "unscanned"

    page.get_by_label("Reason").fill("One of us cannot come")
    page.get_by_role("button", name="Confirm: Remove tickets").click()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("status")).to_contain_text("1 ticket removed. EUR 17.50 to refund")
    payment = page.locator("#money-h").locator("..")
    expect(payment.get_by_role("row", name=re.compile("Removed: 1 × Adult"))).to_contain_text("-17.50")
    expect(page.get_by_role("table", name="Balance").get_by_role("row", name=re.compile("^To refund"))).to_contain_text(
        "EUR 17.50"
    )
    expect(page.locator("ol.timeline")).to_contain_text(
        "removed tickets (no refund): 1 ticket, total 52.50 → 35.00 (“One of us cannot come”)"
    )
    assert Ticket.objects.get(barcode=gone).void_reason == "removed"
    assert set(Ticket.objects.filter(barcode__in=kept).values_list("state", flat=True)) == {"unscanned"}
    timeslot.refresh_from_db()
    assert timeslot.sold == 2


def test_two_children_become_adults_and_the_difference_is_collected(portal, operator, sell, child, adult):
    order = sell(2, ticket_type=child, payment_method="cash")  # 2 × 8.00
    barcodes = list(order.tickets.values_list("barcode", flat=True))
    page = portal.login(operator)
    open_operations(portal, page, order)
    choose(page, barcodes, "Change ticket type")
    new_type = page.get_by_label("New ticket type")
    expect(new_type.locator("option")).to_have_text(["Adult · EUR 17.50 each · then EUR 19.00 due"])
    page.get_by_role("button", name="Confirm: Change ticket type").click()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("status")).to_contain_text("2 tickets changed to Adult. EUR 19.00 due (Register payment)")
    expect(page.locator("#balance-due")).to_have_text("EUR 19.00")
    assert sorted(Order.objects.get(pk=order.pk).tickets.values_list("barcode", flat=True)) == sorted(barcodes)

    page.get_by_role("link", name="Register payment").click()
    page.get_by_role("button", name="Register payment").click()
    expect(page.get_by_role("status")).to_contain_text("the order is paid")
    assert balance_of(Order.objects.get(pk=order.pk)).due == Decimal("0.00")


def test_a_viewer_cannot_remove_tickets_even_by_a_forged_post(portal, viewer, sell):
    order = sell(2)
    barcode = order.tickets.first().barcode
    page = portal.login(viewer)
    portal.order(order)
    answer = forged_post(portal, page, order_path(order, "ticket-operations/"),
                         {"action": "remove", "tickets": barcode, "reason": "forged"})  # fmt: skip
    assert answer.status == 403
    assert Ticket.objects.get(barcode=barcode).state == "unscanned"


def test_refunds_due_lists_what_to_give_back_and_empties_as_refunds_are_recorded(
    portal, admin, operator, sell, child, other_org
):
    removed = sell(2, email="gone@example.test", name="Gone Visitor")
    order_services.remove_order(removed, actor=operator, reason="Ill")
    cheaper = sell(1, email="child@example.test", name="Cheaper Visitor")
    changes.change_ticket_type(cheaper, barcodes=[cheaper.tickets.get().barcode], to_type=child.pk, actor=operator)
    sell(1, email="settled@example.test", name="Settled Visitor")  # nothing to give back
    stranger = other_org.sell(1)
    order_services.remove_order(stranger, actor=other_org.admin, reason="The buyer cannot come")

    page = portal.login(admin)
    page.get_by_role("link", name="Refunds due").click()
    expect(page.get_by_role("heading", name="Refunds due")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("row", name=re.compile(removed.code))).to_contain_text("EUR 35.00")
    expect(page.get_by_role("row", name=re.compile(cheaper.code))).to_contain_text("EUR 9.50")
    expect(page.locator("main")).not_to_contain_text(stranger.code)

    page.get_by_role("link", name=f"Record refund for order {cheaper.code}").click()
    page.get_by_label("Amount").fill("9.50")
    page.get_by_label("Refunded by").fill("card")
    page.get_by_label("Reason").fill("Child ticket instead of adult")
    page.get_by_role("button", name="Record refund").click()
    page.wait_for_url(re.compile("/refunds-due/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Refund of EUR 9.50 (card) recorded on order {cheaper.code}")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(removed.code)


def test_an_operator_has_no_refunds_due_page(portal, operator):
    page = portal.login(operator)
    expect(page.get_by_role("link", name="Refunds due")).to_have_count(0)
    with page.expect_response(lambda r: r.url.endswith("/refunds-due/")) as answer:
        portal.go(f"o/{operator.organizer.slug}/refunds-due/")
    assert answer.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("refund")
    assert page.url.endswith("/refunds-due/")


def test_the_difference_is_collected_at_the_desk_in_payment_and_delivery(portal, operator, sell, child, adult):
    order = sell(2, ticket_type=child, payment_method="cash")  # 2 × 8.00
    changes.change_ticket_type(order, barcodes=list(order.tickets.values_list("barcode", flat=True)),
                               to_type=adult.pk, actor=operator)  # fmt: skip
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Edit order").click()
    page.get_by_role("button", name="next", exact=True).click()
    expect(page.locator("#edit-due")).to_have_text("EUR 19.00 due")
    page.get_by_label("Cash now").check()
    page.get_by_label("Cash tendered").fill("15")
    expect(page.locator("#cash-change")).to_have_text("EUR 4.00 short")
    page.get_by_label("Cash tendered").fill("20")
    expect(page.locator("#cash-change")).to_have_text("Change EUR 1.00")
    page.get_by_role("button", name="Finish purchase").click()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.locator(".flash")).to_contain_text("EUR 19.00 collected (cash, change EUR 1.00)")
    expect(page.locator("#balance-settled")).to_have_text("settled")
    assert balance_of(Order.objects.get(pk=order.pk)).due == Decimal("0.00")
