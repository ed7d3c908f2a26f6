"""Exact money arithmetic (rules/money.py): totals, VAT included in prices, balances."""

from decimal import Decimal

import pytest

from boxoffice.core.rules.money import (
    PricedLine, balance, order_balance, order_total, to_money, vat_breakdown, vat_included,
)  # fmt: skip

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


# The balance after changes, as a table: the order's ledger lines (quantity, unit price, VAT %),
# what was paid and refunded, whether the purchase was removed -> due, to refund, VAT in total.
A, C = Decimal("17.50"), Decimal("8.75")
NINE = Decimal("9")
BALANCE_CASES = {
    "a sale paid in full": ([(3, A, NINE)], ["52.50"], [], False, "0.00", "0.00", "4.33"),
    "one of three removed": ([(3, A, NINE), (-1, A, NINE)], ["52.50"], [], False, "0.00", "17.50", "2.89"),
    "removed, then refunded": ([(3, A, NINE), (-1, A, NINE)], ["52.50"], ["17.50"], False, "0.00", "0.00", "2.89"),
    "two children become adults": ([(2, C, NINE), (-2, C, NINE), (2, A, NINE)], ["17.50"], [], False, "17.50", "0.00", "2.89"),
    "two adults become children": ([(2, A, NINE), (-2, A, NINE), (2, C, NINE)], ["35.00"], [], False, "0.00", "17.50", "1.44"),
    "an invoice part paid": ([(2, A, NINE)], ["10.00", "5.00"], [], False, "20.00", "0.00", "2.89"),
    "the purchase removed": ([(2, A, NINE)], ["35.00"], ["5.00"], True, "0.00", "30.00", "2.89"),
    "VAT rounded once per rate": ([(3, Decimal("0.35"), NINE)], ["1.05"], [], False, "0.00", "0.00", "0.09"),
}


@pytest.mark.parametrize("lines, paid, refunded, removed, due, to_refund, vat", BALANCE_CASES.values(), ids=BALANCE_CASES)
def test_the_balance_after_changes(lines, paid, refunded, removed, due, to_refund, vat):
    priced = [PricedLine(q, price, rate) for q, price, rate in lines]
    balance = order_balance(total=order_total(priced), removed=removed,
                            payments=[Decimal(p) for p in paid], refunds=[Decimal(r) for r in refunded])  # fmt: skip
    assert (balance.due, balance.to_refund) == (Decimal(due), Decimal(to_refund))
    assert sum(v for _, v in vat_breakdown(priced).values()) == Decimal(vat)
