"""Rows that older versions let in (a time block in year 1 or 9999, a line break in a name)
can still be shown, edited and removed: no page and no endpoint answers 500 because of them."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from boxoffice.core.models import Event, Timeslot
from boxoffice.core.services import setup, team


@pytest.fixture
def odd_event(organizer, admin):
    event = setup.create_event(organizer, name="Night at the Museum", timezone="America/New_York", actor=admin)
    start = datetime(2027, 5, 1, 20, 0, tzinfo=UTC)
    setup.create_timeslot(event, start=start, end=start.replace(hour=22), capacity=10, actor=admin)
    far = [
        Timeslot(event=event, start=datetime(1, 1, 1, 0, 0, tzinfo=UTC), end=datetime(1, 1, 1, 1, 0, tzinfo=UTC), capacity=5),
        Timeslot(event=event, start=datetime(9999, 12, 31, 22, 0, tzinfo=UTC), end=datetime(9999, 12, 31, 23, 59, tzinfo=UTC), capacity=5),
    ]  # fmt: skip
    Timeslot.objects.bulk_create(far)  # as an older version stored them, past every check
    Event.objects.filter(pk=event.pk).update(name="Night at\nthe Museum", venue="Hall\t\x0b7")
    event.refresh_from_db()
    return event, far


def _admin_client(admin) -> Client:
    client = Client()
    client.force_login(admin.user)
    return client


def test_portal_pages_with_odd_rows_answer(odd_event, admin, settings):
    event, far = odd_event
    client = _admin_client(admin)
    for path in (
        "/o/museum/", f"/o/museum/?event={event.pk}", f"/o/museum/?event={event.pk}&timeslot={far[0].pk}",
        "/o/museum/setup/", f"/o/museum/setup/events/{event.pk}/", f"/o/museum/setup/events/{event.pk}/?past=1",
        f"/o/museum/setup/events/{event.pk}/edit/",
        *(f"/o/museum/setup/events/{event.pk}/timeslots/{slot.pk}/" for slot in far),
    ):  # fmt: skip
        assert client.get(path).status_code == 200, path
    sell = client.post("/o/museum/sell/", {"event": event.pk}, follow=True)
    assert sell.status_code == 200
    for day in ("0001-01-01", "9999-12-31", "9999-12-25", "not-a-day"):
        assert client.get(sell.redirect_chain[-1][0], {"day": day}).status_code == 200, day


def test_api_with_odd_rows_answers_with_valid_times(odd_event, admin, client):
    event, far = odd_event
    token = team.create_api_token(admin)
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(f"/api/v1/organizers/museum/events/{event.pk}/timeslots", headers=headers)
    assert response.status_code == 200
    for item in response.json()["items"]:
        for moment in (item["start"], item["end"]):
            assert re.search(r"(Z|[+-]\d\d:\d\d)$", moment), moment  # never "+00:19:32"
    assert client.get(f"/api/v1/organizers/museum/events/{event.pk}", headers=headers).status_code == 200


def test_an_odd_time_block_can_be_corrected_and_an_odd_name_fixed(odd_event, admin):
    event, far = odd_event
    client = _admin_client(admin)
    fixed = client.post(
        f"/o/museum/setup/events/{event.pk}/timeslots/{far[0].pk}/",
        {"start": "2027-06-01T10:00", "end": "2027-06-01T11:00", "capacity": 5},
    )  # fmt: skip
    assert fixed.status_code == 302
    far[0].refresh_from_db()
    assert far[0].start.year == 2027
    renamed = client.post(f"/o/museum/setup/events/{event.pk}/edit/", {
        "name": "Night at the Museum", "venue": "Hall 7", "timezone": "America/New_York", "currency": "usd",
        "admit_before_minutes": 30, "admit_after_minutes": 0,
    })  # fmt: skip
    assert renamed.status_code == 302
    event.refresh_from_db()
    assert (event.name, event.currency) == ("Night at the Museum", "USD")


def test_an_empty_time_block_can_be_deleted_in_the_portal_and_the_api(odd_event, admin, client):
    from boxoffice.core.models import AuditEntry

    event, far = odd_event
    portal = _admin_client(admin)
    page = portal.get(f"/o/museum/setup/events/{event.pk}/timeslots/{far[0].pk}/")
    assert b"Delete time block" in page.content
    confirm = portal.get(f"/o/museum/setup/events/{event.pk}/timeslots/{far[0].pk}/delete/")
    assert confirm.status_code == 200 and b"cannot be undone" in confirm.content
    done = portal.post(f"/o/museum/setup/events/{event.pk}/timeslots/{far[0].pk}/delete/")
    assert done.status_code == 302 and done["Location"] == f"/o/museum/setup/events/{event.pk}/"
    token = team.create_api_token(admin)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete(f"/api/v1/organizers/museum/events/{event.pk}/timeslots/{far[1].pk}", headers=headers).status_code == 204
    assert not Timeslot.objects.filter(pk__in=[far[0].pk, far[1].pk]).exists()
    assert AuditEntry.objects.filter(action="timeslot.deleted").count() == 2


def test_a_time_block_with_tickets_cannot_be_deleted(sell, timeslot, admin, client):
    sell(1)
    token = team.create_api_token(admin)
    answer = client.delete(f"/api/v1/organizers/museum/events/{timeslot.event_id}/timeslots/{timeslot.pk}",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 409 and answer.json()["code"] == "timeslot_has_tickets"
    assert Timeslot.objects.filter(pk=timeslot.pk).exists()
    page = _admin_client(admin).get(f"/o/museum/setup/events/{timeslot.event_id}/timeslots/{timeslot.pk}/")
    assert b"Delete time block" not in page.content


def test_a_viewer_or_operator_cannot_delete_a_time_block(odd_event, operator, client):
    event, far = odd_event
    token = team.create_api_token(operator)
    answer = client.delete(f"/api/v1/organizers/museum/events/{event.pk}/timeslots/{far[0].pk}",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 403 and Timeslot.objects.filter(pk=far[0].pk).exists()
