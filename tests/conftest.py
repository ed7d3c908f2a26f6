"""Shared fixtures: an organizer with a museum event, its team, and a sale helper.
Everything is created through the services, as in production."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.services import setup, team
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _allow_test_hosts(settings):
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def organizer(db):
    # Most tests sell without a drawer; the shift tests turn shifts on (the product's default).
    return team.create_organizer(slug="museum", name="City Museum", timezone_name="Europe/Amsterdam", desk_shifts=False)


@pytest.fixture
def admin(organizer):
    return team.set_member(organizer, email="admin@museum.test", role="admin", password="admin-pass-1")


@pytest.fixture
def operator(organizer):
    return team.set_member(organizer, email="desk@museum.test", role="operator", password="desk-pass-1")


@pytest.fixture
def viewer(organizer):
    return team.set_member(organizer, email="viewer@museum.test", role="viewer", password="viewer-pass-1")


@pytest.fixture
def event(organizer, admin):
    return setup.create_event(organizer, name="Old Masters", venue="Main hall", actor=admin)


def _slot(event, admin, day: int, hour: int, capacity: int):
    start = datetime(2027, 3, 1, hour, 0, tzinfo=AMS) + timedelta(days=day)
    return setup.create_timeslot(event, start=start, end=start + timedelta(hours=1), capacity=capacity, actor=admin)


@pytest.fixture
def timeslot(event, admin):
    return _slot(event, admin, 0, 10, 100)


@pytest.fixture
def other_timeslot(event, admin):
    return _slot(event, admin, 0, 11, 100)


@pytest.fixture
def make_timeslot(event, admin):
    counter = iter(range(1000))

    def make(capacity: int = 100, target_event=None):
        return _slot(target_event or event, admin, next(counter) + 1, 14, capacity)

    return make


@pytest.fixture
def adult(event, admin):
    return setup.create_ticket_type(event, name="Adult", price=Decimal("17.50"), vat_rate=Decimal("9"), actor=admin)


@pytest.fixture
def child(event, admin):
    return setup.create_ticket_type(event, name="Child", price=Decimal("8.00"), vat_rate=Decimal("9"), actor=admin)


@pytest.fixture
def sell(event, operator, adult, timeslot):
    """sell(quantity=2, ...) -> a paid order bought at the desk."""

    def sell_(
        quantity: int = 2,
        *,
        email: str = "ann@example.test",
        name: str = "Ann Buyer",
        phone: str = "",
        ticket_type=None,
        slot=None,
        payment_method: str = "card",
        actor=None,
        **flags,
    ):
        sale = Sale(
            event=event,
            buyer=BuyerDetails(email=email, name=name, phone=phone),
            lines=[SaleLine((ticket_type or adult).pk, (slot or timeslot).pk, quantity)],
            payment_method=payment_method,
            **flags,
        )
        return sell_order(sale, actor=actor or operator)

    return sell_


class OtherOrganizer:
    def __init__(self):
        self.organizer = team.create_organizer(slug="theatre", name="Harbour Theatre", desk_shifts=False)
        self.admin = team.set_member(self.organizer, email="boss@theatre.test", role="admin")
        self.operator = team.set_member(self.organizer, email="desk@theatre.test", role="operator")
        self.event = setup.create_event(self.organizer, name="Hamlet", actor=self.admin)
        start = datetime(2027, 3, 1, 20, 0, tzinfo=AMS)
        self.timeslot = setup.create_timeslot(
            self.event, start=start, end=start + timedelta(hours=2), capacity=40, actor=self.admin
        )
        self.ticket_type = setup.create_ticket_type(
            self.event, name="Stalls", price=Decimal("30.00"), vat_rate=Decimal("9"), actor=self.admin
        )

    def sell(self, quantity=1, *, email="ann@example.test", name="Ann Buyer", phone=""):
        sale = Sale(
            event=self.event,
            buyer=BuyerDetails(email=email, name=name, phone=phone),
            lines=[SaleLine(self.ticket_type.pk, self.timeslot.pk, quantity)],
            payment_method="card",
        )
        return sell_order(sale, actor=self.operator)


@pytest.fixture
def other_org(db):
    """A second organizer with its own team, event, timeslot and ticket type."""
    return OtherOrganizer()
