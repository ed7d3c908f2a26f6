"""Reschedule to another timeslot (§3.8): capacity moves atomically, barcodes stay."""

from boxoffice.core.models import AuditEntry, Message, Ticket
from boxoffice.core.services.orders import remove_order
from boxoffice.core.services.reschedule import reschedule_order
from boxoffice.core.services.tickets import reissue_tickets


def _slots(order):
    return dict(Ticket.objects.filter(order=order).exclude(state="void").values_list("barcode", "timeslot_id"))


def _sold(*slots):
    for slot in slots:
        slot.refresh_from_db()
    return tuple(slot.sold for slot in slots)


def test_reschedule_moves_every_ticket_and_keeps_barcodes(sell, operator, timeslot, other_timeslot):
    order = sell(3)
    before = _slots(order)
    moved = reschedule_order(order, to_timeslot=other_timeslot, actor=operator)
    assert sorted(t.barcode for t in moved) == sorted(before)
    assert _slots(order) == {barcode: other_timeslot.pk for barcode in before}
    assert _sold(timeslot, other_timeslot) == (0, 3)


def test_reschedule_is_audited_with_the_old_timeslots(sell, operator, timeslot, other_timeslot):
    order = sell(2)
    before = _slots(order)
    reschedule_order(order, to_timeslot=other_timeslot, actor=operator)
    entry = AuditEntry.objects.filter(order=order).order_by("-pk").first()
    assert (entry.action, entry.actor_label) == ("order.rescheduled", "desk@museum.test")
    assert entry.before == before
    assert entry.after == {"timeslot": other_timeslot.pk, "tickets": 2, "message": None}


def test_reschedule_from_one_timeslot_moves_only_its_tickets(sell_lines, adult, operator, timeslot, other_timeslot,
                                                              make_timeslot):
    target = make_timeslot(capacity=10)
    order = sell_lines([(adult, timeslot, 2), (adult, other_timeslot, 1)])
    before = _slots(order)
    moved = reschedule_order(order, to_timeslot=target, from_timeslot=timeslot, actor=operator)
    assert len(moved) == 2
    assert _slots(order) == {b: (target.pk if slot == timeslot.pk else slot) for b, slot in before.items()}
    assert _sold(timeslot, other_timeslot, target) == (0, 1, 2)


def test_reschedule_into_the_last_places_succeeds(sell, operator, timeslot, make_timeslot):
    target = make_timeslot(capacity=2)
    order = sell(2)
    reschedule_order(order, to_timeslot=target, actor=operator)
    assert _sold(timeslot, target) == (0, 2)


def test_reschedule_to_a_full_timeslot_changes_nothing(sell, operator, make_timeslot, refused):
    target = make_timeslot(capacity=3)
    sell(2, slot=target, email="early@example.test")
    order = sell(2)
    with refused("timeslot_full") as info:
        reschedule_order(order, to_timeslot=target, actor=operator, send_tickets=True)
    assert info.value.details["available"] == 1


def test_reschedule_to_a_timeslot_of_another_event_is_refused(sell, operator, second_event, refused):
    _, foreign_slot, _ = second_event
    order = sell(2)
    with refused("timeslot_wrong_event"):
        reschedule_order(order, to_timeslot=foreign_slot, actor=operator)


def test_reschedule_from_a_timeslot_of_another_event_is_refused(sell, operator, other_timeslot, second_event,
                                                                  refused):
    _, foreign_slot, _ = second_event
    order = sell(2)
    with refused("timeslot_wrong_event"):
        reschedule_order(order, to_timeslot=other_timeslot, from_timeslot=foreign_slot, actor=operator)


def test_reschedule_to_a_timeslot_of_another_organizer_is_refused(sell, operator, other_org, refused):
    order = sell(2)
    with refused("timeslot_wrong_event"):
        reschedule_order(order, to_timeslot=other_org.timeslot, actor=operator)


def test_reschedule_with_send_tickets_queues_the_updated_tickets(sell, operator, other_timeslot):
    order = sell(2, email="Ann@Example.test")
    reschedule_order(order, to_timeslot=other_timeslot, actor=operator, send_tickets=True)
    message = Message.objects.get(order=order)
    assert (message.kind, message.to, message.status) == ("tickets", "Ann@Example.test", "queued")
    entry = AuditEntry.objects.filter(order=order).order_by("-pk").first()
    assert entry.after["message"] == message.pk


def test_reschedule_without_send_tickets_queues_nothing(sell, operator, other_timeslot):
    order = sell(2)
    reschedule_order(order, to_timeslot=other_timeslot, actor=operator)
    assert not Message.objects.filter(order=order).exists()


def test_reschedule_moves_replacements_not_void_tickets(sell, operator, timeslot, other_timeslot):
    order = sell(2)
    reissue_tickets(order, actor=operator)
    reschedule_order(order, to_timeslot=other_timeslot, actor=operator)
    assert set(Ticket.objects.filter(order=order, state="void").values_list("timeslot_id", flat=True)) == {timeslot.pk}
    assert _sold(timeslot, other_timeslot) == (0, 2)


def test_removed_order_cannot_be_rescheduled(sell, operator, other_timeslot, refused):
    order = sell(2)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    with refused("order_removed"):
        reschedule_order(order, to_timeslot=other_timeslot, actor=operator)


def test_reschedule_to_the_same_timeslot_is_refused(sell, operator, timeslot, refused):
    order = sell(2)
    with refused("validation_error"):
        reschedule_order(order, to_timeslot=timeslot, actor=operator)


def test_viewer_cannot_reschedule(sell, viewer, other_timeslot, refused):
    order = sell(2)
    with refused("permission_denied"):
        reschedule_order(order, to_timeslot=other_timeslot, actor=viewer)
