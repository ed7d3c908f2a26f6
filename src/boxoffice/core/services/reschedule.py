"""Moving an order's tickets to another timeslot of the same event (§3.8)."""

from collections import Counter

from django.db import transaction

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, OrderRemoved, TimeslotWrongEvent
from boxoffice.core.models import Message, Order, Ticket, Timeslot
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.capacity import move_places
from boxoffice.core.services.locking import lock_order
from boxoffice.core.services.messages import queue_message
from boxoffice.core.services.permissions import require


def reschedule_order(
    order: Order,
    *,
    to_timeslot: Timeslot,
    actor,
    from_timeslot: Timeslot | None = None,
    send_tickets: bool = False,
) -> list[Ticket]:
    """Move the order's live tickets (or only those in `from_timeslot`) to `to_timeslot`,
    taking its places atomically; barcodes stay the same. With send_tickets, the updated
    tickets are queued for the buyer. Raises OrderRemoved, TimeslotWrongEvent, TimeslotFull."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    for slot in (to_timeslot, from_timeslot):
        if slot is not None and slot.event_id != order.event_id:
            raise TimeslotWrongEvent(f"Timeslot {slot.pk} is not a timeslot of {order.event.name}.")
    with transaction.atomic():
        order = lock_order(order)
        if order.status == Order.Status.REMOVED:
            raise OrderRemoved(f"Order {order.code} was removed; it cannot be rescheduled.")
        live = Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID)
        if from_timeslot is not None:
            live = live.filter(timeslot=from_timeslot)
        moving = [t for t in live.order_by("pk") if t.timeslot_id != to_timeslot.pk]
        if not moving:
            raise InvalidInput(f"No tickets of order {order.code} to move to that timeslot.")
        deltas = {slot: -n for slot, n in Counter(t.timeslot_id for t in moving).items()}
        deltas[to_timeslot.pk] = len(moving)
        move_places(deltas)
        Ticket.objects.filter(pk__in=[t.pk for t in moving]).update(timeslot=to_timeslot)
        queued = queue_message(order, kind=Message.Kind.TICKETS, actor=actor) if send_tickets else None
        audit.record(
            actor,
            "order.rescheduled",
            organizer=order.organizer,
            order=order,
            target=order.code,
            before={t.barcode: t.timeslot_id for t in moving},
            after={"timeslot": to_timeslot.pk, "tickets": len(moving), "message": queued.pk if queued else None},
        )
        for ticket in moving:
            ticket.timeslot = to_timeslot
    return moving
