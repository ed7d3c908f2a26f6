"""The desk's corrections in Chromium, with the buyer's real mailbox (SMTP on loopback): Edit
buyer and then Send Ticket(s) reaches the corrected address; tickets sent once to another
address; an invoice paid in two parts, with both payments on the receipt."""

import re

import pytest
from documents.pdf import text, ticket_barcodes
from playwright.sync_api import expect
from smtp_server import smtp, smtp_down  # noqa: F401 — fixtures

from boxoffice.core.models import AuditEntry
from boxoffice.delivery.worker import run_until_empty

pytestmark = pytest.mark.django_db(transaction=True)


def _attachment(received, name: str) -> bytes:
    (part,) = [p for p in received.email.iter_attachments() if p.get_filename() == name]
    return part.get_content()


def _live(order) -> list[str]:
    return sorted(order.tickets.exclude(state="void").values_list("barcode", flat=True))


def _finish_send(page, order, *, to: str = "") -> None:
    page.get_by_role("link", name="Send Ticket(s)").click()
    if to:
        page.get_by_label("Send to another address, this once (optional)").fill(to)
    page.get_by_role("button", name="Finish purchase").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.code}/$"))


def test_edit_buyer_then_send_tickets_reaches_the_new_address(portal, operator, sell, smtp, page):
    order = sell(2, email="ann@exampel.test", name="Ann Buyr")
    portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name="Edit buyer").click()
    page.get_by_label("Name").fill("Ann Buyer")
    page.get_by_label("Email").fill("ann@example.test")
    page.get_by_label("Phone").fill("06 1234 5678")
    page.get_by_role("button", name="Save buyer").click()
    expect(page.get_by_role("status")).to_contain_text("Buyer saved: Ann Buyer <ann@example.test>")
    expect(page.get_by_role("region", name="Buyer")).to_contain_text("06 1234 5678")
    expect(page.locator("ol.timeline")).to_contain_text("corrected the buyer")
    _finish_send(page, order)
    run_until_empty()
    (mail,) = smtp.received
    assert mail.rcpt_tos == ["ann@example.test"] and "Dear Ann Buyer" in mail.email.get_body(("plain",)).get_content()
    assert sorted(ticket_barcodes(_attachment(mail, f"tickets-{order.code}.pdf"))) == _live(order)


def test_tickets_go_once_to_another_address(portal, operator, sell, smtp, page):
    order = sell(1, email="ann@example.test")
    portal.login(operator)
    portal.order(order)
    _finish_send(page, order, to="ann.at.work@example.test")
    run_until_empty()
    assert [m.rcpt_tos for m in smtp.received] == [["ann.at.work@example.test"]]
    expect(page.locator("ol.timeline")).to_contain_text("ann.at.work@example.test")
    _finish_send(page, order)
    run_until_empty()
    assert [m.rcpt_tos for m in smtp.received][-1] == ["ann@example.test"]


def test_an_invoice_is_paid_in_two_parts_and_the_receipt_lists_both(portal, operator, sell, page):
    order = sell(2, payment_method="invoice")  # 35.00
    portal.login(operator)
    portal.order(order)
    expect(page.locator("#balance-due")).to_have_text("EUR 35.00")
    page.get_by_role("link", name="Register payment").click()
    expect(page.get_by_label("Amount")).to_have_value("35.00")
    page.get_by_label("Amount").fill("15.00")
    page.get_by_label("Paid by").select_option("transfer")
    page.get_by_label("Reference (optional)").fill("NL-2026-0042")
    page.get_by_role("button", name="Register payment").click()
    expect(page.get_by_role("status")).to_contain_text("EUR 20.00 is still due")
    expect(page.locator("h1 .badge")).to_have_text("Pending payment")
    page.get_by_role("link", name="Register payment").click()
    page.get_by_label("Amount").fill("25.00")  # more than is due
    page.get_by_role("button", name="Register payment").click()
    expect(page.get_by_role("alert").first).to_contain_text("20.00 EUR is due")
    page.get_by_label("Amount").fill("20.00")
    page.get_by_role("button", name="Register payment").click()
    expect(page.get_by_role("status")).to_contain_text("the order is paid")
    expect(page.locator("h1 .badge")).to_have_text("Paid")
    expect(page.locator("#balance-settled")).to_be_visible()
    expect(page.get_by_role("link", name="Register payment")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download payment receipt (PDF)").click()
    receipt = text(open(download.value.path(), "rb").read())
    assert "NL-2026-0042" in receipt and "15.00" in receipt and "20.00" in receipt and "Amount paid: EUR 35.00" in receipt
    assert AuditEntry.objects.filter(order=order, action="order.payment").count() == 2
