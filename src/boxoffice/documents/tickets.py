"""Ticket PDF: one page per ticket. A4 for email and office printers, the QR code large enough
for a gate scanner at arm's length (60 mm wide, about 1.8 mm per module for a 20-character
barcode); ticket stock and 80 mm rolls for the desk's printers are drawn in `desk_layouts`."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from boxoffice.documents import desk_layouts
from boxoffice.documents.data import TicketDoc
from boxoffice.documents.fonts import fonts
from boxoffice.documents.qr import draw_qr
from boxoffice.documents.ticket_text import admits, details, wrap

QR_SIZE = 60 * mm
MARGIN = 20 * mm


def render_tickets_pdf(tickets: list[TicketDoc], *, title: str = "Tickets", progress=None, paper: str = "a4") -> bytes:
    """`progress(pages_done)` is called after each page, for a job that shows how far it got.
    `paper` is a TicketPaper value: "a4", "stock" (8 × 3.25 in) or "roll80" (80 mm wide)."""
    if not tickets:
        raise ValueError("A ticket PDF needs at least one ticket")
    draw = {"a4": _draw_ticket, "stock": desk_layouts.draw_stock_ticket, "roll80": desk_layouts.draw_roll_ticket}[paper]
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=0, initialFontName=fonts()[0])
    canvas.setTitle(title)
    canvas.setAuthor(tickets[0].organizer)
    for number, ticket in enumerate(tickets, start=1):
        draw(canvas, ticket)  # sets its own page size
        canvas.showPage()
        if progress is not None:
            progress(number)
    canvas.save()
    return buffer.getvalue()


TEXT_WIDTH = A4[0] - 2 * MARGIN - QR_SIZE - 8 * mm  # left of the QR code, with a gap


def _draw_ticket(canvas: Canvas, ticket: TicketDoc) -> None:
    regular, bold = fonts()
    canvas.setPageSize(A4)
    width, height = A4
    top = height - MARGIN
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.roundRect(MARGIN - 6 * mm, top - 138 * mm, width - 2 * MARGIN + 12 * mm, 146 * mm, 4 * mm, stroke=1, fill=0)

    y = top - 2 * mm
    canvas.setFont(regular, 10)
    for line in wrap(ticket.organizer, regular, 10, TEXT_WIDTH, 1):
        canvas.drawString(MARGIN, y, line)
    y -= 10 * mm
    size = 20 if stringWidth(ticket.event, bold, 20) <= TEXT_WIDTH * 2 else 15
    canvas.setFont(bold, size)
    for line in wrap(ticket.event, bold, size, TEXT_WIDTH, 3):
        canvas.drawString(MARGIN, y, line)
        y -= size * 0.42 * mm
    canvas.setFont(regular, 11)
    for text in (ticket.venue, ticket.address.replace("\n", ", ")):
        for line in wrap(text, regular, 11, TEXT_WIDTH, 2) if text else []:
            y -= 1 * mm
            canvas.drawString(MARGIN, y, line)
            y -= 4 * mm

    rows = details(ticket)
    y -= 6 * mm
    label_width = 24 * mm
    for label, value in rows:
        canvas.setFont(regular, 9)
        canvas.drawString(MARGIN, y, label.upper())
        canvas.setFont(bold, 12)
        for line in wrap(value, bold, 12, TEXT_WIDTH - label_width, 2):
            canvas.drawString(MARGIN + label_width, y, line)
            y -= 5 * mm
        y -= 3 * mm

    qr_x = width - MARGIN - QR_SIZE
    qr_y = top - 20 * mm - QR_SIZE
    draw_qr(canvas, ticket.barcode, x=qr_x, y=qr_y, size=QR_SIZE)
    canvas.setFont("Courier-Bold", 10)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, qr_y - 5 * mm, ticket.barcode)

    canvas.setFont(regular, 9)
    y = top - 128 * mm
    for line in wrap(admits(ticket), regular, 9, width - 2 * MARGIN, 2):
        canvas.drawString(MARGIN, y, line)
        y -= 4 * mm
