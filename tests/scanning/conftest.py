"""Scanning fixtures: timeslots around the real clock (the API scans at timezone.now()),
scanner devices of the museum, and a client that scans with a device token."""

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from browser import browser_context_args, browser_type_launch_args, page  # noqa: F401 — fixtures
from django.utils import timezone

from boxoffice.core.services import setup, team

API = "/api/v1"



@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The team fixtures set passwords; the production hasher's cost is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Scanner:
    """A gate device calling the API with its Bearer token."""

    client: object
    token: str
    device: object = None

    def _auth(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def post(self, body: dict):
        return self.client.post(f"{API}/scan", json.dumps(body), content_type="application/json", **self._auth())

    def scan(self, barcode: str, direction: str = "in", scan_id: str | None = None) -> dict:
        """Scan and return the answer, which is a 200 whatever the verdict."""
        body = {"barcode": barcode, "direction": direction, **({"scan_id": scan_id} if scan_id else {})}
        response = self.post(body)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response.json()

    def occupancy(self, event_id: int):
        return self.client.get(f"{API}/scan/occupancy/{event_id}", **self._auth())


@pytest.fixture
def make_scanner(client, organizer, admin):
    """make_scanner(name=, gate=, events=, organizer=, actor=) -> Scanner with a new device token."""

    def make(name: str = "Scanner 1", *, gate: str = "Gate A", events=None, owner=None, actor=None):
        device, token = team.create_device(
            owner or organizer, name=name, gate=gate, events=events or [], actor=actor or (None if owner else admin)
        )
        return Scanner(client, token, device)

    return make


@pytest.fixture
def gate_a(make_scanner):
    return make_scanner("Scanner 1", gate="Gate A")


@pytest.fixture
def gate_b(make_scanner):
    return make_scanner("Scanner 2", gate="Gate B")


@pytest.fixture
def slot_at(event, admin):
    """slot_at(start=timedelta, length=timedelta) -> a timeslot starting that far from now."""

    def make(start: timedelta = timedelta(minutes=-30), length: timedelta = timedelta(hours=2), capacity: int = 100):
        begin = timezone.now().replace(second=0, microsecond=0) + start
        return setup.create_timeslot(event, start=begin, end=begin + length, capacity=capacity, actor=admin)

    return make


@pytest.fixture
def now_slot(slot_at):
    """A timeslot that started half an hour ago and runs for another hour and a half."""
    return slot_at()


@pytest.fixture
def sell_now(sell, now_slot):
    """sell_now(quantity=1, **sell kwargs) -> an order for the timeslot running now."""

    def sell_(quantity: int = 1, **kwargs):
        kwargs.setdefault("slot", now_slot)
        return sell(quantity, **kwargs)

    return sell_


def barcodes(order) -> list[str]:
    return list(order.tickets.order_by("pk").values_list("barcode", flat=True))


@pytest.fixture
def operator_api(client, operator):
    """GET /api/v1/organizers/museum/<path> with an operator's token."""
    token = team.create_api_token(operator)

    def get(path: str):
        return client.get(f"{API}/organizers/museum/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    return get


@pytest.fixture
def concert(organizer, admin):
    """A second event of the museum, running now, with a ticket type of its own."""
    event = setup.create_event(organizer, name="Garden Concert", venue="Garden", actor=admin)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=2), capacity=100, actor=admin)
    ticket_type = setup.create_ticket_type(event, name="Lawn", price=Decimal("25.00"), vat_rate=Decimal("9"), actor=admin)
    return event, slot, ticket_type
