"""Cash desk shifts (§3.12): an operator opens a shift at a desk with a float, every payment
and refund they make belongs to it, and Close shift compares what was counted with what
should be there."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, PermissionDenied, ShiftAlreadyOpen, ShiftClosed, ShiftRequired
from boxoffice.core.models import Order, OrderLine, Payment, Refund, Shift
from boxoffice.core.rules import inputs
from boxoffice.core.rules.money import PricedLine, to_money, vat_breakdown
from boxoffice.core.rules.permissions import Permission, role_allows
from boxoffice.core.rules.shifts import ShiftTotals, difference, shift_totals
from boxoffice.core.services.permissions import require


def open_shift(actor, *, desk: str, opening_float: Decimal) -> Shift:
    """Raises ShiftAlreadyOpen (one open shift per operator), InvalidInput."""
    require(actor, Permission.SELL, organizer_id=actor.organizer_id)
    desk = inputs.single_line(desk, field="desk", label="The desk", max_length=100)
    opening_float = _amount(opening_float, field="opening_float", label="The opening float")
    try:
        with transaction.atomic():
            shift = Shift.objects.create(organizer_id=actor.organizer_id, membership=actor, desk=desk,
                                         opening_float=opening_float)  # fmt: skip
            audit.record(actor, "shift.opened", organizer=actor.organizer, target=desk,
                         after={"shift": shift.pk, "opening_float": str(opening_float)})  # fmt: skip
    except IntegrityError:
        raise ShiftAlreadyOpen("You have a shift open already: close it before opening another.") from None
    return shift


def current_shift(membership) -> Shift | None:
    return Shift.objects.filter(membership=membership, closed_at__isnull=True).first()


DRAWER_METHODS = ("cash", "card")  # what goes into the drawer and through the desk's terminal


def shift_for_desk_money(actor, method: str) -> Shift | None:
    """The shift a payment or refund made now by `actor` belongs to. Raises ShiftRequired when
    the organizer works in shifts and cash or card money is taken or given back with none open
    (a desk sale asks to open one); a bank transfer registered later needs none."""
    if actor is None:
        return None
    shift = current_shift(actor)
    needs_one = method.strip().lower() in DRAWER_METHODS and actor.organizer.desk_shifts
    if shift is None and needs_one:
        raise ShiftRequired("Open a shift first (Shift in the top bar): desk money goes into a shift's drawer.")
    return shift


def close_shift(shift: Shift, *, counted_cash: Decimal, counted_card: Decimal | None, actor) -> Shift:
    """Close with what was counted. Only its operator or an admin closes it, once: a second
    close (a double submit, a second tab) raises ShiftClosed and changes nothing."""
    require(actor, Permission.SELL, organizer_id=shift.organizer_id)
    if shift.membership_id != actor.pk and not role_allows(actor.role, Permission.REFUND):
        raise PermissionDenied("Only the shift's operator or an admin closes it.")
    counted_cash = _amount(counted_cash, field="counted_cash", label="The counted cash")
    counted_card = None if counted_card is None else _amount(counted_card, field="counted_card", label="The card total")
    with transaction.atomic():
        closed = Shift.objects.filter(pk=shift.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=actor, counted_cash=counted_cash, counted_card=counted_card
        )
        if not closed:
            raise ShiftClosed("This shift was closed already.")
        shift.refresh_from_db()
        report = shift_report(shift)
        audit.record(actor, "shift.closed", organizer=shift.organizer, target=shift.desk, after={
            "shift": shift.pk, "expected_cash": str(report.totals.expected_cash), "counted_cash": str(counted_cash),
            "cash_difference": str(report.cash_difference),
        })  # fmt: skip
    return shift


@dataclass(frozen=True)
class ShiftReport:
    shift: Shift
    totals: ShiftTotals
    payments: int
    refunds: int
    by_ticket_type: list[tuple[str, int, Decimal]]  # name, tickets, amount: what the shift sold
    vat: dict[Decimal, tuple[Decimal, Decimal]]

    @property
    def cash_difference(self) -> Decimal | None:
        return difference(self.shift.counted_cash, self.totals.expected_cash)

    @property
    def card_difference(self) -> Decimal | None:
        return difference(self.shift.counted_card, self.totals.expected_card)


def shift_report(shift: Shift) -> ShiftReport:
    payments = list(Payment.objects.filter(shift=shift).values_list("method", "amount"))
    refunds = list(Refund.objects.filter(shift=shift).values_list("method", "amount"))
    sold_here = Order.objects.filter(payments__shift=shift, created_by=shift.membership).distinct().values("pk")
    lines = list(OrderLine.objects.filter(order__in=sold_here, kind=OrderLine.Kind.SOLD))
    by_type: dict[str, list] = {}
    for line in lines:
        entry = by_type.setdefault(line.description, [0, Decimal("0")])
        entry[0] += line.quantity
        entry[1] += line.total
    return ShiftReport(
        shift=shift,
        totals=shift_totals(shift.opening_float, payments, refunds),
        payments=len(payments),
        refunds=len(refunds),
        by_ticket_type=[(name, n, to_money(amount)) for name, (n, amount) in sorted(by_type.items())],
        vat=vat_breakdown([PricedLine(line.quantity, line.unit_price, line.vat_rate) for line in lines]),
    )


def _amount(value, *, field: str, label: str) -> Decimal:
    if value is None or value < 0 or to_money(value) != value:
        raise InvalidInput(f"{label} is an amount of money, zero or more, with at most two decimals.", field=field)
    return value
