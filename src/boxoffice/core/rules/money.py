"""Exact money arithmetic on Decimals. Prices include VAT (as sold at a desk)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from boxoffice.core.errors import CashShort, InvalidInput

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


@dataclass(frozen=True)
class Balance:
    """What an order is worth and where its money stands. `due` is what the buyer still owes;
    `to_refund` what they are owed back (one of the two is zero). No change moves money by
    itself: payments and refunds are explicit, the balance only says what is left."""

    total: Decimal
    paid: Decimal
    refunded: Decimal

    @property
    def net_paid(self) -> Decimal:
        return to_money(self.paid - self.refunded)

    @property
    def due(self) -> Decimal:
        return max(to_money(self.total - self.net_paid), Decimal("0.00"))

    @property
    def to_refund(self) -> Decimal:
        return max(to_money(self.net_paid - self.total), Decimal("0.00"))

    def after(self, total_change: Decimal) -> "Balance":
        """The balance once the total has moved by `total_change` and no money has."""
        return Balance(total=to_money(self.total + total_change), paid=self.paid, refunded=self.refunded)


def order_balance(*, total: Decimal, removed: bool, payments: list[Decimal], refunds: list[Decimal]) -> Balance:
    """The balance of an order: a removed order is worth nothing any more, so what was paid
    and not yet refunded is to refund."""
    return Balance(
        total=Decimal("0.00") if removed else to_money(total),
        paid=to_money(sum(payments, Decimal("0"))),
        refunded=to_money(sum(refunds, Decimal("0"))),
    )


def cash_change(amount: Decimal, tendered: Decimal | None, *, currency: str = "") -> Decimal | None:
    """The change to hand back when `tendered` was counted for a cash payment of `amount`
    (None when nothing was counted). Raises CashShort when it does not cover the amount."""
    if tendered is None:
        return None
    if tendered != to_money(tendered) or tendered < 0:
        raise InvalidInput("Cash tendered is an amount of money, with at most two decimals.", field="cash_tendered")
    if tendered < amount:
        unit = f"{currency} " if currency else ""
        raise CashShort(
            f"{unit}{to_money(tendered)} tendered is {unit}{to_money(amount - tendered)} short of the "
            f"{unit}{to_money(amount)} to pay.",
            field="cash_tendered",
        )
    return to_money(tendered - amount)
