"""Setting up events, timeslots and ticket types (admins only)."""

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.models import AuditEntry, Event, TicketType, Timeslot
from boxoffice.core.services import setup
from boxoffice.core.services.setup import DailySeries

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2027, 6, 1, 10, 0, tzinfo=AMS)


def _audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


# --- events ----------------------------------------------------------------------------------

def test_event_takes_the_organizer_timezone_and_currency_by_default(organizer, admin):
    event = setup.create_event(organizer, name="Summer", actor=admin)
    assert (event.organizer, event.timezone, event.currency) == (organizer, "Europe/Amsterdam", "EUR")
    entry = _audit("event.created")
    assert (entry.actor_label, entry.order, entry.target) == ("admin@museum.test", None, "Summer")
    assert entry.after["timezone"] == "Europe/Amsterdam"


def test_event_with_an_unknown_timezone_is_refused(organizer, admin, refused):
    with refused("validation_error") as info:
        setup.create_event(organizer, name="Summer", timezone="Mars/Olympus_Mons", actor=admin)
    assert info.value.details["field"] == "timezone"


@pytest.mark.parametrize("fields", [{"name": "  "}, {"currency": "EURO"}, {"colour": "red"}])
def test_event_fields_are_validated(organizer, admin, fields, refused):
    with refused("validation_error"):
        setup.create_event(organizer, actor=admin, **{"name": "Summer", **fields})


def test_update_event_records_before_and_after(event, admin):
    setup.update_event(event, name="Old Masters II", reentry_allowed=True, actor=admin)
    event.refresh_from_db()
    assert (event.name, event.reentry_allowed) == ("Old Masters II", True)
    entry = _audit("event.updated")
    assert entry.before == {"name": "Old Masters", "reentry_allowed": False}
    assert entry.after == {"name": "Old Masters II", "reentry_allowed": True}


def test_update_event_to_an_unknown_timezone_is_refused(event, admin, refused):
    with refused("validation_error"):
        setup.update_event(event, timezone="Europe/Atlantis", actor=admin)


# --- timeslots -------------------------------------------------------------------------------

def test_admin_creates_a_timeslot(event, admin):
    slot = setup.create_timeslot(event, start=START, end=START + timedelta(hours=1), capacity=25, actor=admin)
    slot.refresh_from_db()
    assert (slot.start, slot.end, slot.capacity, slot.sold) == (START, START + timedelta(hours=1), 25, 0)
    entry = _audit("timeslot.created")
    assert (entry.actor_label, entry.target) == ("admin@museum.test", str(slot.pk))
    assert entry.after["capacity"] == 25


@pytest.mark.parametrize("start,end,capacity", [
    (START, START, 10),
    (START, START - timedelta(minutes=1), 10),
    (START.replace(tzinfo=None), START.replace(tzinfo=None) + timedelta(hours=1), 10),
    (START, START + timedelta(hours=1), -1),
])
def test_timeslot_needs_an_end_after_its_start_and_a_capacity(event, admin, start, end, capacity, refused):
    with refused("validation_error"):
        setup.create_timeslot(event, start=start, end=end, capacity=capacity, actor=admin)


def test_update_timeslot_changes_capacity_and_is_audited(timeslot, admin, sell):
    sell(4)
    updated = setup.update_timeslot(timeslot, capacity=4, actor=admin)
    assert (updated.capacity, updated.sold) == (4, 4)
    entry = _audit("timeslot.updated")
    assert (entry.before["capacity"], entry.after["capacity"]) == (100, 4)


def test_capacity_cannot_go_below_places_sold(timeslot, admin, sell, refused):
    sell(5)
    with refused("capacity_below_sold") as info:
        setup.update_timeslot(timeslot, capacity=4, actor=admin)
    assert info.value.details["sold"] == 5


def test_update_timeslot_end_before_start_is_refused(timeslot, admin, refused):
    with refused("validation_error"):
        setup.update_timeslot(timeslot, end=timeslot.start - timedelta(hours=1), actor=admin)


def test_update_timeslot_moves_its_times(timeslot, admin):
    later = timeslot.start + timedelta(days=1)
    setup.update_timeslot(timeslot, start=later, end=later + timedelta(hours=2), actor=admin)
    timeslot.refresh_from_db()
    assert (timeslot.start, timeslot.end - timeslot.start) == (later, timedelta(hours=2))


# --- daily series ----------------------------------------------------------------------------

def test_series_keeps_local_hours_across_the_dst_change(event, admin):
    series = DailySeries(first_day=date(2027, 3, 26), last_day=date(2027, 3, 30),
                         start_time=time(10, 0), end_time=time(12, 30), capacity=40)
    created = setup.create_timeslot_series(event, series, actor=admin)
    slots = list(Timeslot.objects.filter(pk__in=[s.pk for s in created]).order_by("start"))
    assert [s.start.astimezone(AMS).date() for s in slots] == [date(2027, 3, d) for d in range(26, 31)]
    assert {(s.start.astimezone(AMS).time(), s.end.astimezone(AMS).time()) for s in slots} == {(time(10), time(12, 30))}
    # Summer time starts on Sunday 28 March: 10:00 in Amsterdam is 09:00 UTC before, 08:00 UTC after.
    assert [s.start.astimezone(timezone.utc).hour for s in slots] == [9, 9, 8, 8, 8]
    assert {s.capacity for s in slots} == {40}
    entry = _audit("timeslot.series_created")
    assert (entry.actor_label, entry.after["count"]) == ("admin@museum.test", 5)


def test_series_uses_the_event_timezone(organizer, admin):
    event = setup.create_event(organizer, name="NYC tour", timezone="America/New_York", actor=admin)
    series = DailySeries(first_day=date(2027, 1, 4), last_day=date(2027, 1, 4),
                         start_time=time(9, 0), end_time=time(10, 0), capacity=5)
    (slot,) = setup.create_timeslot_series(event, series, actor=admin)
    slot.refresh_from_db()
    assert slot.start == datetime(2027, 1, 4, 14, 0, tzinfo=timezone.utc)


def test_series_honours_the_chosen_weekdays(event, admin):
    series = DailySeries(first_day=date(2027, 3, 1), last_day=date(2027, 3, 14),
                         start_time=time(10), end_time=time(11), capacity=10, weekdays=frozenset({5, 6}))
    created = setup.create_timeslot_series(event, series, actor=admin)
    days = sorted(Timeslot.objects.get(pk=s.pk).start.astimezone(AMS).date() for s in created)
    assert days == [date(2027, 3, 6), date(2027, 3, 7), date(2027, 3, 13), date(2027, 3, 14)]


@pytest.mark.parametrize("first,last,weekdays", [
    (date(2027, 3, 2), date(2027, 3, 1), frozenset(range(7))),
    (date(2027, 1, 1), date(2028, 1, 2), frozenset(range(7))),
    (date(2027, 3, 1), date(2027, 3, 5), frozenset({5, 6})),  # Monday to Friday, weekends only
])
def test_series_needs_days_to_create(event, admin, first, last, weekdays, refused):
    series = DailySeries(first_day=first, last_day=last, start_time=time(10), end_time=time(11),
                         capacity=10, weekdays=weekdays)
    with refused("validation_error"):
        setup.create_timeslot_series(event, series, actor=admin)


def test_series_with_end_before_start_is_refused(event, admin, refused):
    series = DailySeries(first_day=date(2027, 3, 1), last_day=date(2027, 3, 3),
                         start_time=time(12), end_time=time(10), capacity=10)
    with refused("validation_error"):
        setup.create_timeslot_series(event, series, actor=admin)


# --- ticket types ----------------------------------------------------------------------------

def test_admin_creates_a_ticket_type(event, admin):
    ticket_type = setup.create_ticket_type(event, name=" Senior ", price=Decimal("12.50"), vat_rate=Decimal("9"),
                                           quota=50, max_per_order=6, actor=admin)
    ticket_type.refresh_from_db()
    assert (ticket_type.name, ticket_type.price, ticket_type.quota, ticket_type.max_per_order) == (
        "Senior", Decimal("12.50"), 50, 6
    )
    entry = _audit("ticket_type.created")
    assert entry.actor_label == "admin@museum.test"
    assert entry.after == {"price": "12.50", "vat_rate": "9", "quota": 50, "max_per_order": 6}


@pytest.mark.parametrize("field,value", [
    ("name", " "), ("price", Decimal("-1")), ("price", Decimal("1.005")), ("vat_rate", Decimal("100.5")),
    ("vat_rate", Decimal("-1")), ("quota", 0), ("max_per_order", 0),
])
def test_ticket_type_fields_are_validated(event, admin, field, value, refused):
    fields = {"name": "Senior", "price": Decimal("10"), "vat_rate": Decimal("9"), field: value}
    with refused("validation_error"):
        setup.create_ticket_type(event, actor=admin, **fields)


# --- who may set up --------------------------------------------------------------------------

def test_operator_cannot_create_events(organizer, operator, refused):
    with refused("permission_denied"):
        setup.create_event(organizer, name="Summer", actor=operator)
    assert not Event.objects.filter(name="Summer").exists()


def test_operator_cannot_update_events(event, operator, refused):
    with refused("permission_denied"):
        setup.update_event(event, name="Renamed", actor=operator)


def test_operator_cannot_create_timeslots(event, operator, refused):
    with refused("permission_denied"):
        setup.create_timeslot(event, start=START, end=START + timedelta(hours=1), capacity=5, actor=operator)


def test_operator_cannot_create_a_series(event, operator, refused):
    series = DailySeries(first_day=date(2027, 3, 1), last_day=date(2027, 3, 3),
                         start_time=time(10), end_time=time(11), capacity=10)
    with refused("permission_denied"):
        setup.create_timeslot_series(event, series, actor=operator)


def test_operator_cannot_change_capacity(timeslot, operator, refused):
    with refused("permission_denied"):
        setup.update_timeslot(timeslot, capacity=1000, actor=operator)


def test_operator_cannot_create_ticket_types(event, operator, refused):
    with refused("permission_denied"):
        setup.create_ticket_type(event, name="Cheap", price=Decimal("1"), vat_rate=Decimal("0"), actor=operator)
    assert not TicketType.objects.filter(name="Cheap").exists()


def test_a_series_with_several_starts_a_day(event, admin):
    series = DailySeries(first_day=date(2027, 3, 1), last_day=date(2027, 3, 2), start_time=time(10), end_time=time(10, 45),
                         capacity=20, last_start=time(12), every_minutes=30)  # fmt: skip
    created = setup.create_timeslot_series(event, series, actor=admin)
    local = [(s.start.astimezone(AMS).strftime("%d %H:%M"), s.end.astimezone(AMS).strftime("%H:%M")) for s in created]
    assert local == [(f"{d:02d} {h}", e) for d in (1, 2) for h, e in
                     (("10:00", "10:45"), ("10:30", "11:15"), ("11:00", "11:45"), ("11:30", "12:15"), ("12:00", "12:45"))]  # fmt: skip


def test_a_series_that_repeats_existing_blocks_creates_none_and_names_them(event, admin, refused):
    series = DailySeries(first_day=date(2027, 3, 1), last_day=date(2027, 3, 3), start_time=time(10), end_time=time(11), capacity=20)
    setup.create_timeslot_series(event, series, actor=admin)
    with refused("validation_error") as info:
        setup.create_timeslot_series(event, series, actor=admin)
    assert "3 of these time blocks exist already" in info.value.message and "Mon 1 Mar 2027 10:00–11:00" in info.value.message


@pytest.mark.parametrize("changes", [{"last_start": time(9)}, {"every_minutes": 1}, {"end_time": time(9)}])
def test_a_series_that_cannot_be_is_refused(event, admin, refused, changes):
    fields = {"first_day": date(2027, 3, 1), "last_day": date(2027, 3, 1), "start_time": time(10), "end_time": time(11),
              "capacity": 20, "last_start": time(12), **changes}  # fmt: skip
    with refused("validation_error"):
        setup.create_timeslot_series(event, DailySeries(**fields), actor=admin)
