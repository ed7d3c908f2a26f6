"""Downloading tickets and receipts through the API (§8): PDFs with a file name, a selection
of tickets, the error codes of a bad selection, and no access to another organizer's orders."""

import pytest
from api.helpers import assert_error

from boxoffice.core.models import Ticket
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import tickets as ticket_services

from .pdf import page_count, text, ticket_barcodes


def barcodes(order) -> list[str]:
    return list(order.tickets.exclude(state=Ticket.State.VOID).order_by("pk").values_list("barcode", flat=True))


def assert_pdf(response, filename: str) -> bytes:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.content


def test_tickets_download_is_a_pdf_named_after_the_order_with_every_valid_ticket(sell, operator, api_as):
    order = sell(2)

    pdf = assert_pdf(api_as(operator).get(f"orders/{order.code}/tickets.pdf"), f"tickets-{order.code}.pdf")

    assert ticket_barcodes(pdf) == barcodes(order)


def test_viewer_may_download_tickets(sell, viewer, api_as):
    order = sell(1)

    pdf = assert_pdf(api_as(viewer).get(f"orders/{order.code}/tickets.pdf"), f"tickets-{order.code}.pdf")

    assert page_count(pdf) == 1


def test_tickets_download_of_a_selection_has_only_the_selected_tickets(sell, operator, api_as):
    order = sell(3)
    first, second, _ = barcodes(order)

    response = api_as(operator).get(f"orders/{order.code}/tickets.pdf", {"tickets": f"{first},{second}"})

    assert sorted(ticket_barcodes(assert_pdf(response, f"tickets-{order.code}.pdf"))) == sorted([first, second])


def test_tickets_download_after_a_reissue_has_only_the_new_tickets(sell, operator, api_as):
    order = sell(2)
    new = [t.barcode for t in ticket_services.reissue_tickets(order, actor=operator)]

    pdf = assert_pdf(api_as(operator).get(f"orders/{order.code}/tickets.pdf"), f"tickets-{order.code}.pdf")

    assert ticket_barcodes(pdf) == new


def test_selecting_a_ticket_of_another_order_answers_ticket_not_in_order(sell, operator, api_as):
    order, other = sell(1), sell(1, email="bob@example.test", name="Bob")

    response = api_as(operator).get(f"orders/{order.code}/tickets.pdf", {"tickets": barcodes(other)[0]})

    assert_error(response, 422, "ticket_not_in_order")


def test_selecting_a_void_ticket_answers_ticket_void(sell, operator, api_as):
    order = sell(2)
    old = barcodes(order)
    ticket_services.reissue_tickets(order, actor=operator)

    response = api_as(operator).get(f"orders/{order.code}/tickets.pdf", {"tickets": old[0]})

    assert_error(response, 409, "ticket_void")


def test_tickets_of_a_removed_order_cannot_be_downloaded(sell, operator, api_as):
    order = sell(1)
    order_services.remove_order(order, actor=operator, reason="The buyer cannot come")

    assert_error(api_as(operator).get(f"orders/{order.code}/tickets.pdf"), 409, "nothing_to_send")


def test_receipt_download_is_a_pdf_named_after_the_order(sell, operator, api_as):
    order = sell(2)

    pdf = assert_pdf(api_as(operator).get(f"orders/{order.code}/receipt.pdf"), f"receipt-{order.code}.pdf")

    content = text(pdf)
    assert f"Order {order.code}" in content
    assert "EUR 35.00" in content


@pytest.mark.parametrize("document", ["tickets.pdf", "receipt.pdf"])
def test_another_organizers_token_gets_not_found(document, sell, other_order, api_as):
    order = sell(1)
    theatre_admin = other_order.organizer.memberships.get()

    # On the museum's path, and with the museum's order code on the theatre's own path.
    assert_error(api_as(theatre_admin, slug="museum").get(f"orders/{order.code}/{document}"), 404, "not_found")
    assert_error(api_as(theatre_admin).get(f"orders/{order.code}/{document}"), 404, "not_found")


@pytest.mark.parametrize("document", ["tickets.pdf", "receipt.pdf"])
def test_an_unknown_order_gets_not_found(document, operator, api_as, db):
    assert_error(api_as(operator).get(f"orders/NOPE234/{document}"), 404, "not_found")
