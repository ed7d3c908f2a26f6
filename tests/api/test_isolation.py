"""Objects of another organizer answer 404, exactly like missing ones, and a refused request
changes nothing — whichever organizer the path names."""

import pytest

from .helpers import ENDPOINTS, assert_error, assert_page, order_body, unchanged

# Endpoints whose path or body names one of the museum's objects.
NAMING_MUSEUM_OBJECTS = [n for n in ENDPOINTS if n not in {"list events", "create event", "list orders"}]

UNKNOWN_IDS = {"event": 987654, "timeslot": 987654, "code": "ZZZZZZZ"}
UNKNOWN_ID_ENDPOINTS = [n for n, e in ENDPOINTS.items() if any("{" + k + "}" in e.path for k in UNKNOWN_IDS)]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_another_organizers_token_gets_404_on_the_museums_paths(other, museum, name):
    with unchanged():
        assert_error(ENDPOINTS[name].request(other.on_museum, museum), 404, "not_found")


@pytest.mark.parametrize("name", NAMING_MUSEUM_OBJECTS)
def test_another_organizer_cannot_reach_the_museums_objects_through_its_own_path(other, museum, name):
    with unchanged():
        assert_error(ENDPOINTS[name].request(other.api, museum), 404, "not_found")


@pytest.mark.parametrize("name", UNKNOWN_ID_ENDPOINTS)
def test_unknown_ids_answer_404(as_admin, museum, name):
    with unchanged():
        assert_error(ENDPOINTS[name].request(as_admin, {**museum, **UNKNOWN_IDS}), 404, "not_found")


def test_another_organizers_order_is_answered_like_a_missing_one(as_admin, other, museum):
    mine_missing = as_admin.get("orders/ZZZZZZZ")
    theirs = as_admin.get(f"orders/{other.order.code}")
    assert theirs.status_code == mine_missing.status_code == 404
    assert theirs.json()["code"] == mine_missing.json()["code"] == "not_found"


def test_a_timeslot_of_another_organizer_is_not_found_under_an_own_event(other, museum):
    with unchanged():
        assert_error(other.api.get(f"events/{other.event.pk}/timeslots/{museum['timeslot']}"), 404, "not_found")
        response = other.api.patch(f"events/{other.event.pk}/timeslots/{museum['timeslot']}", {"capacity": 1})
        assert_error(response, 404, "not_found")


def test_search_never_finds_another_organizers_orders(other, museum):
    expected = {museum["code"]: [], museum["barcode"]: [], "Ann": [other.order.code], "ann@example.test": [other.order.code]}
    for term, codes in expected.items():
        items = assert_page(other.api.get("orders", {"search": term}).json(), len(codes))
        assert [item["code"] for item in items] == codes
    assert_page(other.api.get("orders", {"event": museum["event"]}).json(), 0)
    assert_page(other.api.get("orders", {"timeslot": museum["timeslot"]}).json(), 0)


def test_event_list_shows_only_the_callers_events(as_admin, other, museum):
    items = assert_page(as_admin.get("events").json(), 1)
    assert [item["id"] for item in items] == [museum["event"]]
    assert [item["id"] for item in assert_page(other.api.get("events").json(), 1)] == [other.event.pk]


def test_a_sale_cannot_use_another_organizers_timeslot_or_ticket_type(other, museum, timeslot, adult):
    """Ids of another organizer in the body are answered like ids that do not exist."""
    own = (other.ticket_type, other.timeslot, 1)
    unknown_slot = order_body(other.event, [own])
    unknown_slot["lines"][0]["timeslot"] = 987654
    unknown_type = order_body(other.event, [own])
    unknown_type["lines"][0]["ticket_type"] = 987654
    with unchanged():
        for theirs, unknown in (
            (order_body(other.event, [(other.ticket_type, timeslot, 1)]), unknown_slot),
            (order_body(other.event, [(adult, other.timeslot, 1)]), unknown_type),
        ):
            refused, missing = other.api.post("orders", theirs), other.api.post("orders", unknown)
            assert 400 <= refused.status_code < 500
            assert (refused.status_code, refused.json()["code"]) == (missing.status_code, missing.json()["code"])


def test_reschedule_cannot_move_tickets_into_another_organizers_timeslot(other, museum, timeslot):
    with unchanged():
        response = other.api.post(f"orders/{other.order.code}/reschedule", {"to_timeslot": timeslot.pk})
        assert_error(response, 404, "not_found")


def test_bulk_action_cannot_touch_another_organizers_ticket(other, museum):
    """A museum barcode sent with the other organizer's own order is not one of its tickets."""
    body = {"action": "blacklisted", "tickets": [museum["barcode"]]}
    with unchanged():
        assert_error(other.api.post(f"orders/{other.order.code}/tickets/bulk", body), 422, "ticket_not_in_order")
