"""The help article "How can I change orders?", step by step in a real browser, with the
button names it uses, checking what the operator sees, what the database holds and what the
buyer's mailbox (a real SMTP server) receives. Then: a new sale, and every way to look up an
order."""

import re

import pytest
from playwright.sync_api import expect
from smtp_server import smtp, smtp_down  # noqa: F401 — fixtures

from boxoffice.core.models import Refund, Ticket
from boxoffice.core.services import team
from boxoffice.core.services.scanning import scan_ticket
from boxoffice.delivery.worker import run_until_empty
from documents.pdf import page_count, text, ticket_barcodes

pytestmark = pytest.mark.django_db(transaction=True)


def live(order) -> list[str]:
    return list(order.tickets.exclude(state="void").order_by("pk").values_list("barcode", flat=True))


def attachment(received, name: str) -> bytes:
    (part,) = [p for p in received.email.iter_attachments() if p.get_filename() == name]
    return part.get_content()


def bulk(page, barcodes: list[str], action: str):
    if not page.get_by_label("Select bulk action").count():
        page.get_by_role("link", name="Ticket operations").click()
    for barcode in barcodes:
        page.get_by_label(f"Select ticket {barcode}").check()
    page.get_by_label("Select bulk action").select_option(label=action)
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("button", name=f"Confirm: {action}").click()


def test_every_step_of_the_help_article(portal, operator, organizer, sell, timeslot, other_timeslot, smtp):
    order = sell(3, email="ann@example.test", name="Ann Buyer", phone="06 1234 5678")
    other_order = sell(1, email="ann@example.test", name="Ann Buyer")
    gate, _ = team.create_device(organizer, name="Gate A scanner", gate="Gate A")
    page = portal.login(operator)

    # Find the order in the boxoffice portal.
    page.get_by_label("Search").fill("ann@example.test")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=order.code).click()
    expect(page.get_by_role("heading", name=re.compile(f"Order {order.code}"))).to_be_visible()

    # Click 'Send Ticket(s)' and then 'Finish purchase' to re-send the tickets.
    page.get_by_role("link", name="Send Ticket(s)").click()
    page.get_by_role("button", name="Finish purchase").click()
    expect(page.get_by_role("status")).to_contain_text("Tickets queued for ann@example.test")
    run_until_empty()
    mail = smtp.received[-1]
    assert mail.rcpt_tos == ["ann@example.test"]
    assert sorted(ticket_barcodes(attachment(mail, f"tickets-{order.code}.pdf"))) == sorted(live(order))
    page.reload()
    expect(page.locator(".message")).to_contain_text("Sent")

    # Click 'Send payment receipt' and then 'Finish purchase' to re-send the payment receipt.
    page.get_by_role("link", name="Send payment receipt").click()
    page.get_by_role("button", name="Finish purchase").click()
    run_until_empty()
    receipt = attachment(smtp.received[-1], f"receipt-{order.code}.pdf")
    assert order.code in text(receipt) and "52.50" in text(receipt)

    # Click 'Download Ticket(s)' to download the tickets.
    portal.order(order)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Ticket(s)").first.click()
    pdf = open(download.value.path(), "rb").read()
    assert page_count(pdf) == 3 and sorted(ticket_barcodes(pdf)) == sorted(live(order))

    # Add a comment: 'buyer' appears with every purchase of this buyer, 'purchase' only here.
    form = page.locator("#add-comment")
    form.get_by_role("radio", name=re.compile("^buyer")).check()
    form.get_by_label("Comment").fill("Prefers to be called, not emailed")
    form.get_by_role("button", name="Add comment").click()
    form = page.locator("#add-comment")
    form.get_by_role("radio", name=re.compile("^purchase")).check()
    form.get_by_label("Comment").fill("Refund discussed on the phone")
    form.get_by_role("button", name="Add comment").click()
    portal.order(other_order)
    expect(page.locator(".buyer-comments")).to_contain_text("Prefers to be called, not emailed")
    expect(page.get_by_text("Refund discussed on the phone")).to_have_count(0)

    # 'Ticket operations': select tickets, then each option under 'Select bulk action'.
    portal.order(order)
    first, second, third = live(order)
    bulk(page, [first], "Scanned in")
    assert Ticket.objects.get(barcode=first).state == "scanned_in"
    bulk(page, [first], "Scanned out")
    assert Ticket.objects.get(barcode=first).state == "scanned_out"
    bulk(page, [first], "Unscanned")
    assert Ticket.objects.get(barcode=first).state == "unscanned"
    bulk(page, [second], "Blacklisted")
    assert scan_ticket(gate, barcode=second, direction="in").message == "ticket is blacklisted"
    page.get_by_label(f"Select ticket {third}").check()
    page.get_by_label("Select bulk action").select_option(label="Download tickets")
    with page.expect_download() as download:
        page.get_by_role("button", name="Apply").click()
    assert ticket_barcodes(open(download.value.path(), "rb").read()) == [third]
    bulk(page, [first], "Reissue tickets")
    new = live(order)
    assert len(new) == 3 and not set(new) & {first, second, third}
    notice = page.locator("#send-new-tickets")
    expect(notice).to_contain_text("The new tickets have not been sent")
    expect(notice.get_by_role("link", name="Send Ticket(s)")).to_be_visible()

    # Reschedule: the pencil icon, "Buy tickets", "Pick time blocks", "next"; then
    # "Payment & Delivery" with "Send tickets" active and "Finish purchase".
    portal.order(order)
    page.get_by_role("link", name="Edit order").click()
    expect(page.locator(".steps [aria-current=step]")).to_have_text("1 Buy tickets")
    page.get_by_role("link", name="Pick time blocks").click()
    page.get_by_role("radio", name=re.compile("^11:00–12:00")).check()
    page.get_by_role("button", name="next", exact=True).click()
    expect(page.get_by_role("heading", name="4 Payment & Delivery")).to_be_visible()
    assert set(order.tickets.exclude(state="void").values_list("timeslot_id", flat=True)) == {other_timeslot.pk}
    page.get_by_role("switch", name="Send tickets").check()
    page.get_by_role("button", name="Finish purchase").click()
    run_until_empty()
    updated = attachment(smtp.received[-1], f"tickets-{order.code}.pdf")
    blacklisted = Ticket.objects.get(replaces__barcode=second).barcode  # the reissue kept the blacklisting
    assert Ticket.objects.get(barcode=blacklisted).state == "blacklisted"
    assert sorted(ticket_barcodes(updated)) == sorted(set(new) - {blacklisted})  # blacklisted tickets are not sent
    assert "11:00–12:00" in text(updated)

    # Removing a purchase: there WON'T be an automatic refund.
    portal.order(order)
    page.get_by_role("link", name="Remove purchase").click()
    expect(page.get_by_text("There will be no automatic refund")).to_be_visible()
    page.get_by_label("Reason").fill("The buyer cannot come")
    page.get_by_role("button", name=re.compile("Remove purchase")).click()
    expect(page.get_by_role("heading", name=re.compile(f"Order {order.code}"))).to_contain_text("Removed")
    order.refresh_from_db()
    assert order.status == "removed" and not order.tickets.exclude(state="void").exists()
    assert not Refund.objects.filter(order=order).exists()
    assert scan_ticket(gate, barcode=new[0], direction="in").reason == "purchase_removed"


@pytest.mark.parametrize("kind", ["code", "email", "name", "phone", "barcode"])
def test_an_order_is_found_by_each_identifier(portal, operator, sell, kind):
    order = sell(2, email="Bea.Visser@Example.test", name="Beatrix Visser", phone="+31 6 8765 4321")
    sell(1, email="someone@else.test", name="Someone Else", phone="0612121212")
    term = {
        "code": order.code.lower(),
        "email": "bea.visser@example.test",
        "name": "trix viss"[:4],
        "phone": "06-8765 4321",
        "barcode": order.tickets.first().barcode,
    }[kind]
    page = portal.login(operator)
    page.get_by_label("Search").fill(term)
    page.keyboard.press("Enter")
    # One match opens the order straight away.
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("heading", name=re.compile(order.code))).to_be_visible()
