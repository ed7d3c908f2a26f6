"""Cash desk shifts: open one with a float, close it with what was counted, read its report.
An operator sees their own shifts, an admin every shift of the organizer."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema, Status

from boxoffice.api.auth import membership_for
from boxoffice.api.schemas.common import Money, money_in
from boxoffice.core.errors import NotFound
from boxoffice.core.models import Shift
from boxoffice.core.rules.permissions import Permission, role_allows
from boxoffice.core.services import shifts

router = Router(tags=["shifts"])


class ShiftIn(Schema):
    desk: str = Field(min_length=1, max_length=100)
    opening_float: Annotated[Decimal, money_in("Cash in the drawer at the start")] = Field(ge=0, max_digits=12, decimal_places=2)


class CloseIn(Schema):
    counted_cash: Annotated[Decimal, money_in("Cash counted in the drawer, the float included")] = Field(
        ge=0, max_digits=12, decimal_places=2
    )
    counted_card: Annotated[Decimal, money_in("The card terminal's total")] | None = Field(
        None, ge=0, max_digits=12, decimal_places=2
    )


class ShiftOut(Schema):
    id: int
    desk: str
    operator: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float: Money
    paid: dict[str, Money]
    refunded: dict[str, Money]
    expected_cash: Money
    expected_card: Money
    counted_cash: Money | None
    counted_card: Money | None
    cash_difference: Money | None
    card_difference: Money | None
    payments: int
    refunds: int


def shift_out(shift: Shift) -> dict:
    report = shifts.shift_report(shift)
    t = report.totals
    return {
        "id": shift.pk, "desk": shift.desk, "operator": shift.membership.user.email, "opened_at": shift.opened_at,
        "closed_at": shift.closed_at, "opening_float": t.opening_float, "paid": t.paid, "refunded": t.refunded,
        "expected_cash": t.expected_cash, "expected_card": t.expected_card, "counted_cash": shift.counted_cash,
        "counted_card": shift.counted_card, "cash_difference": report.cash_difference,
        "card_difference": report.card_difference, "payments": report.payments, "refunds": report.refunds,
    }  # fmt: skip


def _visible(membership):
    found = Shift.objects.filter(organizer_id=membership.organizer_id).select_related("membership__user")
    return found if role_allows(membership.role, Permission.REFUND) else found.filter(membership=membership)


def _shift(membership, pk: int) -> Shift:
    found = _visible(membership).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No shift {pk}.")
    return found


@router.get("organizers/{org}/shifts", response=list[ShiftOut])
def list_shifts(request, org: str):
    """The 50 most recent shifts (yours, or every shift for an admin)."""
    membership = membership_for(request, org)
    return [shift_out(s) for s in _visible(membership)[:50]]


@router.post("organizers/{org}/shifts", response={201: ShiftOut})
def open_shift(request, org: str, payload: ShiftIn):
    membership = membership_for(request, org)
    return Status(201, shift_out(shifts.open_shift(membership, desk=payload.desk, opening_float=payload.opening_float)))


@router.get("organizers/{org}/shifts/{id:shift}", response=ShiftOut)
def shift_detail(request, org: str, shift: int):
    return shift_out(_shift(membership_for(request, org), shift))


@router.post("organizers/{org}/shifts/{id:shift}/close", response=ShiftOut)
def close_shift(request, org: str, shift: int, payload: CloseIn):
    membership = membership_for(request, org)
    found = _shift(membership, shift)
    closed = shifts.close_shift(found, counted_cash=payload.counted_cash, counted_card=payload.counted_card, actor=membership)
    return shift_out(closed)
