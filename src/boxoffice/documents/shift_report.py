"""The shift report, as a PDF to print at closing time and as CSV: the drawer and the terminal, expected
against counted, what was taken per method, sold per ticket type, and the VAT."""

import csv
import io
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from boxoffice.core.services.shifts import ShiftReport
from boxoffice.documents.fonts import fonts
from boxoffice.documents.receipt import _para, _table

# Every table spans the same 160 mm, so that their columns line up down the page.
FOUR_COLUMNS = [55 * mm, 35 * mm, 35 * mm, 35 * mm]
THREE_COLUMNS = [55 * mm, 52.5 * mm, 52.5 * mm]
NONE = [["None", "", ""]]  # an empty table still says so


def render_shift_report_pdf(report: ShiftReport) -> bytes:
    shift, totals = report.shift, report.totals
    organizer = shift.organizer
    cur = organizer.currency
    tz = ZoneInfo(organizer.timezone)
    regular, bold = fonts()
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=3 * mm)
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13)
    head = ParagraphStyle("head", fontName=bold, fontSize=11, leading=14, spaceBefore=5 * mm, spaceAfter=2 * mm)

    def money(amount) -> str:
        return "" if amount is None else f"{cur} {amount}"

    closed = f"closed {shift.closed_at.astimezone(tz):%d-%m-%Y %H:%M}" if shift.closed_at else "still open"
    story = [
        _para(f"Shift report · {shift.desk}", title),
        _para(f"{organizer.name} · {shift.membership.user.email}\nopened {shift.opened_at.astimezone(tz):%d-%m-%Y %H:%M}, "
              f"{closed} ({organizer.timezone}) · {_count(report.payments, 'payment')}, {_count(report.refunds, 'refund')}", body),  # fmt: skip
        _para("Drawer and terminal", head),
        _table([["", "Expected", "Counted", "Difference"],
                ["Cash (float included)", money(totals.expected_cash), money(shift.counted_cash), money(report.cash_difference)],
                ["Card", money(totals.expected_card), money(shift.counted_card), money(report.card_difference)]],
               FOUR_COLUMNS, regular, bold),  # fmt: skip
        _para(f"Opening float {money(totals.opening_float)}", body),
        _para("Per method", head),
        _table([["Method", "Paid", "Refunded"]]
               + [[m.capitalize(), money(totals.paid.get(m)), money(totals.refunded.get(m))]
                  for m in sorted(set(totals.paid) | set(totals.refunded))]
               + [["Takings", money(totals.takings), ""]], THREE_COLUMNS, regular, bold, total_row=True),  # fmt: skip
        _para("Sold per ticket type", head),
        _table([["Ticket type", "Tickets", "Amount"]] + ([[n, str(q), money(a)] for n, q, a in report.by_ticket_type] or NONE),
               THREE_COLUMNS, regular, bold),  # fmt: skip
        _para("VAT", head),
        _table([["Rate", "Gross", "VAT"]] + ([[f"{rate.normalize():f}%", money(g), money(v)] for rate, (g, v) in report.vat.items()] or NONE),
               THREE_COLUMNS, regular, bold),  # fmt: skip
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                      bottomMargin=18 * mm, title=f"Shift report {shift.desk}", author=organizer.name).build(story)  # fmt: skip
    return buffer.getvalue()


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_shift_report_csv(report: ShiftReport) -> bytes:
    """The same report as CSV (UTF-8 with a byte order mark, for spreadsheet programs)."""
    shift, totals = report.shift, report.totals

    def cell(value) -> str:
        return "" if value is None else str(value)

    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows([
        ["shift", shift.pk], ["desk", shift.desk], ["operator", shift.membership.user.email],
        ["opened", shift.opened_at.isoformat()], ["closed", shift.closed_at.isoformat() if shift.closed_at else ""],
        ["opening float", totals.opening_float], [],
        ["method", "paid", "refunded"],
        *[[m, cell(totals.paid.get(m)), cell(totals.refunded.get(m))] for m in sorted(set(totals.paid) | set(totals.refunded))],
        [], ["", "expected", "counted", "difference"],
        ["cash", totals.expected_cash, cell(shift.counted_cash), cell(report.cash_difference)],
        ["card", totals.expected_card, cell(shift.counted_card), cell(report.card_difference)],
        [], ["ticket type", "tickets", "amount"], *[[n, q, a] for n, q, a in report.by_ticket_type],
        [], ["VAT rate", "gross", "VAT"], *[[f"{rate.normalize():f}%", gross, vat] for rate, (gross, vat) in report.vat.items()],
    ])  # fmt: skip
    return out.getvalue().encode("utf-8")
