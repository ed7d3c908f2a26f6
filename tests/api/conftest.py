"""API fixtures: tokens for each role of the museum, and a second organizer ("other") with its
own admin, event and sold order, to check that one organizer never reaches another's data."""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.services import setup, team
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

from .helpers import ApiClient


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The team fixtures set passwords; the production hasher costs most of a test's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _api(client, membership) -> ApiClient:
    return ApiClient(client, membership.organizer.slug, team.create_api_token(membership))


@pytest.fixture
def as_admin(client, admin):
    return _api(client, admin)


@pytest.fixture
def as_operator(client, operator):
    return _api(client, operator)


@pytest.fixture
def as_viewer(client, viewer):
    return _api(client, viewer)


@pytest.fixture
def other(db, client):
    """A second organizer with its own admin (and token), event, timeslot, ticket type and an
    order sold through the services. The museum's buyer Ann also bought here."""
    organizer = team.create_organizer(
        slug="other", name="Other Venue", timezone_name="Europe/London", currency="GBP", desk_shifts=False
    )
    admin = team.set_member(organizer, email="boss@other.test", role="admin")
    event = setup.create_event(organizer, name="Other Show", venue="Other hall", actor=admin)
    start = datetime(2027, 4, 1, 20, 0, tzinfo=ZoneInfo("Europe/London"))
    timeslot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=2), capacity=50, actor=admin)
    ticket_type = setup.create_ticket_type(event, name="Stalls", price=Decimal("30.00"), vat_rate=Decimal("20"), actor=admin)
    order = sell_order(
        Sale(
            event=event,
            buyer=BuyerDetails(email="ann@example.test", name="Ann Buyer"),
            lines=[SaleLine(ticket_type.pk, timeslot.pk, 2)],
            payment_method="card",
        ),
        actor=admin,
    )
    api = _api(client, admin)
    return SimpleNamespace(
        organizer=organizer,
        admin=admin,
        event=event,
        timeslot=timeslot,
        ticket_type=ticket_type,
        order=order,
        api=api,
        # The other organizer's token, used on the museum's paths.
        on_museum=ApiClient(client, "museum", api.token),
    )


@pytest.fixture
def museum(sell, event, timeslot, other_timeslot, adult) -> dict:
    """The museum's objects, by the placeholder names of helpers.ENDPOINTS, with one paid
    order of two tickets."""
    order = sell(2)
    return {
        "event": event.pk,
        "timeslot": timeslot.pk,
        "other_timeslot": other_timeslot.pk,
        "ticket_type": adult.pk,
        "code": order.code,
        "barcode": order.tickets.order_by("pk").first().barcode,
    }


@pytest.fixture
def concert(organizer, admin):
    """A second event of the museum, with an evening timeslot and a ticket type of its own."""
    event = setup.create_event(organizer, name="Concert", venue="Garden", actor=admin)
    start = datetime(2027, 3, 1, 20, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    timeslot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=2), capacity=100, actor=admin)
    ticket_type = setup.create_ticket_type(event, name="VIP", price=Decimal("99.00"), vat_rate=Decimal("9"), actor=admin)
    return SimpleNamespace(event=event, timeslot=timeslot, ticket_type=ticket_type)
