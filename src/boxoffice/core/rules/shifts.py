"""What a desk shift should have in its drawer and on its card terminal, from its opening
float and the payments and refunds made in it."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from boxoffice.core.rules.money import to_money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ShiftTotals:
    opening_float: Decimal
    paid: dict[str, Decimal] = field(default_factory=dict)  # method -> amount
    refunded: dict[str, Decimal] = field(default_factory=dict)

    @property
    def expected_cash(self) -> Decimal:
        return to_money(self.opening_float + self.paid.get("cash", ZERO) - self.refunded.get("cash", ZERO))

    @property
    def expected_card(self) -> Decimal:
        return to_money(self.paid.get("card", ZERO) - self.refunded.get("card", ZERO))

    @property
    def takings(self) -> Decimal:
        return to_money(sum(self.paid.values(), ZERO) - sum(self.refunded.values(), ZERO))


def shift_totals(opening_float: Decimal, payments: list[tuple[str, Decimal]], refunds: list[tuple[str, Decimal]]) -> ShiftTotals:
    """Refund methods are typed by people ("Cash", "card "): they count by their plain name."""
    paid: dict[str, Decimal] = defaultdict(Decimal)
    refunded: dict[str, Decimal] = defaultdict(Decimal)
    for method, amount in payments:
        paid[method] += amount
    for method, amount in refunds:
        refunded[method.strip().lower()] += amount
    return ShiftTotals(to_money(opening_float), {m: to_money(a) for m, a in sorted(paid.items())},
                       {m: to_money(a) for m, a in sorted(refunded.items())})  # fmt: skip


def difference(counted: Decimal | None, expected: Decimal) -> Decimal | None:
    """Counted minus expected: negative when money is missing."""
    return None if counted is None else to_money(counted - expected)
