"""Ticket and receipt PDFs for an order: `data` reads what goes on them, `tickets` and
`receipt` draw them."""

from boxoffice.core.errors import NothingToSend
from boxoffice.core.models import Order
from boxoffice.documents.data import live_tickets, receipt_doc, ticket_docs
from boxoffice.documents.receipt import render_receipt_pdf
from boxoffice.documents.tickets import render_tickets_pdf


def tickets_pdf(order: Order, *, barcodes: list[str] | None = None, paper: str = "a4") -> bytes:
    """The order's live tickets (or the selected ones), one page each. Raises NothingToSend
    when there is no live ticket, TicketNotInOrder / TicketVoid for a bad selection."""
    tickets = live_tickets(order, barcodes)
    if not tickets:
        raise NothingToSend(f"Order {order.code} has no valid tickets.")
    return render_tickets_pdf(ticket_docs(order, tickets), title=f"Tickets {order.code}", paper=paper)


def receipt_pdf(order: Order, *, paper: str = "a4") -> bytes:
    return render_receipt_pdf(receipt_doc(order), paper=paper)
