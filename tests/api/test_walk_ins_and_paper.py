"""The API sells to walk-ins with cash tendered, and gives tickets and receipts on the desk
printers' paper (§3.9), with the same rules and codes as the portal."""

import pytest

from boxoffice.core.models import Message
from tests.documents import pdf

from .helpers import assert_error, order_body, unchanged


@pytest.fixture
def sold_order(sell):
    return sell(2)


def test_a_walk_in_cash_sale_shows_tendered_and_change(as_operator, event, adult, timeslot):
    body = order_body(event, [(adult, timeslot, 2)], email="", name="", payment_method="cash", cash_tendered="50")
    response = as_operator.post("orders", body)
    assert response.status_code == 201, response.content
    sold = response.json()
    assert (sold["buyer"]["email"], sold["buyer"]["name"]) == ("", "Walk-in")
    assert [(p["amount"], p["tendered"], p["change"]) for p in sold["payments"]] == [("35.00", "50.00", "15.00")]
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "flags,code",
    [({"send_tickets": True}, "walk_in_has_no_email"), ({"payment_method": "invoice"}, "walk_in_has_no_email")],
)
def test_a_walk_in_is_not_emailed_or_invoiced(as_operator, event, adult, timeslot, flags, code):
    body = order_body(event, [(adult, timeslot, 1)], email="", name="Anna", payment_method="cash") | flags
    with unchanged():
        assert_error(as_operator.post("orders", body), 422, code)


def test_cash_short_of_the_total_is_refused(as_operator, event, adult, timeslot):
    body = order_body(event, [(adult, timeslot, 2)], payment_method="cash", cash_tendered="20.00")
    with unchanged():
        error = assert_error(as_operator.post("orders", body), 422, "cash_short")
    assert "15.00 short" in error["message"]


def test_a_later_cash_payment_gives_its_change(as_operator, event, adult, timeslot):
    code = as_operator.post("orders", order_body(event, [(adult, timeslot, 1)], payment_method="invoice")).json()["code"]
    response = as_operator.post(f"orders/{code}/payments", {"amount": "17.50", "method": "cash", "tendered": "20"})
    assert response.status_code == 201, response.content
    assert response.json()["payments"][0]["change"] == "2.50"


@pytest.mark.parametrize("paper,size_mm", [("a4", (210, 297)), ("stock", (203, 83)), ("roll80", (80, None))])
def test_tickets_come_on_the_paper_asked_for_and_scan(as_viewer, sold_order, paper, size_mm):
    response = as_viewer.get(f"orders/{sold_order.code}/tickets.pdf?paper={paper}")
    assert response.status_code == 200, response.content[:300]
    width, height = pdf.page_size_mm(response.content)
    assert round(width) == size_mm[0] and (size_mm[1] is None or round(height) == size_mm[1])
    assert sorted(pdf.ticket_barcodes(response.content)) == sorted(t.barcode for t in sold_order.tickets.all())


def test_an_unknown_paper_is_refused(as_viewer, sold_order):
    assert_error(as_viewer.get(f"orders/{sold_order.code}/tickets.pdf?paper=letter"), 422, "validation_error")


def test_a_receipt_on_the_80_mm_roll(as_viewer, sold_order):
    response = as_viewer.get(f"orders/{sold_order.code}/receipt.pdf?paper=roll80")
    assert response.status_code == 200
    assert round(pdf.page_size_mm(response.content)[0]) == 80
    assert sold_order.code in pdf.text(response.content)
