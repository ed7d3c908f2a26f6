"""Outside the routes the API still answers in its error format."""

from .helpers import assert_error, db_state, order_body


def test_unknown_api_path_answers_not_found_in_the_error_format(as_operator):
    assert_error(as_operator.client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(as_operator.get("no-such-collection"), 404, "not_found")


def test_method_a_route_does_not_take_answers_method_not_allowed_and_changes_nothing(as_operator, sell):
    order = sell(2)
    before = db_state()
    response = as_operator.client.delete(as_operator.url(f"orders/{order.code}"), **as_operator._headers())
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert db_state() == before


def test_a_boolean_is_not_a_quantity(as_operator, event, adult, timeslot):
    before = db_state()
    body = order_body(event, [(adult, timeslot, 1)])
    body["lines"][0]["quantity"] = True
    assert_error(as_operator.post("orders", body), 422, "validation_error")
    assert db_state() == before


def test_patch_that_changes_nothing_writes_no_history(as_admin, event, timeslot):
    from boxoffice.core.models import AuditEntry

    before = AuditEntry.objects.count()
    assert as_admin.patch(f"events/{event.pk}", {"name": event.name}).status_code == 200
    assert as_admin.patch(f"events/{event.pk}/timeslots/{timeslot.pk}", {"capacity": timeslot.capacity}).status_code == 200
    assert AuditEntry.objects.count() == before
    assert as_admin.patch(f"events/{event.pk}", {"name": "Renamed"}).status_code == 200
    assert AuditEntry.objects.filter(action="event.updated").last().after == {"name": "Renamed"}
