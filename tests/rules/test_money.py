"""Exact money arithmetic (rules/money.py): totals, VAT included in prices, balances."""

from decimal import Decimal

import pytest

from boxoffice.core.rules.money import PricedLine, balance, order_total, to_money, vat_breakdown, vat_included

D = Decimal


def test_order_total_is_exact():
    assert order_total([PricedLine(3, D("17.50"), D("9"))]) == D("52.50")
    assert order_total([PricedLine(3, D("0.10"), D("21"))]) == D("0.30")  # no float 0.30000000000000004
    assert order_total([PricedLine(2, D("17.50"), D("9")), PricedLine(1, D("8.00"), D("9"))]) == D("43.00")


def test_order_total_of_nothing_is_zero_cents():
    total = order_total([])
    assert total == D("0") and total.as_tuple().exponent == -2


def test_order_total_has_two_decimals():
    assert str(order_total([PricedLine(2, D("5"), D("0"))])) == "10.00"


@pytest.mark.parametrize("value,expected", [
    # 2.665 and 0.125 sit on an even cent: half-even (banker's) rounding would go down.
    ("0.005", "0.01"), ("0.004", "0.00"), ("2.665", "2.67"), ("0.125", "0.13"), ("-2.665", "-2.67"),
    ("2.6649", "2.66"), ("-0.005", "-0.01"), (3, "3.00"),
])  # fmt: skip
def test_to_money_rounds_half_up_to_the_cent(value, expected):
    assert to_money(value) == D(expected)
    assert str(to_money(value)) == expected


@pytest.mark.parametrize("gross,rate,vat", [
    ("109.00", "9", "9.00"),
    ("121.00", "21", "21.00"),
    ("17.50", "9", "1.44"),   # 1.4449 -> 1.44
    ("52.50", "9", "4.33"),   # 4.3349 -> 4.33
    ("10.00", "0", "0.00"),
    ("0.00", "21", "0.00"),
])
def test_vat_included_in_a_gross_price(gross, rate, vat):
    assert vat_included(D(gross), D(rate)) == D(vat)


def test_vat_breakdown_rounds_once_per_rate_not_per_line():
    # Three separate lines of 17.50 at 9%: rounding each line would give 3 × 1.44 = 4.32;
    # the VAT on the 52.50 they add up to is 4.33.
    lines = [PricedLine(1, D("17.50"), D("9")) for _ in range(3)]
    assert vat_breakdown(lines) == {D("9"): (D("52.50"), D("4.33"))}


def test_vat_breakdown_groups_by_rate_in_rate_order():
    lines = [
        PricedLine(2, D("12.10"), D("21")),
        PricedLine(3, D("17.50"), D("9")),
        PricedLine(1, D("5.00"), D("0")),
        PricedLine(1, D("8.00"), D("9")),
    ]
    breakdown = vat_breakdown(lines)
    assert list(breakdown) == [D("0"), D("9"), D("21")]
    assert breakdown[D("0")] == (D("5.00"), D("0.00"))
    assert breakdown[D("9")] == (D("60.50"), D("5.00"))  # 60.50 × 9/109 = 4.995... -> 5.00
    assert breakdown[D("21")] == (D("24.20"), D("4.20"))
    assert sum(gross for gross, _ in breakdown.values()) == order_total(lines)


def test_vat_breakdown_of_nothing_is_empty():
    assert vat_breakdown([]) == {}


def test_balance_is_paid_minus_refunded():
    assert balance([D("52.50")], [D("10.00"), D("2.50")]) == D("40.00")
    assert balance([D("20.00"), D("15.00")], []) == D("35.00")
    assert balance([], []) == D("0.00")
    assert balance([D("35.00")], [D("35.00")]) == D("0.00")


def test_priced_line_total_is_quantity_times_unit_price():
    assert PricedLine(7, D("3.33"), D("9")).total == D("23.31")
