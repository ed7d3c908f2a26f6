"""Events, timeslots and ticket types through the API (§8): shapes, validation, audit."""

from datetime import datetime
from decimal import Decimal

import pytest

from boxoffice.core.models import AuditEntry, Event, TicketType, Timeslot
from boxoffice.core.services import setup

from .helpers import assert_error, assert_money, assert_page, assert_time, unchanged

EVENT_FIELDS = {"id", "name", "venue", "timezone", "currency", "reentry_allowed"}
TIMESLOT_FIELDS = {"id", "start", "end", "capacity", "sold", "available"}
TICKET_TYPE_FIELDS = {"id", "name", "price", "vat_rate", "quota", "max_per_order"}


# --- events -------------------------------------------------------------------------------


def test_admin_creates_an_event_with_the_organizers_defaults(as_admin, organizer):
    response = as_admin.post("events", {"name": "Modern Art", "venue": "East wing", "reentry_allowed": True})
    assert response.status_code == 201
    body = response.json()
    assert EVENT_FIELDS <= set(body)
    assert body["name"] == "Modern Art" and body["venue"] == "East wing" and body["reentry_allowed"] is True
    assert (body["timezone"], body["currency"]) == ("Europe/Amsterdam", "EUR")
    event = Event.objects.get(pk=body["id"], organizer=organizer)
    assert AuditEntry.objects.filter(action="event.created", target=event.name, organizer=organizer).count() == 1


def test_event_keeps_an_explicit_timezone_and_currency(as_admin):
    body = as_admin.post("events", {"name": "Tour", "timezone": "America/New_York", "currency": "USD"}).json()
    assert (body["timezone"], body["currency"]) == ("America/New_York", "USD")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": ""},
        {"name": 12},
        {"name": "Tour", "timezone": "Mars/Olympus"},
        {"name": "Tour", "currency": "EURO"},
        {"name": "Tour", "currency": "12€"},
        {"name": "Tour", "reentry_allowed": "sometimes"},
        {"name": "x" * 201},
    ],
)
def test_event_with_invalid_fields_is_rejected(as_admin, payload):
    with unchanged():
        assert_error(as_admin.post("events", payload), 422, "validation_error")


def test_events_are_listed_as_a_page(as_admin, event, admin, organizer):
    for n in range(3):
        setup.create_event(organizer, name=f"Extra {n}", actor=admin)
    body = as_admin.get("events", {"page_size": 2}).json()
    items = assert_page(body, 4)
    assert len(items) == 2 and EVENT_FIELDS <= set(items[0])
    second = assert_page(as_admin.get("events", {"page_size": 2, "page": 2}).json(), 4)
    assert {i["id"] for i in items}.isdisjoint(i["id"] for i in second)
    assert len(second) == 2


def test_event_list_page_must_be_positive(as_admin, event):
    assert_error(as_admin.get("events", {"page": 0}), 422, "validation_error")
    assert_error(as_admin.get("events", {"page": "first"}), 422, "validation_error")


def test_event_detail_shows_the_event(as_viewer, event):
    body = as_viewer.get(f"events/{event.pk}").json()
    assert body["id"] == event.pk and body["name"] == "Old Masters" and body["venue"] == "Main hall"
    assert EVENT_FIELDS <= set(body)


def test_patch_event_changes_only_the_given_fields(as_admin, event, organizer):
    response = as_admin.patch(f"events/{event.pk}", {"venue": "West wing", "reentry_allowed": True})
    assert response.status_code == 200
    assert response.json()["venue"] == "West wing" and response.json()["name"] == "Old Masters"
    event.refresh_from_db()
    assert (event.name, event.venue, event.reentry_allowed) == ("Old Masters", "West wing", True)
    entry = AuditEntry.objects.get(action="event.updated", organizer=organizer)
    assert entry.before == {"venue": "Main hall", "reentry_allowed": False}


@pytest.mark.parametrize(
    "payload", [{"name": ""}, {"timezone": "Nowhere/Town"}, {"currency": "E"}, {"reentry_allowed": []}]
)
def test_patch_event_with_invalid_fields_is_rejected(as_admin, event, payload):
    with unchanged():
        assert_error(as_admin.patch(f"events/{event.pk}", payload), 422, "validation_error")


# --- timeslots ----------------------------------------------------------------------------


def test_timeslots_show_capacity_sold_and_available(as_viewer, event, timeslot, sell):
    sell(3)
    items = assert_page(as_viewer.get(f"events/{event.pk}/timeslots").json(), 1)
    slot = items[0]
    assert TIMESLOT_FIELDS <= set(slot)
    assert (slot["id"], slot["capacity"], slot["sold"], slot["available"]) == (timeslot.pk, 100, 3, 97)
    assert slot["start"] == "2027-03-01T10:00:00+01:00" and slot["end"] == "2027-03-01T11:00:00+01:00"


def test_timeslot_detail_shows_times_in_the_events_timezone(as_viewer, event, timeslot):
    body = as_viewer.get(f"events/{event.pk}/timeslots/{timeslot.pk}").json()
    assert assert_time(body["start"]).utcoffset().total_seconds() == 3600
    assert (body["capacity"], body["sold"], body["available"]) == (100, 0, 100)


def test_admin_creates_a_timeslot(as_admin, event, organizer):
    payload = {"start": "2027-06-01T08:00:00Z", "end": "2027-06-01T09:30:00Z", "capacity": 40}
    response = as_admin.post(f"events/{event.pk}/timeslots", payload)
    assert response.status_code == 201
    body = response.json()
    assert TIMESLOT_FIELDS <= set(body)
    assert (body["capacity"], body["sold"], body["available"]) == (40, 0, 40)
    assert body["start"] == "2027-06-01T10:00:00+02:00"  # shown in Amsterdam summer time
    slot = Timeslot.objects.get(pk=body["id"], event=event)
    assert slot.start == datetime.fromisoformat("2027-06-01T08:00:00+00:00")
    assert AuditEntry.objects.filter(action="timeslot.created", target=str(slot.pk), organizer=organizer).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"start": "2027-06-01T10:00:00+02:00", "end": "2027-06-01T09:00:00+02:00", "capacity": 10},
        {"start": "2027-06-01T10:00:00+02:00", "end": "2027-06-01T10:00:00+02:00", "capacity": 10},
        {"start": "2027-06-01T10:00:00", "end": "2027-06-01T11:00:00", "capacity": 10},
        {"start": "tomorrow", "end": "2027-06-01T11:00:00+02:00", "capacity": 10},
        {"start": "2027-06-01T10:00:00+02:00", "end": "2027-06-01T11:00:00+02:00", "capacity": -1},
        {"start": "2027-06-01T10:00:00+02:00", "end": "2027-06-01T11:00:00+02:00", "capacity": "many"},
        {"start": "2027-06-01T10:00:00+02:00", "end": "2027-06-01T11:00:00+02:00", "capacity": 10**12},
        {"start": "2027-06-01T10:00:00+02:00", "end": "2027-06-01T11:00:00+02:00"},
    ],
)
def test_timeslot_with_invalid_times_or_capacity_is_rejected(as_admin, event, payload):
    with unchanged():
        assert_error(as_admin.post(f"events/{event.pk}/timeslots", payload), 422, "validation_error")


def test_patch_timeslot_capacity(as_admin, event, timeslot, organizer):
    body = as_admin.patch(f"events/{event.pk}/timeslots/{timeslot.pk}", {"capacity": 150}).json()
    assert (body["capacity"], body["available"]) == (150, 150)
    timeslot.refresh_from_db()
    assert timeslot.capacity == 150
    entry = AuditEntry.objects.get(action="timeslot.updated", organizer=organizer)
    assert (entry.before["capacity"], entry.after["capacity"]) == (100, 150)


def test_timeslot_capacity_cannot_go_below_sold(as_admin, event, timeslot, sell):
    sell(5)
    with unchanged():
        body = assert_error(
            as_admin.patch(f"events/{event.pk}/timeslots/{timeslot.pk}", {"capacity": 4}), 409, "capacity_below_sold"
        )
    assert body["details"]["sold"] == 5


@pytest.mark.parametrize(
    "payload", [{"capacity": -5}, {"end": "2027-03-01T09:00:00+01:00"}, {"start": "2027-03-01T10:00:00"}]
)
def test_patch_timeslot_with_invalid_values_is_rejected(as_admin, event, timeslot, payload):
    with unchanged():
        assert_error(as_admin.patch(f"events/{event.pk}/timeslots/{timeslot.pk}", payload), 422, "validation_error")


def test_timeslot_of_another_event_is_not_found_under_this_event(as_admin, event, concert):
    slot = concert.timeslot
    with unchanged():
        assert_error(as_admin.get(f"events/{event.pk}/timeslots/{slot.pk}"), 404, "not_found")
        assert_error(as_admin.patch(f"events/{event.pk}/timeslots/{slot.pk}", {"capacity": 3}), 404, "not_found")


# --- ticket types -------------------------------------------------------------------------


def test_ticket_types_are_listed_with_prices_as_decimal_strings(as_viewer, event, adult, child):
    items = assert_page(as_viewer.get(f"events/{event.pk}/ticket-types").json(), 2)
    assert TICKET_TYPE_FIELDS <= set(items[0])
    assert [(i["name"], assert_money(i["price"])) for i in items] == [("Adult", Decimal("17.50")), ("Child", Decimal("8.00"))]
    assert items[0]["price"] == "17.50" and items[0]["vat_rate"] in ("9", "9.00")
    assert items[0]["quota"] is None and items[0]["max_per_order"] is None


def test_admin_creates_a_ticket_type(as_admin, event, organizer):
    payload = {"name": "Senior", "price": "12.50", "vat_rate": "9", "quota": 50, "max_per_order": 4}
    response = as_admin.post(f"events/{event.pk}/ticket-types", payload)
    assert response.status_code == 201
    body = response.json()
    assert TICKET_TYPE_FIELDS <= set(body)
    assert (body["name"], body["price"], body["quota"], body["max_per_order"]) == ("Senior", "12.50", 50, 4)
    assert assert_money(body["vat_rate"]) == 9
    ticket_type = TicketType.objects.get(pk=body["id"], event=event)
    assert str(ticket_type.price) == "12.50"
    assert AuditEntry.objects.filter(action="ticket_type.created", target="Senior", organizer=organizer).exists()


def test_a_price_given_as_a_number_is_kept_exact(as_admin, event):
    body = as_admin.post(f"events/{event.pk}/ticket-types", {"name": "Member", "price": 0.1, "vat_rate": 21}).json()
    assert body["price"] == "0.10"


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "Senior", "price": "-1.00", "vat_rate": "9"},
        {"name": "Senior", "price": "12.505", "vat_rate": "9"},
        {"name": "Senior", "price": "twelve", "vat_rate": "9"},
        {"name": "Senior", "price": "12.50", "vat_rate": "101"},
        {"name": "Senior", "price": "12.50", "vat_rate": "-1"},
        {"name": "", "price": "12.50", "vat_rate": "9"},
        {"name": "Senior", "price": "12.50", "vat_rate": "9", "quota": 0},
        {"name": "Senior", "price": "12.50", "vat_rate": "9", "max_per_order": -2},
        {"name": "Senior", "vat_rate": "9"},
    ],
)
def test_ticket_type_with_invalid_values_is_rejected(as_admin, event, payload):
    with unchanged():
        assert_error(as_admin.post(f"events/{event.pk}/ticket-types", payload), 422, "validation_error")
