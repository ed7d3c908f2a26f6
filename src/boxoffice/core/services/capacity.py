"""Places and quotas move only here, by conditional UPDATEs in primary-key order.

A conditional `UPDATE ... SET sold = sold + n WHERE sold + n <= capacity` is atomic on
PostgreSQL (a concurrent writer waits for the row and re-checks the condition) and on SQLite
(IMMEDIATE transactions serialise writers), so two sales can never both take the last place.
Updating in primary-key order means two transactions never wait on each other in a cycle."""

from django.db.models import F, Q

from boxoffice.core.errors import TicketTypeSoldOut, TimeslotClosed, TimeslotFull
from boxoffice.core.models import TicketType, Timeslot


def move_places(deltas: dict[int, int]) -> None:
    """Apply {timeslot id: +taken/-released}. Raises TimeslotFull if a timeslot lacks room,
    TimeslotClosed if it is closed for sale (checked in the same UPDATE: a close and a sale at
    the same moment cannot both win)."""
    for timeslot_id in sorted(deltas):
        delta = deltas[timeslot_id]
        if delta > 0:
            taken = Timeslot.objects.filter(
                pk=timeslot_id, sold__lte=F("capacity") - delta, closed_at__isnull=True
            ).update(sold=F("sold") + delta)
            if not taken:
                _raise_full(timeslot_id, delta)
        elif delta < 0:
            Timeslot.objects.filter(pk=timeslot_id).update(sold=F("sold") + delta)


def move_quota(deltas: dict[int, int]) -> None:
    """Apply {ticket type id: +taken/-released} to ticket types with a quota."""
    for ticket_type_id in sorted(deltas):
        delta = deltas[ticket_type_id]
        if delta > 0:
            room = Q(quota__isnull=True) | Q(sold__lte=F("quota") - delta)
            taken = TicketType.objects.filter(room, pk=ticket_type_id).update(sold=F("sold") + delta)
            if not taken:
                ticket_type = TicketType.objects.get(pk=ticket_type_id)
                left = max(ticket_type.quota - ticket_type.sold, 0)
                raise TicketTypeSoldOut(
                    f"{ticket_type.name}: {left} left; {delta} requested.",
                    ticket_type=ticket_type_id,
                    available=left,
                )
        elif delta < 0:
            TicketType.objects.filter(pk=ticket_type_id).update(sold=F("sold") + delta)


def _raise_full(timeslot_id: int, requested: int) -> None:
    from boxoffice.core.services.formatting import timeslot_label

    timeslot = Timeslot.objects.select_related("event").get(pk=timeslot_id)
    if timeslot.closed:
        raise TimeslotClosed(f"Time block {timeslot_label(timeslot)} is closed for sale.", timeslot=timeslot_id)
    left = max(timeslot.capacity - timeslot.sold, 0)
    raise TimeslotFull(
        f"Timeslot {timeslot_label(timeslot)} has {left} place{'s' if left != 1 else ''} left; {requested} requested.",
        timeslot=timeslot_id,
        available=left,
    )
