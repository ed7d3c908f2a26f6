"""Payment receipt PDF: organizer, order, lines with VAT, the VAT breakdown per rate,
payments, refunds and the amount paid."""

from decimal import Decimal
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from boxoffice.core.rules.money import balance, order_total, to_money, vat_breakdown
from boxoffice.documents.data import MoneyRow, ReceiptDoc
from boxoffice.documents.desk_layouts import render_roll_receipt
from boxoffice.documents.fonts import fonts


def render_receipt_pdf(receipt: ReceiptDoc, *, paper: str = "a4") -> bytes:
    """`paper` is a ReceiptPaper value: "a4" (also what is emailed) or "roll80"."""
    if paper == "roll80":
        return render_roll_receipt(receipt, title=f"Payment receipt {receipt.order_code}")
    regular, bold = fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=4 * mm),
        "body": ParagraphStyle("body", fontName=regular, fontSize=10, leading=13),
        "head": ParagraphStyle("head", fontName=bold, fontSize=11, leading=14, spaceBefore=5 * mm, spaceAfter=2 * mm),
    }
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=f"Payment receipt {receipt.order_code}", author=receipt.organizer,
    )  # fmt: skip
    doc.build(_story(receipt, styles, regular, bold))
    return buffer.getvalue()


def _money(receipt: ReceiptDoc, amount: Decimal) -> str:
    return f"{receipt.currency} {to_money(amount)}"


def _para(text: str, style) -> Paragraph:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped.replace("\n", "<br/>"), style)


def _story(receipt: ReceiptDoc, styles, regular: str, bold: str) -> list:
    priced = [line.priced for line in receipt.lines]
    organizer = "\n".join(
        part for part in (receipt.organizer, receipt.organizer_address, receipt.organizer_email,
                          f"VAT number {receipt.organizer_vat_number}" if receipt.organizer_vat_number else "") if part
    )  # fmt: skip
    story = [
        _para("Payment receipt", styles["title"]),
        _para(organizer, styles["body"]),
        Spacer(0, 5 * mm),
        _para(
            f"Order {receipt.order_code} — {receipt.order_date:%d %B %Y %H:%M} ({receipt.order_date.tzname()})\n"
            f"Status: {receipt.status}\nBuyer: {receipt.buyer_name}"
            + (f" <{receipt.buyer_email}>" if receipt.buyer_email else "") + f"\nEvent: {receipt.event}",
            styles["body"],
        ),
        _para("Items", styles["head"]),
    ]
    rows = [["Description", "Qty", "Unit price", "VAT", "Total"]]
    rows += [
        [line.description, str(line.quantity), _money(receipt, line.unit_price), f"{line.vat_rate.normalize():f}%",
         _money(receipt, line.priced.total)]
        for line in receipt.lines
    ]  # fmt: skip
    rows.append(["Total (VAT included)", "", "", "", _money(receipt, order_total(priced))])
    story.append(_table(rows, [70 * mm, 15 * mm, 30 * mm, 15 * mm, 30 * mm], regular, bold, total_row=True))

    story.append(_para("VAT breakdown", styles["head"]))
    vat_rows = [["VAT rate", "Net", "VAT", "Gross"]]
    for rate, (gross, vat) in vat_breakdown(priced).items():
        vat_rows.append([f"{rate.normalize():f}%", _money(receipt, gross - vat), _money(receipt, vat), _money(receipt, gross)])
    story.append(_table(vat_rows, [40 * mm, 40 * mm, 40 * mm, 40 * mm], regular, bold))

    story += _movements("Payments", receipt.payments, receipt, styles, regular, bold)
    story += _movements("Refunds", receipt.refunds, receipt, styles, regular, bold)
    paid = balance([p.amount for p in receipt.payments], [r.amount for r in receipt.refunds])
    story.append(Spacer(0, 6 * mm))
    story.append(_para(f"Amount paid: {_money(receipt, paid)}", styles["head"]))
    if receipt.due:
        story.append(_para(f"Still to be paid: {_money(receipt, receipt.due)}", styles["head"]))
    elif receipt.to_refund:
        story.append(_para(f"To be refunded: {_money(receipt, receipt.to_refund)}", styles["head"]))
    return story


def _movements(title: str, rows: list[MoneyRow], receipt: ReceiptDoc, styles, regular: str, bold: str) -> list:
    if not rows:
        return []
    table = [["Date", "Method", "Note", "Amount"]]
    for row in rows:
        table.append([f"{row.at:%d-%m-%Y %H:%M}", row.method, row.note[:40], _money(receipt, row.amount)])
        if row.tendered is not None:
            change = f"change {_money(receipt, row.tendered - row.amount)}"
            table.append(["", "", f"Tendered {_money(receipt, row.tendered)}, {change}", ""])
    return [_para(title, styles["head"]), _table(table, [40 * mm, 35 * mm, 55 * mm, 30 * mm], regular, bold)]


def _table(rows: list[list[str]], widths: list[float], regular: str, bold: str, total_row: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), regular, 9),
        ("FONT", (0, 0), (-1, 0), bold, 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        style += [("FONT", (0, -1), (-1, -1), bold, 9), ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.grey)]
    table.setStyle(TableStyle(style))
    return table
