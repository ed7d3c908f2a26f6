"""Looking orders up, selling and reading an order through the API (§3.1, §3.9, §8)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from boxoffice.core.models import AuditEntry, Message, Order, Payment
from boxoffice.core.services import setup

from .helpers import assert_error, assert_money, assert_page, assert_time, barcodes, order_body, unchanged

SUMMARY_FIELDS = {"code", "status", "event", "total", "buyer"}
ORDER_FIELDS = SUMMARY_FIELDS | {
    "buyer_comments", "comments", "tickets", "payments", "refunds", "messages", "history",
}
TICKET_FIELDS = {"barcode", "state", "ticket_type", "timeslot", "attendee_name"}
MESSAGE_FIELDS = {"kind", "to", "status", "attempts", "last_error", "sent_at"}
HISTORY_FIELDS = {"at", "actor", "action", "details"}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["code"] for item in response.json()["items"]]


# --- look up ------------------------------------------------------------------------------


@pytest.fixture
def three(sell, child, other_timeslot):
    """Three orders of different buyers, oldest first."""
    return [
        sell(2, email="ann@example.test", name="Ann Buyer", phone="+31 6 12345678"),
        sell(1, email="bob@example.test", name="Bob Smith", ticket_type=child, slot=other_timeslot),
        sell(1, email="cy@example.test", name="Cy Young", payment_method="invoice"),
    ]


def test_order_list_is_a_page_of_summaries_newest_first(as_viewer, three):
    body = as_viewer.get("orders").json()
    items = assert_page(body, 3)
    assert [i["code"] for i in items] == [o.code for o in reversed(three)]
    first = items[-1]
    assert SUMMARY_FIELDS <= set(first)
    assert (first["status"], first["total"], first["event"]) == ("paid", "35.00", three[0].event_id)
    assert first["buyer"]["email"] == "ann@example.test" and first["buyer"]["name"] == "Ann Buyer"
    assert_time(first["created_at"])


def test_order_list_pages_with_page_and_page_size(as_viewer, three):
    first = as_viewer.get("orders", {"page_size": 2})
    second = as_viewer.get("orders", {"page_size": 2, "page": 2})
    assert first.json()["count"] == second.json()["count"] == 3
    assert codes(first) + codes(second) == [o.code for o in reversed(three)]


def test_name_search_pages_newest_first_with_the_count_of_all_matches(as_viewer, sell):
    smiths = [sell(1, email=f"smith{n}@example.test", name=f"Pat Smith {n}") for n in range(5)]
    sell(1, email="jones@example.test", name="Pat Jones")
    pages = [as_viewer.get("orders", {"search": "smit", "page_size": 2, "page": page}) for page in (1, 2, 3)]
    assert [page.json()["count"] for page in pages] == [5, 5, 5]
    assert sum((codes(page) for page in pages), []) == [o.code for o in reversed(smiths)]


def test_name_search_past_the_last_page_is_empty_with_the_count(as_viewer, sell):
    sell(1, email="smith@example.test", name="Pat Smith")
    response = as_viewer.get("orders", {"search": "smit", "page": 3})
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 1, "count_exact": True}


@pytest.mark.parametrize(
    "term",
    [
        lambda o: o.code,
        lambda o: o.code.lower(),
        lambda o: "ANN@example.test",
        lambda o: "nn buy",
        lambda o: "06-1234 5678",
        lambda o: barcodes(o)[1],
    ],
    ids=["code", "code in lower case", "email", "name fragment", "phone", "barcode"],
)
def test_search_finds_the_order_by_any_identifier(as_viewer, three, term):
    assert codes(as_viewer.get("orders", {"search": term(three[0])})) == [three[0].code]


def test_search_that_matches_nothing_is_an_empty_page(as_viewer, three):
    assert assert_page(as_viewer.get("orders", {"search": "nobody@example.test"}).json(), 0) == []


def test_orders_filter_by_event_timeslot_status_and_date(as_viewer, three, event, other_timeslot):
    assert len(codes(as_viewer.get("orders", {"event": event.pk}))) == 3
    assert codes(as_viewer.get("orders", {"timeslot": other_timeslot.pk})) == [three[1].code]
    assert codes(as_viewer.get("orders", {"status": "pending"})) == [three[2].code]
    assert codes(as_viewer.get("orders", {"status": "paid", "search": "Bob"})) == [three[1].code]
    today = timezone.localdate()
    assert len(codes(as_viewer.get("orders", {"created_from": today - timedelta(days=1)}))) == 3
    assert codes(as_viewer.get("orders", {"created_from": today + timedelta(days=2)})) == []


@pytest.mark.parametrize(
    "params",
    [{"status": "lost"}, {"event": "old-masters"}, {"timeslot": "10:00"}, {"page": 0}, {"page_size": -1},
     {"created_from": "yesterday"}, {"search": "x" * 201}],
)
def test_order_list_with_invalid_parameters_is_rejected(as_viewer, three, params):
    assert_error(as_viewer.get("orders", params), 422, "validation_error")


# --- sell ---------------------------------------------------------------------------------


def test_sale_creates_a_paid_order_with_tickets(as_operator, event, adult, child, timeslot):
    body = order_body(event, [(adult, timeslot, 2), (child, timeslot, 1)], send_tickets=True, send_receipt=True)
    body["buyer"].update(phone="+31 6 1111 2222", language="nl")
    response = as_operator.post("orders", body)
    assert response.status_code == 201
    sold = response.json()
    assert ORDER_FIELDS <= set(sold)
    assert (sold["status"], sold["event"], sold["channel"]) == ("paid", event.pk, "api")
    assert assert_money(sold["total"]) == Decimal("43.00")
    assert sold["buyer"]["phone"] == "+31 6 1111 2222" and sold["buyer"]["language"] == "nl"
    assert [(t["ticket_type"], t["timeslot"], t["state"]) for t in sold["tickets"]] == [
        (adult.pk, timeslot.pk, "unscanned"), (adult.pk, timeslot.pk, "unscanned"), (child.pk, timeslot.pk, "unscanned"),
    ]
    assert [(m["kind"], m["to"], m["status"]) for m in sold["messages"]] == [
        ("tickets", "ann@example.test", "queued"), ("receipt", "ann@example.test", "queued"),
    ]
    assert [(p["method"], p["amount"]) for p in sold["payments"]] == [("card", "43.00")]
    assert [h["action"] for h in sold["history"]] == ["order.sold"]
    order = Order.objects.get(code=sold["code"])
    assert order.created_by.user.email == "desk@museum.test"
    assert Message.objects.filter(order=order, status="queued").count() == 2
    assert AuditEntry.objects.get(order=order).action == "order.sold"
    timeslot.refresh_from_db()
    assert timeslot.sold == 3


def test_sale_without_send_switches_queues_no_email(as_operator, event, adult, timeslot):
    sold = as_operator.post("orders", order_body(event, [(adult, timeslot, 1)])).json()
    assert sold["messages"] == []
    assert not Message.objects.filter(order__code=sold["code"]).exists()


def test_invoice_sale_is_pending_without_a_payment(as_operator, event, adult, timeslot):
    sold = as_operator.post("orders", order_body(event, [(adult, timeslot, 1)], payment_method="invoice")).json()
    assert (sold["status"], sold["total"], sold["payments"]) == ("pending", "17.50", [])
    assert not Payment.objects.filter(order__code=sold["code"]).exists()


def test_free_sale_costs_nothing(as_operator, event, adult, timeslot):
    sold = as_operator.post("orders", order_body(event, [(adult, timeslot, 2)], payment_method="free")).json()
    assert (sold["status"], sold["total"]) == ("paid", "0.00")
    assert {t["state"] for t in sold["tickets"]} == {"unscanned"}


def _with(body: dict, **changes) -> dict:
    return {**body, **changes}


SALE_VALIDATION = {
    "no buyer": lambda b: {k: v for k, v in b.items() if k != "buyer"},
    "buyer with an email but no name": lambda b: _with(b, buyer={"email": "ann@example.test"}),
    "buyer email without @": lambda b: _with(b, buyer={"email": "ann.example.test", "name": "Ann"}),
    "buyer without name": lambda b: _with(b, buyer={"email": "ann@example.test", "name": ""}),
    "no lines": lambda b: _with(b, lines=[]),
    "line without timeslot": lambda b: _with(b, lines=[{"ticket_type": b["lines"][0]["ticket_type"], "quantity": 1}]),
    "zero quantity": lambda b: _with(b, lines=[{**b["lines"][0], "quantity": 0}]),
    "unknown payment method": lambda b: _with(b, payment_method="bitcoin"),
    "send_tickets not a boolean": lambda b: _with(b, send_tickets="maybe"),
    "event not an id": lambda b: _with(b, event="Old Masters"),
    "lines not a list": lambda b: _with(b, lines={"ticket_type": 1}),
}


@pytest.mark.parametrize("mistake", SALE_VALIDATION)
def test_sale_with_invalid_fields_is_rejected(as_operator, event, adult, timeslot, mistake):
    body = SALE_VALIDATION[mistake](order_body(event, [(adult, timeslot, 1)]))
    with unchanged():
        assert_error(as_operator.post("orders", body), 422, "validation_error")


def test_sale_for_an_unknown_event_is_not_found(as_operator, event, adult, timeslot):
    body = _with(order_body(event, [(adult, timeslot, 1)]), event=987654)
    with unchanged():
        assert_error(as_operator.post("orders", body), 404, "not_found")


def test_sale_of_a_ticket_type_of_another_event_is_rejected(as_operator, event, timeslot, concert):
    with unchanged():
        response = as_operator.post("orders", order_body(event, [(concert.ticket_type, timeslot, 1)]))
        assert_error(response, 422, "ticket_type_wrong_event")


def test_sale_beyond_the_per_order_maximum_is_rejected(as_admin, event, timeslot, admin):
    family = setup.create_ticket_type(
        event, name="Family", price=Decimal("40.00"), vat_rate=Decimal("9"), max_per_order=2, actor=admin
    )
    with unchanged():
        response = as_admin.post("orders", order_body(event, [(family, timeslot, 3)]))
        assert_error(response, 422, "max_per_order_exceeded")


def test_sale_beyond_a_ticket_type_quota_is_rejected(as_admin, event, timeslot, admin):
    early = setup.create_ticket_type(event, name="Early", price=Decimal("10.00"), vat_rate=Decimal("9"), quota=2, actor=admin)
    with unchanged():
        body = assert_error(as_admin.post("orders", order_body(event, [(early, timeslot, 3)])), 409, "ticket_type_sold_out")
    assert body["details"]["available"] == 2


# --- the order ----------------------------------------------------------------------------


def test_order_detail_has_every_part_of_the_order(as_viewer, sell, timeslot, adult):
    order = sell(2, send_receipt=True)
    response = as_viewer.get(f"orders/{order.code}")
    assert response.status_code == 200
    body = response.json()
    assert ORDER_FIELDS <= set(body)
    assert (body["code"], body["status"], body["total"]) == (order.code, "paid", "35.00")
    assert body["buyer"]["email"] == "ann@example.test"
    assert [t["barcode"] for t in body["tickets"]] == barcodes(order)
    for ticket in body["tickets"]:
        assert TICKET_FIELDS <= set(ticket)
        assert (ticket["state"], ticket["ticket_type"], ticket["timeslot"]) == ("unscanned", adult.pk, timeslot.pk)
        assert assert_time(ticket["timeslot_start"]) == timeslot.start
    (message,) = body["messages"]
    assert MESSAGE_FIELDS <= set(message)
    assert (message["kind"], message["to"], message["status"], message["attempts"], message["sent_at"]) == (
        "receipt", "ann@example.test", "queued", 0, None,
    )
    (entry,) = body["history"]
    assert HISTORY_FIELDS <= set(entry)
    assert (entry["action"], entry["actor"]) == ("order.sold", "desk@museum.test")
    assert_time(entry["at"])
    assert isinstance(entry["details"], dict)
    payment = body["payments"][0]
    assert (payment["method"], payment["amount"]) == ("card", "35.00")
    assert_time(payment["created_at"])
    assert body["refunds"] == [] and body["comments"] == [] and body["buyer_comments"] == []


def test_order_detail_finds_the_code_however_it_is_typed(as_viewer, sell):
    order = sell(1)
    assert as_viewer.get(f"orders/{order.code.lower()}").json()["code"] == order.code


def test_unknown_order_code_is_not_found(as_viewer, sell):
    sell(1)
    assert_error(as_viewer.get("orders/NOPE"), 404, "not_found")


def test_an_order_with_a_long_history_answers_its_last_100_entries_and_pages_them_all(as_viewer, sell, operator):
    from boxoffice.core.services.tickets import set_ticket_states

    order = sell(1)
    barcode = order.tickets.get().barcode
    for state in ["blacklisted", "unscanned"] * 60:  # 120 changes after the sale
        set_ticket_states(order, barcodes=[barcode], state=state, actor=operator)
    body = as_viewer.get(f"orders/{order.code}").json()
    assert body["history_count"] == 121 and len(body["history"]) == 100
    assert body["history"][-1]["action"] == "tickets.unscanned"
    first = as_viewer.get(f"orders/{order.code}/history", {"page_size": 100}).json()
    last = as_viewer.get(f"orders/{order.code}/history", {"page_size": 100, "page": 2}).json()
    assert first["count"] == 121 and first["items"][0]["action"] == "order.sold"
    assert [e["at"] for e in first["items"][21:] + last["items"]] == [e["at"] for e in body["history"]]
    assert as_viewer.get("orders/NOPE123/history").status_code == 404


def test_another_organizers_order_history_is_unknown(as_admin, other):
    response = as_admin.get(f"orders/{other.order.code}/history")
    assert_error(response, 404, "not_found")
