"""Fixtures for the service tests: a snapshot of everything a refused action must leave alone,
multi-line sales, a second event and a second organizer."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.errors import DomainError
from boxoffice.core.models import (
    AuditEntry,
    Buyer,
    Comment,
    Event,
    Message,
    Order,
    OrderLine,
    Payment,
    Refund,
    Ticket,
    TicketType,
    Timeslot,
)
from boxoffice.core.services import setup, team
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The team fixtures set passwords; the production hasher's cost is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _db_state() -> dict:
    return {
        "orders": sorted(Order.objects.values_list("pk", "status", "total")),
        "tickets": sorted(Ticket.objects.values_list("pk", "state", "void_reason", "timeslot_id", "barcode")),
        "events": sorted(Event.objects.values_list("pk", "name", "timezone", "currency")),
        "timeslots": sorted(Timeslot.objects.values_list("pk", "sold", "capacity", "start", "end")),
        "ticket_types": sorted(TicketType.objects.values_list("pk", "sold")),
        "buyers": sorted(Buyer.objects.values_list("pk", "email", "phone")),
        "lines": OrderLine.objects.count(),
        "payments": Payment.objects.count(),
        "refunds": Refund.objects.count(),
        "comments": Comment.objects.count(),
        "messages": Message.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def db_state(db):
    """db_state() -> a comparable snapshot of orders, tickets, counters, outbox and audit log."""
    return _db_state


@pytest.fixture
def refused(db):
    """with refused("timeslot_full"): ... — the block raises a DomainError with that code and
    leaves the database exactly as it was (no rows, no counters, no message, no audit entry)."""

    @contextmanager
    def refused_(code: str):
        before = _db_state()
        with pytest.raises(DomainError) as info:
            yield info
        assert info.value.code == code, f"expected {code}, got {info.value.code}: {info.value.message}"
        assert _db_state() == before

    return refused_


@pytest.fixture
def sell_lines(event, operator):
    """sell_lines([(ticket_type, timeslot, quantity), ...], ...) -> Order."""

    def sell_(lines, *, email="ann@example.test", name="Ann Buyer", phone="", payment_method="card",
              actor=None, target_event=None, **flags):
        sale = Sale(
            event=target_event or event,
            buyer=BuyerDetails(email=email, name=name, phone=phone),
            lines=[SaleLine(tt.pk, slot.pk, qty) for tt, slot, qty in lines],
            payment_method=payment_method,
            **flags,
        )
        return sell_order(sale, actor=actor or operator)

    return sell_


@pytest.fixture
def second_event(organizer, admin):
    """Another event of the same organizer, with a timeslot and a ticket type."""
    event = setup.create_event(organizer, name="Modern Art", venue="Wing B", actor=admin)
    start = datetime(2027, 3, 1, 10, 0, tzinfo=AMS)
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=1), capacity=50, actor=admin)
    ticket_type = setup.create_ticket_type(event, name="Modern adult", price=Decimal("12.00"),
                                           vat_rate=Decimal("9"), actor=admin)
    return event, slot, ticket_type


class OtherOrganizer:
    def __init__(self):
        self.organizer = team.create_organizer(slug="theatre", name="Harbour Theatre")
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
