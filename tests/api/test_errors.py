"""Bad input gets a 4xx with a stable code and changes nothing (§3, §8 "Errors")."""

import json

import pytest

from boxoffice.core.models import Comment

from .helpers import ENDPOINTS, ApiClient, assert_error, order_body, unchanged

BODY_ENDPOINTS = [n for n, e in ENDPOINTS.items() if e.body is not None]


@pytest.mark.parametrize("name", BODY_ENDPOINTS)
@pytest.mark.parametrize("raw", ['{"name": "unterminated', "{'single': 'quotes'}", "not json at all", '{"a": 1,}'])
def test_malformed_json_is_a_malformed_request(as_admin, museum, name, raw):
    endpoint = ENDPOINTS[name]
    send = as_admin.post if endpoint.method == "POST" else as_admin.patch
    with unchanged():
        assert_error(send(endpoint.path.format(**museum), raw=raw), 400, "malformed_request")


@pytest.mark.parametrize("name", BODY_ENDPOINTS)
@pytest.mark.parametrize("raw", ["[]", "null", '"text"', "42"])
def test_a_body_that_is_not_an_object_is_rejected(as_admin, museum, name, raw):
    endpoint = ENDPOINTS[name]
    send = as_admin.post if endpoint.method == "POST" else as_admin.patch
    with unchanged():
        response = send(endpoint.path.format(**museum), raw=raw)
        assert 400 <= response.status_code < 500
        assert response.json()["code"] in {"malformed_request", "validation_error"}


@pytest.mark.parametrize(
    "quantity",
    ["abc", -1, -(10**9), 0, 10**9, 10**30, 2.5, None, [1]],
    ids=["text", "negative", "very negative", "zero", "huge", "enormous", "fraction", "null", "list"],
)
def test_sale_with_an_impossible_quantity_is_rejected(as_operator, event, adult, timeslot, museum, quantity):
    body = order_body(event, [(adult, timeslot, 1)])
    body["lines"][0]["quantity"] = quantity
    with unchanged():
        body = assert_error(as_operator.post("orders", body), 422, "validation_error")
    assert any(e["field"] == "lines.0.quantity" for e in body["errors"])


def test_sale_whose_lines_add_up_to_too_many_tickets_is_rejected(as_operator, event, adult, timeslot, museum):
    lines = [(adult, timeslot, 600), (adult, timeslot, 600)]
    with unchanged():
        assert_error(as_operator.post("orders", order_body(event, lines)), 422, "validation_error")


def test_sale_in_an_unknown_timeslot_is_rejected(as_operator, event, adult, timeslot, museum):
    body = order_body(event, [(adult, timeslot, 1)])
    body["lines"][0]["timeslot"] = 987654
    with unchanged():
        assert_error(as_operator.post("orders", body), 422, "validation_error")


def test_sale_in_a_timeslot_of_another_event_is_rejected(as_operator, event, adult, concert, museum):
    with unchanged():
        response = as_operator.post("orders", order_body(event, [(adult, concert.timeslot, 1)]))
        assert_error(response, 422, "timeslot_wrong_event")


def test_sale_beyond_the_places_left_is_rejected(as_operator, event, adult, make_timeslot, museum):
    small = make_timeslot(capacity=3)
    as_operator.post("orders", order_body(event, [(adult, small, 2)]))
    with unchanged():
        body = assert_error(as_operator.post("orders", order_body(event, [(adult, small, 2)])), 409, "timeslot_full")
    assert body["details"] == {"timeslot": small.pk, "available": 1}
    assert as_operator.post("orders", order_body(event, [(adult, small, 1)])).status_code == 201


def test_bulk_action_on_void_tickets_is_refused(as_operator, museum):
    code, barcode = museum["code"], museum["barcode"]
    as_operator.post(f"orders/{code}/tickets/bulk", {"action": "reissue", "tickets": [barcode]})
    with unchanged():
        response = as_operator.post(f"orders/{code}/tickets/bulk", {"action": "scanned_in", "tickets": [barcode]})
        assert_error(response, 409, "ticket_void")


def test_reissue_of_a_removed_order_is_refused(as_operator, museum):
    code = museum["code"]
    as_operator.post(f"orders/{code}/remove", {"reason": "The buyer cannot come"})
    with unchanged():
        response = as_operator.post(f"orders/{code}/tickets/bulk", {"action": "reissue", "tickets": [museum["barcode"]]})
        assert_error(response, 409, "order_removed")


def test_refund_larger_than_paid_is_refused(as_admin, museum):
    with unchanged():
        response = as_admin.post(f"orders/{museum['code']}/refunds", {"amount": "35.01", "method": "card", "reason": "Goodwill"})
        assert_error(response, 409, "refund_exceeds_paid")


def test_reschedule_into_a_full_timeslot_is_refused(as_operator, museum, make_timeslot, sell):
    full = make_timeslot(capacity=1)
    sell(1, slot=full, email="zed@example.test", name="Zed")
    with unchanged():
        response = as_operator.post(f"orders/{museum['code']}/reschedule", {"to_timeslot": full.pk})
        assert_error(response, 409, "timeslot_full")


def test_unknown_organizer_is_not_found(client, as_admin, museum):
    with unchanged():
        assert_error(ApiClient(client, "no-such-organizer", as_admin.token).get("orders"), 404, "not_found")


@pytest.mark.parametrize(
    "request_",
    [
        lambda api, m: api.post(f"orders/{m['code']}/comments", {"scope": "purchase", "text": "nul \x00 here"}),
        lambda api, m: api.post("events", {"name": "Nul\x00Show"}),
        lambda api, m: api.get("orders", {"search": "ann\x00"}),
        lambda api, m: api.get("orders/AB%00CDEF"),
        lambda api, m: api.post(f"orders/{m['code']}/tickets/bulk", {"action": "unscanned", "tickets": ["AB\x00"]}),
    ],
    ids=["comment", "event name", "search", "order code", "barcode"],
)
def test_a_nul_character_is_refused_or_kept_never_a_server_error(as_admin, museum, request_):
    """PostgreSQL cannot store NUL in text; SQLite can. Either way the caller gets an answer."""
    response = request_(as_admin, museum)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.json()["code"] in {"validation_error", "not_found", "ticket_not_in_order"}
    elif "text" in response.json():
        assert Comment.objects.get(pk=response.json()["id"]).text == "nul \x00 here"


def test_errors_carry_only_a_code_a_message_and_details(as_admin, museum):
    """Every error body has the same shape, whatever layer refused the request."""
    responses = [
        as_admin.post("orders", raw="{"),
        as_admin.post("orders", {"event": "x"}),
        as_admin.get("orders/ZZZZZZZ"),
        as_admin.post(f"orders/{museum['code']}/refunds", {"amount": "999.00", "method": "cash", "reason": "Goodwill"}),
        ApiClient(as_admin.client, "museum", None).get("orders"),
    ]
    for response in responses:
        body = json.loads(response.content)
        assert response["Content-Type"].startswith("application/json")
        assert {"code", "message"} <= set(body) <= {"code", "message", "details", "errors"}
        assert isinstance(body["code"], str) and body["code"].islower()
