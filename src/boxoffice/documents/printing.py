"""Print tickets and Print receipt at the desk: the same documents as the downloads, on the
paper the organizer's desk printers take (Setup → Printing), and written in the order's
history, so that who handed out printed tickets is known."""

from boxoffice.core import audit
from boxoffice.core.models import Order
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require
from boxoffice.documents import receipt_pdf
from boxoffice.documents.downloads import TicketsDownload, tickets_download


def print_tickets(order: Order, *, actor) -> TicketsDownload:
    """The order's valid tickets on the organizer's ticket paper (a big order's from the
    worker, as a download). Raises NothingToSend when no ticket is valid."""
    require(actor, Permission.VIEW, organizer_id=order.organizer_id)
    paper = order.organizer.ticket_paper
    download = tickets_download(order, barcodes=[], actor=actor, paper=paper)
    audit.record(actor, "order.printed", organizer=order.organizer, order=order, target=order.code,
                 after={"what": "tickets", "paper": paper})  # fmt: skip
    return download


def print_receipt(order: Order, *, actor) -> bytes:
    require(actor, Permission.VIEW, organizer_id=order.organizer_id)
    paper = order.organizer.receipt_paper
    content = receipt_pdf(order, paper=paper)
    audit.record(actor, "order.printed", organizer=order.organizer, order=order, target=order.code,
                 after={"what": "receipt", "paper": paper})  # fmt: skip
    return content
