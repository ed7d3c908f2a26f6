"""The order page's actions, as an operator clicks them (help article "How can I change orders?",
SPEC §3.2–3.6): Send Ticket(s) / Send payment receipt → Finish purchase, Download Ticket(s),
Add comment, Remove purchase, Record refund, Send again; and what a viewer may not do."""

import json
import re
from decimal import Decimal

import pytest
from documents.pdf import page_count, page_texts, ticket_barcodes
from playwright.sync_api import expect

from boxoffice.core.models import AuditEntry, Comment, Message, Order, Refund, Ticket
from boxoffice.core.services import orders, tickets

pytestmark = pytest.mark.django_db(transaction=True)


def forged_post(portal, page, path: str, form: dict | None = None):
    """A POST the page offers no button for, with the signed-in user's session and CSRF token."""
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    return page.request.post(f"{portal.url}/{path}", form=form or {}, headers={"X-CSRFToken": token})


def order_path(order, action: str = "") -> str:
    return f"o/{order.organizer.slug}/orders/{order.code}/{action}"


def download(page, link_name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value


def test_send_tickets_then_finish_purchase_queues_the_valid_tickets_for_the_buyer(portal, operator, sell):
    order = sell(2, email="bea@example.test", name="Bea Visser")
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Send Ticket(s)").click()
    expect(page.get_by_role("heading", name=re.compile("Send Ticket\\(s\\)"))).to_be_visible()
    expect(page.locator(".recipient")).to_have_text("bea@example.test")
    for ticket in order.tickets.all():
        expect(page.get_by_role("cell", name=ticket.barcode)).to_be_visible()
    assert not Message.objects.filter(order=order).exists()  # the first page only shows what will be sent

    page.get_by_role("button", name="Finish purchase").click()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("status")).to_contain_text("Tickets queued for bea@example.test")
    message = page.locator(".message")
    expect(message).to_contain_text("Tickets to bea@example.test")
    expect(message).to_contain_text("Queued")
    sent = Message.objects.get(order=order)
    assert (sent.kind, sent.to, sent.status) == ("tickets", "bea@example.test", "queued")
    assert AuditEntry.objects.filter(order=order, action="order.send_tickets", actor=operator).count() == 1


def test_send_payment_receipt_then_finish_purchase_queues_a_receipt(portal, operator, sell):
    order = sell(1)
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Send payment receipt").click()
    expect(page.get_by_role("heading", name=re.compile("Send payment receipt"))).to_be_visible()
    expect(page.get_by_text("with the payment receipt as a PDF attachment")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Total"))).to_contain_text("17.50")
    page.get_by_role("button", name="Finish purchase").click()
    expect(page.get_by_role("status")).to_contain_text("Payment receipt queued for ann@example.test")
    expect(page.locator(".message")).to_contain_text("Payment receipt to ann@example.test")
    sent = Message.objects.get(order=order)
    assert (sent.kind, sent.status) == ("receipt", "queued")


def test_tickets_of_a_removed_order_are_not_sent_and_the_step_page_says_why(portal, operator, sell):
    order = sell(2)
    orders.remove_order(order, actor=operator, reason="The buyer cannot come")
    page = portal.login(operator)
    portal.go(order_path(order, "send/tickets/"))
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Finish purchase").click()
    assert answer.value.status == 409
    expect(page.get_by_role("alert")).to_contain_text(f"Order {order.code} was removed")
    assert not Message.objects.filter(order=order).exists()
    response = page.goto(f"{portal.url}/{order_path(order, 'send/invoice/')}")
    assert response.status == 404


def test_download_tickets_gives_one_page_per_valid_ticket_with_its_qr_code(portal, operator, sell):
    order = sell(3)
    new = tickets.reissue_tickets(order, actor=operator)  # the three old tickets are void now
    page = portal.login(operator)
    portal.order(order)
    file = download(page, "Download Ticket(s)")
    assert file.suggested_filename == f"tickets-{order.code}.pdf"
    content = open(file.path(), "rb").read()
    assert page_count(content) == 3
    assert ticket_barcodes(content) == [t.barcode for t in new]


def test_payment_receipt_downloads_as_a_pdf_with_the_order_code(portal, operator, sell):
    order = sell(2)
    page = portal.login(operator)
    portal.order(order)
    file = download(page, "Download payment receipt (PDF)")
    assert file.suggested_filename == f"receipt-{order.code}.pdf"
    content = open(file.path(), "rb").read()
    assert order.code in page_texts(content)[0]
    assert "35.00" in page_texts(content)[0]


def test_buyer_comment_shows_on_the_buyers_other_order_and_purchase_comment_only_on_this_one(
    portal, operator, sell
):
    order = sell(1, email="bea@example.test", name="Bea Visser")
    other = sell(1, email="bea@example.test", name="Bea Visser")
    page = portal.login(operator)
    portal.order(order)
    form = page.locator("#add-comment")
    form.get_by_label(re.compile(r"^\s*buyer")).check()
    form.get_by_label("Comment", exact=True).fill("Needs a wheelchair space")
    form.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("Buyer comment added")
    form.get_by_label(re.compile(r"^\s*purchase")).check()
    form.get_by_label("Comment", exact=True).fill("Refunded one ticket by phone")
    form.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("status")).to_contain_text("Purchase comment added")
    expect(page.locator(".buyer-comments")).to_contain_text("Needs a wheelchair space")
    expect(page.get_by_role("region", name="Purchase comments")).to_contain_text("Refunded one ticket by phone")

    portal.order(other)
    expect(page.locator(".buyer-comments")).to_contain_text("Needs a wheelchair space")
    expect(page.get_by_text("Refunded one ticket by phone")).to_have_count(0)
    buyer_note = Comment.objects.get(scope="buyer")
    assert (buyer_note.buyer_id, buyer_note.order_id) == (order.buyer_id, None)
    assert Comment.objects.get(scope="purchase").order_id == order.pk
    assert AuditEntry.objects.filter(order=order, action__startswith="comment.").count() == 2


def test_a_blank_comment_is_refused_next_to_the_comment_form(portal, operator, sell):
    order = sell(1)
    page = portal.login(operator)
    portal.order(order)
    form = page.locator("#add-comment")
    form.get_by_label(re.compile(r"^\s*buyer")).check()
    form.get_by_label("Comment", exact=True).fill("   ")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Add comment").click()
    assert answer.value.status == 422
    expect(form.get_by_role("alert")).to_contain_text("A comment needs some text")
    expect(form.get_by_label(re.compile(r"^\s*buyer"))).to_be_checked()  # the operator's choice is kept
    assert not Comment.objects.exists()


def test_remove_purchase_says_there_is_no_automatic_refund_then_voids_every_ticket(portal, operator, sell, timeslot):
    order = sell(2)
    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Remove purchase").click()
    expect(page.get_by_role("heading", name=re.compile("Remove purchase"))).to_be_visible()
    expect(page.locator("#no-refund")).to_contain_text("There will be no automatic refund")
    expect(page.get_by_text("2 tickets will be void")).to_be_visible()
    expect(page.get_by_text(re.compile("2 places will be released"))).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == "paid"  # nothing happens before confirming

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Remove purchase").click()
    assert answer.value.status == 422  # a removal says why
    expect(page.get_by_role("alert")).to_contain_text("Say why the purchase is removed")
    assert Order.objects.get(pk=order.pk).status == "paid"
    page.get_by_label("Reason").fill("The buyer cannot come")
    page.get_by_role("button", name="Remove purchase").click()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("status")).to_contain_text("No refund was made")
    expect(page.locator("h1 .badge")).to_have_text("Removed")
    expect(page.get_by_role("link", name="Remove purchase")).to_have_count(0)
    assert Order.objects.get(pk=order.pk).status == "removed"
    assert set(order.tickets.values_list("state", flat=True)) == {"void"}
    assert not Refund.objects.filter(order=order).exists()
    timeslot.refresh_from_db()
    assert timeslot.sold == 0
    assert AuditEntry.objects.filter(order=order, action="order.removed").count() == 1


def test_admin_records_a_refund_after_removing_and_cannot_refund_more_than_paid(portal, admin, sell):
    order = sell(2)  # 35.00 paid by card
    orders.remove_order(order, actor=admin, reason="The buyer cannot come")
    page = portal.login(admin)
    portal.order(order)
    page.get_by_role("link", name="Record refund").click()
    expect(page.locator("#refundable")).to_have_text("EUR 35.00")
    page.get_by_label("Amount").fill("50.00")
    page.get_by_label("Refunded by").fill("card")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Record refund").click()
    assert answer.value.status == 422  # a refund says why
    expect(page.get_by_role("alert")).to_contain_text("Say why the money is paid back")
    page.get_by_label("Reason").fill("Museum closed that day")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Record refund").click()
    assert answer.value.status == 409
    expect(page.locator("#refund-error")).to_contain_text("At most 35.00 EUR can be refunded")
    assert not Refund.objects.exists()

    page.get_by_label("Amount").fill("20.00")
    page.get_by_role("button", name="Record refund").click()
    expect(page.get_by_role("status")).to_contain_text("Refund of EUR 20.00 (card) recorded")
    balance = page.get_by_role("table", name="Balance")
    expect(balance.get_by_role("row", name=re.compile("^Refunded"))).to_contain_text("20.00")
    expect(balance.get_by_role("row", name=re.compile("^To refund"))).to_contain_text("15.00")  # removed: the rest is owed back
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.method, refund.reason) == (Decimal("20.00"), "card", "Museum closed that day")
    assert AuditEntry.objects.filter(order=order, action="order.refunded", actor=admin).count() == 1

    page.get_by_role("link", name="Record refund").click()
    page.get_by_label("Amount").fill("15.00")
    page.get_by_label("Refunded by").fill("card")
    page.get_by_label("Reason").fill("Museum closed that day")
    page.get_by_role("button", name="Record refund").click()
    expect(page.get_by_role("status")).to_contain_text("Refund of EUR 15.00 (card) recorded")
    expect(page.get_by_role("link", name="Record refund")).to_have_count(0)  # nothing left to give back


def test_an_unpaid_order_offers_no_refund_and_its_removal_says_nothing_was_paid(portal, admin, sell):
    order = sell(1, payment_method="invoice")
    page = portal.login(admin)
    portal.order(order)
    expect(page.get_by_role("link", name="Register payment")).to_be_visible()
    expect(page.get_by_role("link", name="Record refund")).to_have_count(0)
    page.get_by_role("link", name="Remove purchase").click()
    expect(page.locator("#no-refund")).to_contain_text("Nothing was paid on this order.")


def test_an_operator_sees_no_record_refund_and_a_forged_refund_is_refused(portal, operator, sell):
    order = sell(2)
    page = portal.login(operator)
    portal.order(order)
    expect(page.get_by_role("link", name="Send Ticket(s)")).to_be_visible()
    expect(page.get_by_role("link", name="Record refund")).to_have_count(0)
    response = page.goto(f"{portal.url}/{order_path(order, 'refund/')}")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("may not record refunds")

    answer = forged_post(portal, page, order_path(order, "refund/"), {"amount": "10.00", "method": "cash", "reason": "Goodwill"})
    assert answer.status == 403
    assert "may not record refunds" in answer.text()
    assert not Refund.objects.exists()
    assert not AuditEntry.objects.filter(action="order.refunded").exists()


def test_send_again_queues_a_failed_email_once_more(portal, operator, sell):
    order = sell(1)
    failed = orders.send_tickets(order, actor=operator)
    Message.objects.filter(pk=failed.pk).update(status="failed", attempts=4, last_error="Mailbox unavailable")
    page = portal.login(operator)
    portal.order(order)
    message = page.locator(".message")
    expect(message).to_contain_text("Failed")
    expect(message).to_contain_text("Mailbox unavailable")
    message.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("status")).to_contain_text("Tickets queued again for ann@example.test")
    expect(page.locator(".message")).to_contain_text("Queued")
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert AuditEntry.objects.filter(order=order, action="message.resent").count() == 1


def test_a_viewer_sees_no_action_buttons_and_forged_changes_are_refused(portal, viewer, sell):
    order = sell(2)
    page = portal.login(viewer)
    portal.order(order)
    for name in ("Send Ticket(s)", "Send payment receipt", "Remove purchase", "Ticket operations", "Record refund"):
        expect(page.get_by_role("link", name=name)).to_have_count(0)
    expect(page.locator("#add-comment")).to_have_count(0)
    file = download(page, "Download Ticket(s)")  # reading is allowed
    assert page_count(open(file.path(), "rb").read()) == 2

    for action, form in [
        ("send/tickets/", {}),
        ("remove/", {"reason": "forged"}),
        ("comments/", {"scope": "purchase", "text": "sneaky"}),
    ]:
        answer = forged_post(portal, page, order_path(order, action), form)
        assert answer.status == 403, action
        assert "may not change orders" in answer.text()
    order.refresh_from_db()
    assert order.status == "paid"
    assert set(Ticket.objects.filter(order=order).values_list("state", flat=True)) == {"unscanned"}
    assert not Message.objects.exists()
    assert not Comment.objects.exists()
    response = page.goto(f"{portal.url}/{order_path(order, 'remove/')}")
    assert response.status == 403
