"""Ticket PDF: one A4 page per ticket, the QR code large enough for a gate scanner at arm's
length (60 mm wide, about 1.8 mm per module for a 20-character barcode)."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from boxoffice.documents.data import TicketDoc
from boxoffice.documents.fonts import fonts
from boxoffice.documents.qr import draw_qr

QR_SIZE = 60 * mm
MARGIN = 20 * mm


def render_tickets_pdf(tickets: list[TicketDoc], *, title: str = "Tickets", progress=None) -> bytes:
    """`progress(pages_done)` is called after each page, for a job that shows how far it got."""
    if not tickets:
        raise ValueError("A ticket PDF needs at least one ticket")
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=0, initialFontName=fonts()[0])
    canvas.setTitle(title)
    canvas.setAuthor(tickets[0].organizer)
    for number, ticket in enumerate(tickets, start=1):
        _draw_ticket(canvas, ticket)
        canvas.showPage()
        if progress is not None:
            progress(number)
    canvas.save()
    return buffer.getvalue()


def when(ticket: TicketDoc) -> str:
    start, end = ticket.start, ticket.end
    day = f"{start:%A %-d %B %Y}"
    if start.date() == end.date():
        return f"{day}, {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {end:%A %-d %B %Y} {end:%H:%M}"


def _draw_ticket(canvas: Canvas, ticket: TicketDoc) -> None:
    regular, bold = fonts()
    width, height = A4
    top = height - MARGIN
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.roundRect(MARGIN - 6 * mm, top - 110 * mm, width - 2 * MARGIN + 12 * mm, 118 * mm, 4 * mm, stroke=1, fill=0)

    canvas.setFont(regular, 10)
    canvas.drawString(MARGIN, top - 2 * mm, ticket.organizer)
    canvas.setFont(bold, 20)
    canvas.drawString(MARGIN, top - 14 * mm, ticket.event[:48])
    canvas.setFont(regular, 11)
    canvas.drawString(MARGIN, top - 21 * mm, ticket.venue[:70])

    rows = [
        ("When", when(ticket)),
        ("Timezone", ticket.start.tzname() or ""),
        ("Ticket", ticket.ticket_type[:40]),
        ("Price", f"{ticket.currency} {ticket.price}"),
        ("Name", ticket.holder[:40]),
        ("Order", ticket.order_code),
    ]
    y = top - 36 * mm
    for label, value in rows:
        canvas.setFont(regular, 9)
        canvas.drawString(MARGIN, y, label.upper())
        canvas.setFont(bold, 12)
        canvas.drawString(MARGIN + 24 * mm, y, value)
        y -= 9 * mm

    qr_x = width - MARGIN - QR_SIZE
    qr_y = top - 20 * mm - QR_SIZE
    draw_qr(canvas, ticket.barcode, x=qr_x, y=qr_y, size=QR_SIZE)
    canvas.setFont("Courier-Bold", 10)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, qr_y - 5 * mm, ticket.barcode)

    canvas.setFont(regular, 9)
    canvas.drawString(MARGIN, top - 104 * mm, "Show this code at the entrance. It admits one person; keep it private.")
