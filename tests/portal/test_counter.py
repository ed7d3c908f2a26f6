"""The counter on a busy Saturday, in a real browser: a walk-in sold for cash without an
email, the change worked out before Finish purchase, and Print tickets / Print receipt opening
print-ready PDFs on the paper the organizer's desk printers take, whose QR codes scan."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from boxoffice.core.models import AuditEntry, Message, Order
from boxoffice.core.services import setup
from tests.documents import pdf

from .test_wizard import tickets_step

pytestmark = pytest.mark.django_db(transaction=True)

# Print buttons dispatch a cancelable "boxoffice:print" before opening the print dialog; the
# test takes the PDF from there (a headless browser has no printer to show a dialog for).
CATCH_PRINT = """document.addEventListener("boxoffice:print", (event) => {
  event.preventDefault(); (window.__printed = window.__printed || []).push(event.detail.url);
});"""


def one_page(page):
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)


def print_url(page, link_name: str) -> str:
    """Click a print button; the URL of the PDF its hidden frame loaded and was about to print."""
    count = "() => (window.__printed || []).length"
    before, answers = page.evaluate(count), []

    def answered(response):
        answers.append(response)

    page.on("response", answered)
    page.get_by_role("link", name=link_name).click()
    for _ in range(50):  # wait_for_function evaluates strings, which the CSP rightly forbids
        if page.evaluate(count) > before:
            break
        page.wait_for_timeout(100)
    page.remove_listener("response", answered)
    assert page.evaluate(count) > before, "the print dialog was never asked for"
    url = page.evaluate("() => window.__printed[window.__printed.length - 1]")
    assert re.search(r"/print/\w+\.pdf$", url)
    expect(page.locator("iframe#print-frame")).to_have_attribute("src", url)
    # The browser's PDF viewer reports the frame's answer a second time, without headers.
    served = [a for a in answers if a.url == url and a.headers.get("content-type")]
    assert [(a.status, a.headers["content-type"], a.headers["content-disposition"][:6]) for a in served] == [
        (200, "application/pdf", "inline")
    ]
    return url


def printed(page, link_name: str) -> bytes:
    """The PDF a print button prints. (The browser's PDF viewer keeps the frame's own bytes to
    itself, so they are fetched again, which the history records as a second print.)"""
    return page.request.get(print_url(page, link_name)).body()


def test_a_walk_in_pays_cash_sees_the_change_and_gets_printed_tickets_on_ticket_stock(
    portal, operator, admin, adult, timeslot
):
    setup.set_desk_paper(operator.organizer, ticket_paper="stock", receipt_paper="roll80", actor=admin)
    page = portal.login(operator)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.add_init_script(CATCH_PRINT)
    page.get_by_role("link", name="Sell tickets").click()
    tickets_step(page, {"Adult": 2}, "10:00–11:00")
    expect(page.get_by_label("Email")).to_be_focused()
    page.get_by_role("button", name="Walk-in, no email").click()
    expect(page.locator("#review-buyer")).to_contain_text("Walk-in with no email: nothing is emailed, the tickets are printed")
    page.get_by_role("button", name="next", exact=True).click()

    expect(page.get_by_role("switch", name="Send tickets")).to_have_count(0)
    expect(page.get_by_label("Invoice (pending payment)")).to_have_count(0)
    tendered = page.get_by_label("Cash tendered")
    expect(tendered).to_be_hidden()  # card is chosen
    page.get_by_label("Cash", exact=True).check()
    tendered.fill("30")
    expect(page.locator("#cash-change")).to_have_text("EUR 5.00 short")
    page.get_by_role("button", name="EUR 40.00").click()
    expect(page.locator("#cash-change")).to_have_text("Change EUR 5.00")
    expect(page.locator("#cash-change")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Finish purchase")).to_be_in_viewport()
    page.get_by_role("button", name="Finish purchase").click()

    order = Order.objects.get()
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    one_page(page)
    expect(page.locator(".flash")).to_contain_text("EUR 40.00 tendered, change EUR 5.00")
    expect(page.locator(".flash")).to_contain_text("nothing emailed (walk-in)")
    assert order.buyer.walk_in and order.buyer.name == "Walk-in"
    assert (order.payments.get().tendered, order.payments.get().change) == (Decimal("40.00"), Decimal("5.00"))
    assert not Message.objects.exists()

    expect(page.get_by_role("link", name="Print tickets")).to_be_in_viewport()
    tickets_url, receipt_url = print_url(page, "Print tickets"), print_url(page, "Print receipt")
    assert [e.after for e in AuditEntry.objects.filter(order=order, action="order.printed").order_by("pk")] == [
        {"what": "tickets", "paper": "stock"}, {"what": "receipt", "paper": "roll80"}
    ]
    page.reload()
    expect(page.locator(".timeline")).to_contain_text("printed the tickets (ticket stock)")
    expect(page.locator(".timeline")).to_contain_text("printed the receipt (80 mm roll)")

    tickets = page.request.get(tickets_url).body()
    assert [round(x) for x in pdf.page_size_mm(tickets)] == [203, 83]  # 8 × 3.25 in
    assert sorted(pdf.ticket_barcodes(tickets)) == sorted(order.tickets.values_list("barcode", flat=True))
    assert not pdf.text_overlaps_qr(tickets)
    assert "Walk-in" not in pdf.text(tickets)  # no "Name: Walk-in" on the tickets

    receipt = page.request.get(receipt_url).body()
    assert round(pdf.page_size_mm(receipt)[0]) == 80
    assert re.search(r"Tendered\s+EUR 40\.00\s+Change\s+EUR 5\.00", pdf.text(receipt))


def test_tickets_print_on_the_80_mm_roll_and_scan(portal, operator, admin, sell):
    setup.set_desk_paper(operator.organizer, ticket_paper="roll80", receipt_paper="a4", actor=admin)
    order = sell(3, payment_method="cash")
    page = portal.login(operator)
    page.add_init_script(CATCH_PRINT)
    portal.order(order)
    tickets = printed(page, "Print tickets")
    assert pdf.page_count(tickets) == 3 and round(pdf.page_size_mm(tickets)[0]) == 80
    assert sorted(pdf.ticket_barcodes(tickets)) == sorted(order.tickets.values_list("barcode", flat=True))
    assert not pdf.text_overlaps_qr(tickets)
    assert [round(x) for x in pdf.page_size_mm(printed(page, "Print receipt"))] == [210, 297]


def test_a_viewer_may_print_but_another_organizer_may_not(portal, viewer, sell, other_org):
    order = sell(1)
    page = portal.login(viewer)
    page.add_init_script(CATCH_PRINT)
    portal.order(order)
    assert pdf.ticket_barcodes(printed(page, "Print tickets")) == [order.tickets.get().barcode]
    stranger = other_org.sell(1)
    response = page.request.get(f"{portal.url}/o/{order.organizer.slug}/orders/{stranger.code}/print/tickets.pdf")
    assert response.status == 404
    response = page.request.get(f"{portal.url}/o/{other_org.organizer.slug}/orders/{stranger.code}/print/tickets.pdf")
    assert response.status in (403, 404) and not response.body().startswith(b"%PDF")


def test_a_shortfall_in_cash_is_refused_with_the_amount_and_sells_nothing(portal, operator, adult, timeslot):
    page = portal.login(operator)
    page.get_by_role("link", name="Sell tickets").click()
    tickets_step(page, {"Adult": 1}, "10:00–11:00")
    page.get_by_role("button", name="Walk-in, no email").click()
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_label("Cash", exact=True).check()
    page.get_by_label("Cash tendered").fill("10")
    page.get_by_role("button", name="Finish purchase").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("EUR 10.00 tendered is EUR 7.50 short of the EUR 17.50 to pay.")
    expect(summary).to_be_focused()
    assert not Order.objects.exists()
    page.get_by_label("Cash tendered").fill("20")
    expect(summary).to_have_count(0)
    page.get_by_role("button", name="Finish purchase").click()
    page.wait_for_url(re.compile(r"/orders/\w+/$"))
    assert Order.objects.get().payments.get().change == Decimal("2.50")
