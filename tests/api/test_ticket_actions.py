"""Ticket operations (§3.7, the bulk actions) and rescheduling (§3.8) through the API."""

import pytest

from boxoffice.core.models import AuditEntry, Message, Ticket

from .helpers import assert_error, barcodes, order_body, unchanged


@pytest.fixture
def order(sell):
    return sell(3)


def bulk(api, order, action, tickets):
    return api.post(f"orders/{order.code}/tickets/bulk", {"action": action, "tickets": tickets})


def states(order) -> dict[str, str]:
    return dict(Ticket.objects.filter(order=order).values_list("barcode", "state"))


# --- bulk actions -------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["scanned_in", "scanned_out", "blacklisted", "unscanned"])
def test_bulk_action_sets_the_state_of_the_selected_tickets_only(as_operator, order, action):
    first, second, third = barcodes(order)
    response = bulk(as_operator, order, action, [first, second])
    assert response.status_code == 200
    body = response.json()
    assert body["action"] == action
    assert [(t["barcode"], t["state"]) for t in body["tickets"]] == [(first, action), (second, action)]
    assert {t["barcode"]: t["state"] for t in body["order"]["tickets"]} == {first: action, second: action, third: "unscanned"}
    assert states(order) == {first: action, second: action, third: "unscanned"}
    entry = AuditEntry.objects.get(order=order, action=f"tickets.{action}")
    assert entry.after == {first: action, second: action}
    assert body["order"]["history"][-1]["action"] == f"tickets.{action}"


def test_unscanned_lifts_a_blacklisting(as_operator, order):
    first = barcodes(order)[0]
    bulk(as_operator, order, "blacklisted", [first])
    assert bulk(as_operator, order, "unscanned", [first]).status_code == 200
    assert states(order)[first] == "unscanned"


def test_a_blacklisted_ticket_cannot_be_marked_used_directly(as_operator, order):
    first = barcodes(order)[0]
    bulk(as_operator, order, "blacklisted", [first])
    with unchanged():
        assert_error(bulk(as_operator, order, "scanned_in", [first]), 409, "invalid_transition")


def test_barcodes_are_matched_however_they_are_typed(as_operator, order):
    first = barcodes(order)[0]
    assert bulk(as_operator, order, "scanned_in", [f" {first.lower()} "]).status_code == 200
    assert states(order)[first] == "scanned_in"


def test_reissue_voids_every_ticket_and_adds_new_barcodes(as_operator, order, timeslot, adult):
    old = barcodes(order)
    bulk(as_operator, order, "blacklisted", old[:1])
    response = bulk(as_operator, order, "reissue", old[:1])
    assert response.status_code == 200
    body = response.json()
    new = [t["barcode"] for t in body["tickets"]]
    assert len(new) == 3 and not set(new) & set(old)
    assert all((t["timeslot"], t["ticket_type"]) == (timeslot.pk, adult.pk) for t in body["tickets"])
    assert [t["state"] for t in body["tickets"]] == ["blacklisted", "unscanned", "unscanned"]  # as the old ones were
    by_barcode = {t["barcode"]: t for t in body["order"]["tickets"]}
    assert {by_barcode[b]["state"] for b in old} == {"void"}
    assert {by_barcode[b]["void_reason"] for b in old} == {"reissued"}
    entry = AuditEntry.objects.get(order=order, action="tickets.reissued")
    assert (entry.after["void"], sorted(entry.after["new"])) == (old, sorted(new))
    assert not Message.objects.filter(order=order).exists()  # reissued tickets are not sent by themselves
    timeslot.refresh_from_db()
    assert timeslot.sold == 3


@pytest.mark.parametrize("action", ["unscanned", "scanned_in", "blacklisted", "reissue"])
def test_void_tickets_cannot_be_changed(as_operator, order, action):
    old = barcodes(order)
    bulk(as_operator, order, "reissue", old)
    with unchanged():
        body = assert_error(bulk(as_operator, order, action, [old[0]]), 409, "ticket_void")
    assert body["details"]["barcodes"] == [old[0]]


def test_bulk_action_naming_a_ticket_of_another_order_changes_nothing(as_operator, order, sell):
    stranger = barcodes(sell(1, email="zed@example.test", name="Zed"))[0]
    with unchanged():
        body = assert_error(
            bulk(as_operator, order, "blacklisted", [barcodes(order)[0], stranger]), 422, "ticket_not_in_order"
        )
    assert body["details"]["barcodes"] == [stranger]


def test_reissue_of_a_removed_order_is_refused(as_operator, order):
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    with unchanged():
        assert_error(bulk(as_operator, order, "reissue", barcodes(order)), 409, "order_removed")


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "delete", "tickets": ["{b}"]},
        {"action": "download", "tickets": ["{b}"]},
        {"action": "scanned_in", "tickets": []},
        {"action": "scanned_in", "tickets": ["   "]},
        {"action": "scanned_in", "tickets": "{b}"},
        {"action": "scanned_in", "tickets": [123]},
        {"action": "scanned_in"},
        {"tickets": ["{b}"]},
    ],
)
def test_bulk_action_with_invalid_fields_is_rejected(as_operator, order, payload):
    b = barcodes(order)[0]
    filled = {k: [x.replace("{b}", b) if isinstance(x, str) else x for x in v] if isinstance(v, list)
              else v.replace("{b}", b) for k, v in payload.items()}
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/tickets/bulk", filled), 422, "validation_error")


# --- reschedule ---------------------------------------------------------------------------


def test_reschedule_moves_the_tickets_and_their_places(as_operator, order, timeslot, other_timeslot):
    old = barcodes(order)
    response = as_operator.post(f"orders/{order.code}/reschedule", {"to_timeslot": other_timeslot.pk})
    assert response.status_code == 200
    body = response.json()
    assert [(t["barcode"], t["timeslot"]) for t in body["tickets"]] == [(b, other_timeslot.pk) for b in old]
    assert body["history"][-1]["action"] == "order.rescheduled"
    assert body["messages"] == []
    timeslot.refresh_from_db()
    other_timeslot.refresh_from_db()
    assert (timeslot.sold, other_timeslot.sold) == (0, 3)
    assert AuditEntry.objects.get(order=order, action="order.rescheduled").before == {b: timeslot.pk for b in old}


def test_reschedule_with_send_tickets_queues_the_updated_tickets(as_operator, order, other_timeslot):
    body = as_operator.post(
        f"orders/{order.code}/reschedule", {"to_timeslot": other_timeslot.pk, "send_tickets": True}
    ).json()
    assert [(m["kind"], m["to"], m["status"]) for m in body["messages"]] == [("tickets", "ann@example.test", "queued")]


def test_reschedule_from_one_timeslot_moves_only_its_tickets(
    as_operator, event, adult, timeslot, other_timeslot, make_timeslot
):
    later = make_timeslot()
    sold = as_operator.post("orders", order_body(event, [(adult, timeslot, 1), (adult, other_timeslot, 2)])).json()
    payload = {"to_timeslot": later.pk, "from_timeslot": other_timeslot.pk}
    body = as_operator.post(f"orders/{sold['code']}/reschedule", payload).json()
    assert sorted(t["timeslot"] for t in body["tickets"]) == sorted([timeslot.pk, later.pk, later.pk])
    for slot, sold_places in ((timeslot, 1), (other_timeslot, 0), (later, 2)):
        slot.refresh_from_db()
        assert slot.sold == sold_places


def test_reschedule_from_a_timeslot_without_tickets_of_the_order_is_refused(as_operator, order, other_timeslot, make_timeslot):
    later = make_timeslot()
    with unchanged():
        response = as_operator.post(
            f"orders/{order.code}/reschedule", {"to_timeslot": later.pk, "from_timeslot": other_timeslot.pk}
        )
        assert_error(response, 422, "validation_error")


def test_reschedule_into_a_full_timeslot_is_refused(as_operator, order, make_timeslot):
    small = make_timeslot(capacity=2)
    with unchanged():
        body = assert_error(as_operator.post(f"orders/{order.code}/reschedule", {"to_timeslot": small.pk}), 409, "timeslot_full")
    assert body["details"] == {"timeslot": small.pk, "available": 2}


def test_reschedule_into_a_timeslot_of_another_event_is_refused(as_operator, order, concert):
    with unchanged():
        response = as_operator.post(f"orders/{order.code}/reschedule", {"to_timeslot": concert.timeslot.pk})
        assert_error(response, 422, "timeslot_wrong_event")


def test_reschedule_of_a_removed_order_is_refused(as_operator, order, other_timeslot):
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    with unchanged():
        response = as_operator.post(f"orders/{order.code}/reschedule", {"to_timeslot": other_timeslot.pk})
        assert_error(response, 409, "order_removed")


def test_reschedule_into_an_unknown_timeslot_is_not_found(as_operator, order, other_timeslot):
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/reschedule", {"to_timeslot": 987654}), 404, "not_found")
        response = as_operator.post(
            f"orders/{order.code}/reschedule", {"to_timeslot": other_timeslot.pk, "from_timeslot": 987654}
        )
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    "payload",
    [{}, {"to_timeslot": "tomorrow"}, {"to_timeslot": None}, {"to_timeslot": 1, "send_tickets": "please"}],
)
def test_reschedule_with_invalid_fields_is_rejected(as_operator, order, payload):
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/reschedule", payload), 422, "validation_error")


def test_reschedule_into_the_same_timeslot_is_refused(as_operator, order, timeslot):
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/reschedule", {"to_timeslot": timeslot.pk}), 422, "validation_error")
