"""Ticket operations (§3.7): the bulk state actions and Reissue tickets."""

import pytest

from boxoffice.core.models import AuditEntry, Message, Ticket
from boxoffice.core.services.orders import remove_order
from boxoffice.core.services.tickets import reissue_tickets, set_ticket_states


def _barcodes(order):
    live = Ticket.objects.filter(order=order).exclude(state="void").order_by("pk")
    return list(live.values_list("barcode", flat=True))


def _states(order):
    return dict(Ticket.objects.filter(order=order).values_list("barcode", "state"))


def _last_audit(order):
    return AuditEntry.objects.filter(order=order).order_by("-pk").first()


# --- bulk state actions ----------------------------------------------------------------------

@pytest.mark.parametrize("state", ["unscanned", "scanned_in", "scanned_out", "blacklisted"])
def test_bulk_action_sets_only_the_selected_tickets(sell, operator, state):
    order = sell(3)
    first, second, third = _barcodes(order)
    set_ticket_states(order, barcodes=[first, third], state="scanned_in", actor=operator)
    changed = set_ticket_states(order, barcodes=[first, second], state=state, actor=operator)
    assert sorted(t.barcode for t in changed) == sorted([first, second])
    assert _states(order) == {first: state, second: state, third: "scanned_in"}
    assert all(t.state_changed_at is not None for t in Ticket.objects.filter(barcode__in=[first, second]))
    entry = _last_audit(order)
    assert (entry.action, entry.actor_label) == (f"tickets.{state}", "desk@museum.test")
    assert entry.before == {first: "scanned_in", second: "unscanned"}
    assert entry.after == {first: state, second: state}


def test_blacklisted_ticket_cannot_be_scanned_in_by_hand(sell, operator, refused):
    order = sell(2)
    first, second = _barcodes(order)
    set_ticket_states(order, barcodes=[first], state="blacklisted", actor=operator)
    with refused("invalid_transition"):
        set_ticket_states(order, barcodes=[first, second], state="scanned_in", actor=operator)
    with refused("invalid_transition"):
        set_ticket_states(order, barcodes=[first], state="scanned_out", actor=operator)


def test_unscanned_lifts_a_blacklisting(sell, operator):
    order = sell(1)
    (barcode,) = _barcodes(order)
    set_ticket_states(order, barcodes=[barcode], state="blacklisted", actor=operator)
    set_ticket_states(order, barcodes=[barcode], state="unscanned", actor=operator)
    set_ticket_states(order, barcodes=[barcode], state="scanned_in", actor=operator)
    assert _states(order) == {barcode: "scanned_in"}


def test_void_ticket_cannot_be_changed(sell, operator, refused):
    order = sell(1)
    (old,) = _barcodes(order)
    reissue_tickets(order, actor=operator)
    with refused("ticket_void") as info:
        set_ticket_states(order, barcodes=[old], state="unscanned", actor=operator)
    assert info.value.details["barcodes"] == [old]


def test_tickets_of_a_removed_order_stay_void(sell, operator, refused):
    order = sell(2)
    barcodes = _barcodes(order)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    with refused("ticket_void"):
        set_ticket_states(order, barcodes=barcodes, state="unscanned", actor=operator)


def test_mixed_selection_with_a_void_ticket_changes_nothing(sell, operator, refused):
    order = sell(2)
    old = _barcodes(order)
    reissue_tickets(order, actor=operator)
    new = _barcodes(order)
    with refused("ticket_void"):
        set_ticket_states(order, barcodes=[new[0], old[0]], state="blacklisted", actor=operator)
    assert {_states(order)[b] for b in new} == {"unscanned"}


def test_barcode_of_another_order_is_refused(sell, operator, refused):
    mine = sell(1)
    theirs = sell(1, email="bo@example.test")
    with refused("ticket_not_in_order") as info:
        set_ticket_states(mine, barcodes=_barcodes(mine) + _barcodes(theirs), state="blacklisted", actor=operator)
    assert info.value.details["barcodes"] == _barcodes(theirs)


def test_unknown_barcode_is_refused(sell, operator, refused):
    order = sell(1)
    with refused("ticket_not_in_order"):
        set_ticket_states(order, barcodes=["ABCDEFGHJKABCDEFGHJK"], state="scanned_in", actor=operator)


def test_barcodes_typed_in_lower_case_are_found(sell, operator):
    order = sell(1)
    (barcode,) = _barcodes(order)
    set_ticket_states(order, barcodes=[f" {barcode.lower()} "], state="scanned_in", actor=operator)
    assert _states(order) == {barcode: "scanned_in"}


def test_empty_selection_is_refused(sell, operator, refused):
    order = sell(1)
    with refused("validation_error"):
        set_ticket_states(order, barcodes=["  "], state="scanned_in", actor=operator)


@pytest.mark.parametrize("state", ["void", "reissue", "deleted"])
def test_only_the_four_bulk_states_can_be_set_by_hand(sell, operator, state, refused):
    order = sell(1)
    with refused("validation_error"):
        set_ticket_states(order, barcodes=_barcodes(order), state=state, actor=operator)


def test_viewer_cannot_change_ticket_states(sell, viewer, refused):
    order = sell(1)
    with refused("permission_denied"):
        set_ticket_states(order, barcodes=_barcodes(order), state="blacklisted", actor=viewer)


# --- Reissue tickets -------------------------------------------------------------------------

def test_reissue_voids_every_ticket_and_adds_replacements_in_the_same_state(
    sell_lines, adult, child, timeslot, other_timeslot, operator
):
    order = sell_lines([(adult, timeslot, 2), (child, other_timeslot, 1)])
    set_ticket_states(order, barcodes=_barcodes(order)[:1], state="scanned_in", actor=operator)
    set_ticket_states(order, barcodes=_barcodes(order)[1:2], state="blacklisted", actor=operator)
    old = list(Ticket.objects.filter(order=order).order_by("pk"))
    states_before = {t.pk: (t.state, t.state_changed_at) for t in old}
    new = reissue_tickets(order, actor=operator)
    assert len(new) == len(old) == 3
    assert [states_before[t.pk][0] for t in old] == ["scanned_in", "blacklisted", "unscanned"]
    for ticket in old:
        ticket.refresh_from_db()
        assert (ticket.state, ticket.void_reason) == ("void", "reissued")
        replacement = ticket.replaced_by
        assert replacement.barcode != ticket.barcode
        assert (replacement.state, replacement.state_changed_at, replacement.void_reason) == (*states_before[ticket.pk], "")
        assert (replacement.ticket_type_id, replacement.timeslot_id, replacement.price, replacement.vat_rate) == (
            ticket.ticket_type_id, ticket.timeslot_id, ticket.price, ticket.vat_rate
        )
    new_barcodes = {t.barcode for t in new}
    assert len(new_barcodes) == 3 and not new_barcodes & {t.barcode for t in old}
    assert set(_barcodes(order)) == new_barcodes


def test_reissue_keeps_capacity_and_queues_no_message(sell, operator, timeslot):
    order = sell(3)
    reissue_tickets(order, actor=operator)
    timeslot.refresh_from_db()
    assert timeslot.sold == 3
    assert not Message.objects.filter(order=order).exists()


def test_reissue_is_audited_with_old_and_new_barcodes(sell, operator):
    order = sell(2)
    old = _barcodes(order)
    new = reissue_tickets(order, actor=operator)
    entry = _last_audit(order)
    assert (entry.action, entry.actor_label) == ("tickets.reissued", "desk@museum.test")
    assert entry.before == {b: "unscanned" for b in old}
    assert entry.after == {"void": old, "new": [t.barcode for t in new], "states": {t.barcode: "unscanned" for t in new}}


def test_reissuing_twice_replaces_the_replacements(sell, operator, timeslot):
    order = sell(2)
    first = reissue_tickets(order, actor=operator)
    second = reissue_tickets(order, actor=operator)
    assert [t.replaces_id for t in second] == [t.pk for t in first]
    assert Ticket.objects.filter(order=order, state="void").count() == 4
    assert set(_barcodes(order)) == {t.barcode for t in second}
    timeslot.refresh_from_db()
    assert timeslot.sold == 2


def test_removed_order_cannot_be_reissued(sell, operator, refused):
    order = sell(2)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    with refused("order_removed"):
        reissue_tickets(order, actor=operator)


def test_reissue_selection_must_name_tickets_of_the_order(sell, operator, refused):
    mine = sell(1)
    theirs = sell(1, email="bo@example.test")
    with refused("ticket_not_in_order"):
        reissue_tickets(mine, barcodes=_barcodes(theirs), actor=operator)


def test_viewer_cannot_reissue(sell, viewer, refused):
    order = sell(1)
    with refused("permission_denied"):
        reissue_tickets(order, actor=viewer)
