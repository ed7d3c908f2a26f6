"""The payment receipt PDF (§3.3): lines, VAT breakdown per rate, payments, refunds, totals."""

from decimal import Decimal

from boxoffice import documents
from boxoffice.core.rules.money import PricedLine, vat_breakdown
from boxoffice.core.services import orders as order_services

from .pdf import page_count, text


def lines_of(content: bytes) -> list[str]:
    return [" ".join(line.split()) for line in text(content).splitlines()]


def test_receipt_lists_each_line_and_the_total_with_vat_included(sell_lines, adult, guide):
    order = sell_lines([(adult, 2), (guide, 1)])

    pdf = documents.receipt_pdf(order)

    assert page_count(pdf) == 1
    rows = lines_of(pdf)
    assert f"Order {order.code}" in text(pdf)
    assert "Buyer: Ann Buyer <ann@example.test>" in rows
    assert "Adult 2 EUR 17.50 9% EUR 35.00" in rows
    assert "Audio guide 1 EUR 4.50 21% EUR 4.50" in rows
    assert "Total (VAT included) EUR 39.50" in rows
    assert order.total == Decimal("39.50")


def test_receipt_vat_breakdown_has_one_row_per_rate_as_the_money_rules_compute_it(sell_lines, adult, guide):
    order = sell_lines([(adult, 2), (guide, 1)])
    breakdown = vat_breakdown([PricedLine(l.quantity, l.unit_price, l.vat_rate) for l in order.lines.all()])
    # 35.00 at 9% holds 2.89 VAT; 4.50 at 21% holds 0.78.
    assert breakdown == {
        Decimal("9"): (Decimal("35.00"), Decimal("2.89")),
        Decimal("21"): (Decimal("4.50"), Decimal("0.78")),
    }

    rows = lines_of(documents.receipt_pdf(order))

    for rate, (gross, vat) in breakdown.items():
        assert f"{rate.normalize():f}% EUR {gross - vat} EUR {vat} EUR {gross}" in rows, rows


def test_receipt_lists_payments_refunds_and_the_amount_paid_after_refunds(sell_lines, adult, guide, admin):
    order = sell_lines([(adult, 2), (guide, 1)])
    order_services.record_refund(
        order, amount=Decimal("4.50"), method="cash", reason="Guide not available", actor=admin
    )

    rows = lines_of(documents.receipt_pdf(order))

    payments, refunds = rows.index("Payments"), rows.index("Refunds")
    assert payments < refunds
    assert any(row.endswith("Card EUR 39.50") for row in rows[payments:refunds]), rows
    assert any(row.endswith("cash Guide not available EUR 4.50") for row in rows[refunds:]), rows
    assert "Amount paid: EUR 35.00" in rows


def test_receipt_without_refunds_has_no_refund_section(sell_lines, adult):
    order = sell_lines([(adult, 1)])

    rows = lines_of(documents.receipt_pdf(order))

    assert "Refunds" not in rows
    assert "Amount paid: EUR 17.50" in rows
