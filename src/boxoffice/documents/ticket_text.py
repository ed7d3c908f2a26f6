"""What a ticket says, the same on every paper: when, what it admits, the labelled details,
and text wrapped to a width."""

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from boxoffice.documents.data import TicketDoc


def when(ticket: TicketDoc) -> str:
    start, end = ticket.start, ticket.end
    day = f"{start:%A} {start.day} {start:%B %Y}"
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {end:%A} {end.day} {end:%B %Y} {end:%H:%M}"


def admits(ticket: TicketDoc) -> str:
    if ticket.reentry_allowed:
        return "Show this code at the entrance. It admits one person, who may leave and come back; keep it private."
    return "Show this code at the entrance. It admits one person once; keep it private."


def wrap(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """`text` wrapped to `width`, at most `most` lines (the last one shortened with "…")."""
    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > most:
        lines = lines[:most]
        while lines[-1] and stringWidth(lines[-1] + "…", font, size) > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] += "…"
    return lines


def details(ticket: TicketDoc) -> list[tuple[str, str]]:
    """The labelled lines every layout prints, in this order."""
    rows = [("When", when(ticket))]
    if ticket.show_timezone:
        rows.append(("Time zone", ticket.start.tzname() or ""))
    rows += [("Ticket", ticket.ticket_type), ("Price", f"{ticket.currency} {ticket.price}")]
    if ticket.holder:
        rows.append(("Name", ticket.holder))
    return rows + [("Order", ticket.order_code)]
