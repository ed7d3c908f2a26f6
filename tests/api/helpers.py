"""Calling the API as a member of an organizer, and checking its answers and the database."""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from boxoffice.core.models import (
    AuditEntry,
    Buyer,
    Comment,
    Event,
    Message,
    Order,
    Payment,
    Refund,
    Ticket,
    TicketType,
    Timeslot,
)

API = "/api/v1"
MONEY = re.compile(r"^-?\d+\.\d{2}$")


@dataclass
class ApiClient:
    """Calls /api/v1/organizers/{slug}/... with a Bearer token (or none)."""

    client: object
    slug: str
    token: str | None

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def url(self, path: str) -> str:
        return f"{API}/organizers/{self.slug}/{path}"

    def get(self, path: str, params: dict | None = None):
        return self.client.get(self.url(path), params or {}, **self._headers())

    def post(self, path: str, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(self.url(path), data, content_type="application/json", **self._headers())

    def patch(self, path: str, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.patch(self.url(path), data, content_type="application/json", **self._headers())

    def delete(self, path: str, body=None):
        return self.client.delete(self.url(path), **self._headers())

    def call(self, method: str, path: str, body=None):
        if method == "GET":
            return self.get(path, body)
        return getattr(self, method.lower())(path, body)


def assert_error(response, status: int, code: str) -> dict:
    """The response is the API's error format with this status and stable code."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    return body


def assert_money(value) -> Decimal:
    assert isinstance(value, str) and MONEY.match(value), value
    return Decimal(value)


def assert_time(value) -> datetime:
    """An ISO 8601 time with an offset."""
    assert isinstance(value, str), value
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value
    return moment


def assert_page(body: dict, count: int) -> list:
    assert set(body) >= {"items", "count"}, body
    assert body["count"] == count, body
    assert isinstance(body["items"], list)
    return body["items"]


def db_state() -> dict:
    """Everything an API call could change, to compare before and after a refused request."""
    return {
        "orders": sorted(Order.objects.values_list("code", "status", "total")),
        "tickets": sorted(Ticket.objects.values_list("barcode", "state", "void_reason", "timeslot_id")),
        "timeslots": sorted(Timeslot.objects.values_list("pk", "start", "end", "capacity", "sold")),
        "ticket_types": sorted(TicketType.objects.values_list("pk", "name", "price", "sold")),
        "events": sorted(Event.objects.values_list("pk", "name", "venue", "timezone", "reentry_allowed")),
        "buyers": Buyer.objects.count(),
        "audit": AuditEntry.objects.count(),
        "messages": Message.objects.count(),
        "comments": Comment.objects.count(),
        "payments": Payment.objects.count(),
        "refunds": Refund.objects.count(),
    }


@contextmanager
def unchanged():
    """`with unchanged(): ...` fails if the block changed anything in the database."""
    before = db_state()
    yield
    assert db_state() == before


def order_body(event, lines, *, email="ann@example.test", name="Ann Buyer", payment_method="card", **flags) -> dict:
    """A POST orders body; `lines` are (ticket type, timeslot, quantity)."""
    return {
        "event": event.pk,
        "buyer": {"email": email, "name": name},
        "lines": [{"ticket_type": t.pk, "timeslot": s.pk, "quantity": q} for t, s, q in lines],
        "payment_method": payment_method,
        **flags,
    }


def barcodes(order) -> list[str]:
    return list(order.tickets.order_by("pk").values_list("barcode", flat=True))


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of §8, with a valid request. `path` and `body` name the museum's objects
    by placeholders: {event}, {timeslot}, {other_timeslot}, {ticket_type}, {code}, {barcode}."""

    method: str
    path: str
    body: dict | None = None
    success: int = 200

    def request(self, api: ApiClient, ids: dict):
        return api.call(self.method, self.path.format(**ids), _fill(self.body, ids))

    @property
    def reads(self) -> bool:
        return self.method == "GET"


def _fill(value, ids: dict):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value


ENDPOINTS = {
    "list events": Endpoint("GET", "events"),
    "create event": Endpoint("POST", "events", {"name": "Modern Art", "venue": "East wing"}, 201),
    "event detail": Endpoint("GET", "events/{event}"),
    "update event": Endpoint("PATCH", "events/{event}", {"venue": "West wing"}),
    "list timeslots": Endpoint("GET", "events/{event}/timeslots"),
    "create timeslot": Endpoint(
        "POST",
        "events/{event}/timeslots",
        {"start": "2027-05-01T10:00:00+02:00", "end": "2027-05-01T11:00:00+02:00", "capacity": 40},
        201,
    ),
    "timeslot detail": Endpoint("GET", "events/{event}/timeslots/{timeslot}"),
    "update timeslot": Endpoint("PATCH", "events/{event}/timeslots/{timeslot}", {"capacity": 150}),
    "list ticket types": Endpoint("GET", "events/{event}/ticket-types"),
    "create ticket type": Endpoint(
        "POST", "events/{event}/ticket-types", {"name": "Senior", "price": "12.50", "vat_rate": "9"}, 201
    ),
    "list orders": Endpoint("GET", "orders"),
    "sell": Endpoint(
        "POST",
        "orders",
        {
            "event": "{event}",
            "buyer": {"email": "bob@example.test", "name": "Bob Buyer"},
            "lines": [{"ticket_type": "{ticket_type}", "timeslot": "{timeslot}", "quantity": 1}],
            "payment_method": "cash",
        },
        201,
    ),
    "order detail": Endpoint("GET", "orders/{code}"),
    "download tickets": Endpoint("GET", "orders/{code}/tickets.pdf"),
    "download selected tickets": Endpoint("GET", "orders/{code}/tickets.pdf?tickets={barcode}"),
    "download receipt": Endpoint("GET", "orders/{code}/receipt.pdf"),
    "send tickets": Endpoint("POST", "orders/{code}/send-tickets", None, 202),
    "send receipt": Endpoint("POST", "orders/{code}/send-receipt", None, 202),
    "comment": Endpoint("POST", "orders/{code}/comments", {"scope": "purchase", "text": "Called about parking"}, 201),
    "remove": Endpoint("POST", "orders/{code}/remove", {"reason": "The buyer cannot come"}),
    "refund": Endpoint("POST", "orders/{code}/refunds", {"amount": "5.00", "method": "cash", "reason": "Late"}, 201),
    "bulk": Endpoint("POST", "orders/{code}/tickets/bulk", {"action": "blacklisted", "tickets": ["{barcode}"]}),
    "reschedule": Endpoint("POST", "orders/{code}/reschedule", {"to_timeslot": "{other_timeslot}"}),
    "edit buyer": Endpoint("PATCH", "orders/{code}/buyer", {"name": "Ann Buyer", "email": "ann.b@example.test"}),
    "delete timeslot": Endpoint("DELETE", "events/{event}/timeslots/{other_timeslot}", None, 204),
}

# Roles below admin may not set events up; operators may act on orders but not refund.
ADMIN_ONLY = {
    "create event", "update event", "create timeslot", "update timeslot", "create ticket type", "refund", "delete timeslot",
}  # fmt: skip
