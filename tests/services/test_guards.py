"""Facts the database itself refuses to store, whatever code writes to it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from boxoffice.core.models import Order, Ticket, TicketType, Timeslot
from boxoffice.core.rules.codes import new_barcode


def _ticket(order, *, timeslot, event=None, barcode=None, **fields):
    ticket_type = fields.pop("ticket_type", None) or order.tickets.first().ticket_type
    return Ticket(
        order=order,
        event=event or order.event,
        timeslot=timeslot,
        ticket_type=ticket_type,
        barcode=barcode or new_barcode(),
        price=Decimal("17.50"),
        vat_rate=Decimal("9"),
        **fields,
    )


def _refused_by_database(write):
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            write()


def test_ticket_for_a_timeslot_of_another_event_is_refused(sell, second_event):
    order = sell(1)
    _, foreign_slot, _ = second_event
    _refused_by_database(lambda: _ticket(order, timeslot=foreign_slot).save())
    assert order.tickets.count() == 1


def test_ticket_cannot_be_moved_to_a_timeslot_of_another_event(sell, second_event):
    order = sell(1)
    _, foreign_slot, _ = second_event
    ticket = order.tickets.get()
    _refused_by_database(lambda: Ticket.objects.filter(pk=ticket.pk).update(timeslot=foreign_slot))
    assert Ticket.objects.get(pk=ticket.pk).timeslot_id == ticket.timeslot_id != foreign_slot.pk


def test_ticket_claiming_the_other_event_for_its_timeslot_is_refused(sell, second_event):
    """Even with the ticket's own event set to match the timeslot, the order's event must match."""
    order = sell(1)
    event2, foreign_slot, _ = second_event
    _refused_by_database(lambda: _ticket(order, timeslot=foreign_slot, event=event2).save())


def test_ticket_for_a_timeslot_of_its_own_event_is_stored(sell, other_timeslot):
    order = sell(1)
    _ticket(order, timeslot=other_timeslot).save()
    assert order.tickets.count() == 2


def test_duplicate_barcode_is_refused(sell, other_timeslot):
    first = sell(1)
    second = sell(1, email="bo@example.test")
    taken = first.tickets.get().barcode
    _refused_by_database(lambda: _ticket(second, timeslot=other_timeslot, barcode=taken).save())
    assert Ticket.objects.filter(barcode=taken).count() == 1


def test_timeslot_cannot_be_oversold(timeslot):
    _refused_by_database(lambda: Timeslot.objects.filter(pk=timeslot.pk).update(sold=F("capacity") + 1))
    timeslot.refresh_from_db()
    assert timeslot.sold == 0


def test_timeslot_capacity_cannot_drop_below_sold(sell, timeslot):
    sell(3)
    _refused_by_database(lambda: Timeslot.objects.filter(pk=timeslot.pk).update(capacity=2))


def test_timeslot_must_end_after_it_starts(timeslot):
    _refused_by_database(lambda: Timeslot.objects.filter(pk=timeslot.pk).update(end=F("start")))


def test_ticket_type_quota_cannot_be_exceeded(event, admin):
    from boxoffice.core.services import setup

    limited = setup.create_ticket_type(event, name="Members", price=Decimal("5"), vat_rate=Decimal("9"), quota=2,
                                       actor=admin)
    _refused_by_database(lambda: TicketType.objects.filter(pk=limited.pk).update(sold=3))


def test_void_ticket_needs_a_reason_and_a_live_one_none(sell):
    ticket = sell(1).tickets.get()
    _refused_by_database(lambda: Ticket.objects.filter(pk=ticket.pk).update(state="void"))
    _refused_by_database(lambda: Ticket.objects.filter(pk=ticket.pk).update(void_reason="removed"))


def test_order_code_is_unique_per_organizer(sell):
    first = sell(1)
    second = sell(1, email="bo@example.test")
    _refused_by_database(lambda: Order.objects.filter(pk=second.pk).update(code=first.code))
