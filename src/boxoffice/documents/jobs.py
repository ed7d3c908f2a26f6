"""Document jobs the worker runs (jobs/runner.py): the tickets PDF of a big order."""

from boxoffice.documents.data import live_tickets, ticket_docs
from boxoffice.documents.tickets import render_tickets_pdf


def render_tickets(job, progress) -> tuple[bytes, str, str]:
    """The tickets as they are now: a ticket voided since the job was asked for fails it
    (TicketVoid), as a download would have."""
    order = job.order
    tickets = live_tickets(order, job.params.get("barcodes") or None)
    paper = job.params.get("paper", "a4")
    content = render_tickets_pdf(ticket_docs(order, tickets), title=f"Tickets {order.code}", progress=progress, paper=paper)
    return content, f"tickets-{order.code}.pdf", "application/pdf"
