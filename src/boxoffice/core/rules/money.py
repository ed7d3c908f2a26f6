"""Exact money arithmetic on Decimals. Prices include VAT (as sold at a desk)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricedLine:
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal  # percent

    @property
    def total(self) -> Decimal:
        return to_money(self.unit_price * self.quantity)


def order_total(lines: list[PricedLine]) -> Decimal:
    return to_money(sum((line.total for line in lines), Decimal("0")))


def vat_included(gross: Decimal, rate_percent: Decimal) -> Decimal:
    """The VAT contained in a gross amount, rounded to the cent."""
    return to_money(gross * rate_percent / (Decimal("100") + rate_percent))


def vat_breakdown(lines: list[PricedLine]) -> dict[Decimal, tuple[Decimal, Decimal]]:
    """rate -> (gross, vat). VAT is computed once per rate on the summed gross, so rounding
    differences do not pile up line by line."""
    gross_by_rate: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in lines:
        gross_by_rate[line.vat_rate] += line.total
    return {rate: (to_money(gross), vat_included(gross, rate)) for rate, gross in sorted(gross_by_rate.items())}


def balance(paid: list[Decimal], refunded: list[Decimal]) -> Decimal:
    return to_money(sum(paid, Decimal("0")) - sum(refunded, Decimal("0")))
