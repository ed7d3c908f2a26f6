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
from boxoffice.core.services import setup
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
