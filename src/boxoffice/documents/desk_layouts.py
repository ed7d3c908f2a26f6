"""Tickets and receipts for the desk's own printers (Setup → Printing): ticket stock of
8 × 3.25 in, the size thermal ticket printers take, and 80 mm receipt rolls (72 mm printed).
A roll page is as long as what is on it: the printer cuts it there.

Every layout keeps the QR code at least 48 mm wide (1.4 mm per module), which a gate scanner
reads at arm's length, and keeps text out of the code's square."""

from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from boxoffice.core.rules.money import balance, order_total, to_money, vat_breakdown
from boxoffice.documents.data import ReceiptDoc, TicketDoc
from boxoffice.documents.fonts import fonts
from boxoffice.documents.qr import draw_qr
from boxoffice.documents.ticket_text import admits, details, wrap

STOCK = (8 * inch, 3.25 * inch)
STOCK_MARGIN = 5 * mm
STOCK_QR = 54 * mm
ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm  # 72 mm printed, the width of common 80 mm printers
ROLL_QR = 50 * mm


# --- Ticket stock ---------------------------------------------------------------------


def draw_stock_ticket(canvas: Canvas, ticket: TicketDoc) -> None:
    regular, bold = fonts()
    width, height = STOCK
    canvas.setPageSize(STOCK)
    qr_x = width - STOCK_MARGIN - STOCK_QR
    text_width = qr_x - STOCK_MARGIN - 6 * mm
    y = height - STOCK_MARGIN - 3 * mm

    canvas.setFont(regular, 7.5)
    canvas.drawString(STOCK_MARGIN, y, wrap(ticket.organizer, regular, 7.5, text_width, 1)[0])
    y -= 5.5 * mm
    size = 14 if stringWidth(ticket.event, bold, 14) <= text_width * 2 else 11
    canvas.setFont(bold, size)
    for line in wrap(ticket.event, bold, size, text_width, 2):
        canvas.drawString(STOCK_MARGIN, y, line)
        y -= size * 0.4 * mm
    place = ", ".join(part for part in (ticket.venue, ticket.address.replace("\n", ", ")) if part)
    if place:
        canvas.setFont(regular, 8)
        canvas.drawString(STOCK_MARGIN, y, wrap(place, regular, 8, text_width, 1)[0])
        y -= 4 * mm
    y -= 1 * mm
    label_width = 17 * mm
    for label, value in details(ticket):
        canvas.setFont(regular, 6.5)
        canvas.drawString(STOCK_MARGIN, y, label.upper())
        canvas.setFont(bold, 9)
        canvas.drawString(STOCK_MARGIN + label_width, y, wrap(value, bold, 9, text_width - label_width, 1)[0])
        y -= 4.2 * mm
    canvas.setFont(regular, 6.5)
    canvas.drawString(STOCK_MARGIN, STOCK_MARGIN, wrap(admits(ticket), regular, 6.5, text_width, 1)[0])

    qr_y = height - STOCK_MARGIN - STOCK_QR
    draw_qr(canvas, ticket.barcode, x=qr_x, y=qr_y, size=STOCK_QR)
    canvas.setFont("Courier-Bold", 8)
    canvas.drawCentredString(qr_x + STOCK_QR / 2, qr_y - 4 * mm, ticket.barcode)


# --- 80 mm roll: a column of blocks, measured, then drawn ----------------------------


@dataclass(frozen=True)
class _Text:
    lines: list[str]
    font: str
    size: float
    align: str = "left"  # or "center", "right"
    gap: float = 0.0  # space above

    @property
    def height(self) -> float:
        return self.gap + len(self.lines) * self.size * 1.3


@dataclass(frozen=True)
class _Pair:
    """A label on the left, an amount on the right, on one line."""

    left: str
    right: str
    font: str
    size: float
    gap: float = 0.0

    @property
    def height(self) -> float:
        return self.gap + self.size * 1.3


@dataclass(frozen=True)
class _Qr:
    text: str
    size: float
    gap: float = 2 * mm

    @property
    def height(self) -> float:
        return self.gap + self.size


@dataclass(frozen=True)
class _Rule:
    gap: float = 1.5 * mm

    @property
    def height(self) -> float:
        return 2 * self.gap


def _draw_column(canvas: Canvas, blocks: list) -> None:
    width = ROLL_WIDTH - 2 * ROLL_MARGIN
    height = 2 * ROLL_MARGIN + sum(block.height for block in blocks)
    canvas.setPageSize((ROLL_WIDTH, height))
    y = height - ROLL_MARGIN
    for block in blocks:
        y -= block.gap
        if isinstance(block, _Qr):
            y -= block.size
            draw_qr(canvas, block.text, x=(ROLL_WIDTH - block.size) / 2, y=y, size=block.size)
        elif isinstance(block, _Rule):
            canvas.setStrokeColorRGB(0.4, 0.4, 0.4)
            canvas.setDash(1, 2)
            canvas.line(ROLL_MARGIN, y, ROLL_MARGIN + width, y)
            canvas.setDash()
            y -= block.gap
        elif isinstance(block, _Pair):
            y -= block.size * 1.3
            canvas.setFont(block.font, block.size)
            canvas.drawString(ROLL_MARGIN, y + block.size * 0.3, block.left)
            canvas.drawRightString(ROLL_MARGIN + width, y + block.size * 0.3, block.right)
        else:
            canvas.setFont(block.font, block.size)
            for line in block.lines:
                y -= block.size * 1.3
                baseline = y + block.size * 0.3
                if block.align == "center":
                    canvas.drawCentredString(ROLL_WIDTH / 2, baseline, line)
                elif block.align == "right":
                    canvas.drawRightString(ROLL_MARGIN + width, baseline, line)
                else:
                    canvas.drawString(ROLL_MARGIN, baseline, line)


def _text(text: str, font: str, size: float, *, most: int = 3, align: str = "left", gap: float = 0.0) -> _Text:
    return _Text(wrap(text, font, size, ROLL_WIDTH - 2 * ROLL_MARGIN, most), font, size, align, gap)


def draw_roll_ticket(canvas: Canvas, ticket: TicketDoc) -> None:
    regular, bold = fonts()
    place = ", ".join(part for part in (ticket.venue, ticket.address.replace("\n", ", ")) if part)
    blocks: list = [
        _text(ticket.organizer, regular, 8, most=1, align="center"),
        _text(ticket.event, bold, 13, most=3, align="center", gap=1 * mm),
    ]
    if place:
        blocks.append(_text(place, regular, 8, most=2, align="center"))
    blocks.append(_Qr(ticket.barcode, ROLL_QR, gap=3 * mm))
    blocks.append(_Text([ticket.barcode], "Courier-Bold", 9, "center", gap=1 * mm))
    blocks.append(_Rule())
    for label, value in details(ticket):
        blocks.append(_text(label.upper(), regular, 6.5, most=1, gap=0.8 * mm))
        blocks.append(_text(value, bold, 10, most=2))
    blocks.append(_Rule())
    blocks.append(_text(admits(ticket), regular, 7.5, most=3))
    _draw_column(canvas, blocks)


def render_roll_receipt(receipt: ReceiptDoc, *, title: str) -> bytes:
    regular, bold = fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(ROLL_WIDTH, 100 * mm), pageCompression=0, initialFontName=regular)
    canvas.setTitle(title)
    canvas.setAuthor(receipt.organizer)
    _draw_column(canvas, _receipt_blocks(receipt, regular, bold))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _receipt_blocks(receipt: ReceiptDoc, regular: str, bold: str) -> list:
    def money(amount) -> str:
        return f"{receipt.currency} {to_money(amount)}"

    head = [receipt.organizer_address.replace("\n", ", "), receipt.organizer_email,
            f"VAT number {receipt.organizer_vat_number}" if receipt.organizer_vat_number else ""]  # fmt: skip
    blocks: list = [_text(receipt.organizer, bold, 11, most=2, align="center")]
    blocks += [_text(part, regular, 7.5, most=2, align="center") for part in head if part]
    blocks += [
        _text("Payment receipt", bold, 10, most=1, align="center", gap=2 * mm),
        _text(f"Order {receipt.order_code} · {receipt.order_date:%d-%m-%Y %H:%M}", regular, 8, most=1, align="center"),
        _text(receipt.event, regular, 8, most=2, align="center"),
    ]
    if receipt.buyer_name:
        blocks.append(_text(receipt.buyer_name, regular, 8, most=1, align="center"))
    blocks.append(_Rule())
    for line in receipt.lines:
        blocks.append(_text(f"{line.quantity} × {line.description}", regular, 8.5, most=2))
        vat = f"VAT {line.vat_rate.normalize():f}%"
        blocks.append(_Pair(f"   {line.quantity} × {money(line.unit_price)} · {vat}", money(line.priced.total), regular, 8.5))
    priced = [line.priced for line in receipt.lines]
    blocks += [_Rule(), _Pair("Total (VAT included)", money(order_total(priced)), bold, 10)]
    for rate, (gross, vat) in vat_breakdown(priced).items():
        blocks.append(_Pair(f"VAT {rate.normalize():f}% of {money(gross)}", money(vat), regular, 7.5))
    if receipt.payments:
        blocks.append(_Rule())
    for row in receipt.payments:
        blocks.append(_Pair(f"{row.method} · {row.at:%d-%m %H:%M}", money(row.amount), regular, 8.5))
        if row.tendered is not None:
            blocks.append(_Pair("   Tendered", money(row.tendered), regular, 8.5))
            blocks.append(_Pair("   Change", money(row.tendered - row.amount), regular, 8.5))
    for row in receipt.refunds:
        blocks.append(_Pair(f"Refund · {row.method} · {row.at:%d-%m %H:%M}", f"−{money(row.amount)}", regular, 8.5))
    paid = balance([p.amount for p in receipt.payments], [r.amount for r in receipt.refunds])
    blocks += [_Rule(), _Pair("Amount paid", money(paid), bold, 10)]
    if receipt.due:
        blocks.append(_Pair("Still to be paid", money(receipt.due), bold, 10))
    elif receipt.to_refund:
        blocks.append(_Pair("To be refunded", money(receipt.to_refund), bold, 10))
    blocks.append(_text("Thank you for your visit.", regular, 8, most=1, align="center", gap=3 * mm))
    return blocks
