"""Download Ticket(s) and the receipt through the API (§3.4, §3.7 "Download tickets")."""

import pypdfium2
import pytest
import zxingcpp

from .helpers import assert_error, barcodes, unchanged


@pytest.fixture
def order(sell):
    return sell(3)


def pdf_pages(response) -> list:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return list(pypdfium2.PdfDocument(response.content))


def qr_codes(response) -> list[str]:
    """The QR code printed on each page, decoded as a gate scanner would."""
    decoded = []
    for page in pdf_pages(response):
        found = zxingcpp.read_barcodes(page.render(scale=2).to_pil())
        decoded.append(next(r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode))
    return decoded


def test_download_tickets_prints_one_page_per_valid_ticket(as_viewer, order):
    response = as_viewer.get(f"orders/{order.code}/tickets.pdf")
    assert qr_codes(response) == barcodes(order)
    assert order.code in response["Content-Disposition"]


def test_download_selected_tickets_prints_only_those(as_operator, order):
    first, _, third = barcodes(order)
    response = as_operator.get(f"orders/{order.code}/tickets.pdf", {"tickets": f"{third},{first}"})
    assert sorted(qr_codes(response)) == sorted([first, third])


def test_download_after_reissue_prints_only_the_new_tickets(as_operator, order):
    old = barcodes(order)
    as_operator.post(f"orders/{order.code}/tickets/bulk", {"action": "reissue", "tickets": old[:1]})
    printed = qr_codes(as_operator.get(f"orders/{order.code}/tickets.pdf"))
    assert len(printed) == 3 and not set(printed) & set(old)


def test_a_void_ticket_is_never_downloaded(as_operator, order):
    old = barcodes(order)
    as_operator.post(f"orders/{order.code}/tickets/bulk", {"action": "reissue", "tickets": old[:1]})
    with unchanged():
        body = assert_error(as_operator.get(f"orders/{order.code}/tickets.pdf", {"tickets": old[0]}), 409, "ticket_void")
    assert body["details"]["barcodes"] == [old[0]]


def test_tickets_of_a_removed_order_cannot_be_downloaded(as_operator, order):
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    response = as_operator.get(f"orders/{order.code}/tickets.pdf")
    assert response.status_code == 409
    assert response.json()["code"] in {"nothing_to_send", "order_removed"}


def test_downloading_a_ticket_of_another_order_is_refused(as_operator, order, sell):
    stranger = barcodes(sell(1, email="zed@example.test", name="Zed"))[0]
    body = assert_error(as_operator.get(f"orders/{order.code}/tickets.pdf", {"tickets": stranger}), 422, "ticket_not_in_order")
    assert body["details"]["barcodes"] == [stranger]


def test_download_receipt_is_a_pdf(as_viewer, order):
    response = as_viewer.get(f"orders/{order.code}/receipt.pdf")
    assert len(pdf_pages(response)) >= 1
    text = pdf_pages(response)[0].get_textpage().get_text_range()
    assert order.code in text and "52.50" in text


def test_another_organizers_tickets_cannot_be_downloaded_with_a_selection(other, order):
    own = other.order.code
    with unchanged():
        response = other.api.get(f"orders/{own}/tickets.pdf", {"tickets": barcodes(order)[0]})
        assert_error(response, 422, "ticket_not_in_order")
