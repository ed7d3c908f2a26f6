"""Every way in refuses the same bad input with the same answer, and stores nothing: the API
(422 with a code), the portal (the form's error) and the command line (an error line)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from boxoffice.core.models import Comment, Device, Event, Order, Organizer, Timeslot
from boxoffice.core.services import setup, team

NEW_YORK = ZoneInfo("America/New_York")
BAD_NAMES = ["Night\nat the museum", "NUL\x00name", "bidi\u202eeman", "bell\x07"]


@pytest.fixture
def api(admin, client):
    token = team.create_api_token(admin)

    def call(method: str, path: str, body=None):
        return getattr(client, method)(
            f"/api/v1/organizers/museum/{path}", body, content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip

    return call


@pytest.fixture
def portal_admin(admin, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    client.force_login(admin.user)
    return client


def _event_form(**changes) -> dict:
    return {"name": "Late opening", "venue": "", "timezone": "Europe/Amsterdam", "currency": "EUR",
            "admit_before_minutes": 30, "admit_after_minutes": 0, **changes}  # fmt: skip


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_control_character_in_an_event_name_is_refused_everywhere(api, portal_admin, event, name):
    before = list(Event.objects.values_list("pk", "name"))
    answer = api("post", "events", {"name": name})
    assert answer.status_code == 422 and answer.json()["code"] == "validation_error"
    assert api("patch", f"events/{event.pk}", {"name": name}).status_code == 422
    assert portal_admin.post("/o/museum/setup/events/new/", _event_form(name=name)).status_code == 422
    assert portal_admin.post(f"/o/museum/setup/events/{event.pk}/edit/", _event_form(name=name)).status_code == 422
    assert list(Event.objects.values_list("pk", "name")) == before


@pytest.mark.parametrize("field,value", [("venue", "Hall\n7"), ("name", "x" * 201)])
def test_other_single_line_fields_are_checked_the_same(api, event, field, value):
    assert api("post", "events", {"name": "Fine", field: value}).status_code == 422
    assert not Event.objects.filter(name="Fine").exists()


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_a_time_block_outside_2000_to_2100_is_refused_in_the_api_and_the_portal(api, portal_admin, organizer, admin, year):
    event = setup.create_event(organizer, name="Night", timezone="America/New_York", actor=admin)
    start = datetime(year, 12, 31, 20, 0, tzinfo=NEW_YORK) if year != 1 else datetime(1, 1, 1, 0, 0, tzinfo=NEW_YORK)
    body = {"start": start.isoformat(), "end": start.replace(hour=start.hour + 1).isoformat(), "capacity": 10}
    answer = api("post", f"events/{event.pk}/timeslots", body)
    assert answer.status_code == 422 and answer.json()["code"] == "validation_error", answer.content
    form = {"start": f"{year:04d}-12-31T20:00", "end": f"{year:04d}-12-31T21:00", "capacity": 10}
    assert portal_admin.post(f"/o/museum/setup/events/{event.pk}/timeslots/new/", form).status_code == 422
    assert not Timeslot.objects.filter(event=event).exists()
    assert api("get", f"events/{event.pk}/timeslots").status_code == 200


def test_a_currency_is_stored_in_capitals_whichever_way_it_came(api, portal_admin, db):
    assert api("post", "events", {"name": "API", "currency": "eur"}).json()["currency"] == "EUR"
    portal_admin.post("/o/museum/setup/events/new/", _event_form(name="Portal", currency="gbp"))
    call_command("createorganizer", slug="zoo", name="City Zoo", currency="usd")
    assert set(Event.objects.values_list("name", "currency")) >= {("API", "EUR"), ("Portal", "GBP")}
    assert Organizer.objects.get(slug="zoo").currency == "USD"
    assert api("post", "events", {"name": "Bad", "currency": "€UR"}).status_code == 422


def test_a_phone_the_portal_would_refuse_is_refused_by_the_api(api, event, timeslot, adult):
    sale = {"event": event.pk, "buyer": {"email": "jo@example.test", "name": "Jo", "phone": "call me maybe"},
            "lines": [{"ticket_type": adult.pk, "timeslot": timeslot.pk, "quantity": 1}], "payment_method": "card"}  # fmt: skip
    answer = api("post", "orders", sale)
    assert answer.status_code == 422 and "phone" in answer.json()["message"]
    assert not Order.objects.exists()


@pytest.mark.parametrize("text", ["nul\x00in a comment", "escape\x1b[31m"])
def test_a_nul_in_a_comment_is_refused_on_every_database(api, sell, text):
    order = sell(1)
    answer = api("post", f"orders/{order.code}/comments", {"scope": "purchase", "text": text})
    assert answer.status_code == 422 and answer.json()["code"] == "validation_error"
    assert not Comment.objects.exists()


def test_device_and_organizer_names_from_the_command_line_are_checked(organizer):
    with pytest.raises(CommandError, match="validation_error"):
        call_command("createdevice", organizer="museum", name="Gate\nA")
    with pytest.raises(CommandError, match="validation_error"):
        call_command("createorganizer", slug="zoo", name="Zoo\x00")
    assert not Device.objects.exists() and not Organizer.objects.filter(slug="zoo").exists()


@pytest.mark.parametrize("term", ["ann\x00", "ann\u202e", "x" * 201])
def test_a_search_the_portal_cannot_take_shows_the_error_not_every_order(portal_admin, sell, term):
    sell(1)
    page = portal_admin.get("/o/museum/", {"q": term})
    html = page.content.decode()
    assert "Nothing was searched" in html
    assert "class=\"orders\"" not in html
