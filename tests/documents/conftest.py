"""Fixtures for the ticket and receipt documents: an API client per member, a ticket type
with the high VAT rate, and a second organizer with its own token."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from api.helpers import ApiClient

from boxoffice.core.services import setup, team
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The team fixtures set passwords; the production hasher's cost is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_as(client):
    """api_as(membership, slug=None) -> an API client with a new token of that member."""

    def make(membership, slug: str | None = None) -> ApiClient:
        return ApiClient(client, slug or membership.organizer.slug, team.create_api_token(membership))

    return make


@pytest.fixture
def guide(event, admin):
    """An audio guide, sold with the ticket at the high VAT rate (21%)."""
    return setup.create_ticket_type(
        event, name="Audio guide", price=Decimal("4.50"), vat_rate=Decimal("21"), actor=admin
    )


@pytest.fixture
def sell_lines(event, operator, timeslot):
    """sell_lines([(ticket_type, quantity), ...]) -> a paid order in the museum's timeslot."""

    def sell_(lines, *, payment_method: str = "card"):
        sale = Sale(
            event=event,
            buyer=BuyerDetails(email="ann@example.test", name="Ann Buyer"),
            lines=[SaleLine(ticket_type.pk, timeslot.pk, quantity) for ticket_type, quantity in lines],
            payment_method=payment_method,
        )
        return sell_order(sale, actor=operator)

    return sell_


@pytest.fixture
def other_order(db):
    """An order of another organizer (its admin sold it)."""
    organizer = team.create_organizer(
        slug="theatre", name="Harbour Theatre", timezone_name="Europe/London", currency="GBP", desk_shifts=False
    )
    admin = team.set_member(organizer, email="boss@theatre.test", role="admin")
    event = setup.create_event(organizer, name="Hamlet", venue="Stage", actor=admin)
    start = datetime(2027, 4, 1, 20, 0, tzinfo=ZoneInfo("Europe/London"))
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=2), capacity=40, actor=admin)
    stalls = setup.create_ticket_type(event, name="Stalls", price=Decimal("30.00"), vat_rate=Decimal("20"), actor=admin)
    sale = Sale(
        event=event,
        buyer=BuyerDetails(email="ann@example.test", name="Ann Buyer"),
        lines=[SaleLine(stalls.pk, slot.pk, 1)],
        payment_method="card",
    )
    return sell_order(sale, actor=admin)

