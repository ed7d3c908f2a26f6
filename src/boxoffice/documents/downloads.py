"""Download Ticket(s), the same for the portal and the API: a small order's PDF at once, a big
order's from the worker (a job), so that no web process spends seconds drawing pages while
the gate waits for it (bench/README.md, "Gate scanning while big PDFs are made")."""

import hashlib
from dataclasses import dataclass

from django.conf import settings

from boxoffice.core.errors import InvalidInput, NothingToSend
from boxoffice.core.models import Job, Order, TicketPaper
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.jobs import start_job
from boxoffice.documents.data import live_tickets, ticket_docs
from boxoffice.documents.tickets import render_tickets_pdf


@dataclass(frozen=True)
class TicketsDownload:
    content: bytes | None = None  # the PDF, for a small order
    job: Job | None = None  # the job making it, for a big one
    filename: str = ""


def tickets_download(order: Order, *, barcodes: list[str], actor, paper: str = "a4") -> TicketsDownload:
    """`paper` is a TicketPaper value (A4 unless printed at the desk). Raises NothingToSend,
    TicketNotInOrder, TicketVoid, InvalidInput (a bad selection or paper), and for a big order
    what start_job raises."""
    if paper not in TicketPaper.values:
        raise InvalidInput(f"Paper is one of {', '.join(TicketPaper.values)}.", field="paper")
    tickets = live_tickets(order, barcodes or None)
    if not tickets:
        raise NothingToSend(f"Order {order.code} has no valid tickets.")
    filename = f"tickets-{order.code}.pdf"
    if len(tickets) <= settings.INLINE_PDF_TICKETS:
        content = render_tickets_pdf(ticket_docs(order, tickets), title=f"Tickets {order.code}", paper=paper)
        return TicketsDownload(content=content, filename=filename)
    selected = [t.barcode for t in tickets]
    job = start_job(
        order.organizer, kind="tickets_pdf", actor=actor, params={"barcodes": selected if barcodes else [], "paper": paper},
        total=len(tickets), permission=Permission.VIEW, order=order, label=order.code,
        fingerprint=hashlib.sha256(f"{order.pk}:{paper}:{','.join(selected)}".encode()).hexdigest(),
    )  # fmt: skip
    return TicketsDownload(job=job, filename=filename)
