"""Send, comment, remove and refund through the API (§3.2, 3.3, 3.5, 3.6)."""

from decimal import Decimal

import pytest

from boxoffice.core.models import AuditEntry, Comment, Message, Refund, Ticket

from .helpers import assert_error, assert_money, assert_time, unchanged


@pytest.fixture
def order(sell):
    return sell(2)


# --- Send Ticket(s) / Send payment receipt ------------------------------------------------


@pytest.mark.parametrize("kind, path", [("tickets", "send-tickets"), ("receipt", "send-receipt")])
def test_send_queues_an_email_to_the_buyer(as_operator, order, kind, path):
    response = as_operator.post(f"orders/{order.code}/{path}")
    assert response.status_code == 202
    body = response.json()
    assert [(m["kind"], m["to"], m["status"], m["attempts"]) for m in body["messages"]] == [
        (kind, "ann@example.test", "queued", 0)
    ]
    message = Message.objects.get(order=order)
    assert (message.kind, message.status, message.created_by.user.email) == (kind, "queued", "desk@museum.test")
    entry = AuditEntry.objects.get(order=order, action=f"order.send_{kind}")
    assert entry.after["message"] == message.pk
    assert body["history"][-1]["action"] == f"order.send_{kind}"


def test_sending_tickets_of_a_removed_order_is_refused(as_operator, order):
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/send-tickets"), 409, "order_removed")


def test_a_receipt_of_a_removed_order_can_still_be_sent(as_operator, order):
    """The buyer paid; the receipt stays true after removal (no refund is implied)."""
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    assert as_operator.post(f"orders/{order.code}/send-receipt").status_code == 202
    assert Message.objects.get(order=order).kind == "receipt"


def test_send_to_another_address_goes_there_once_and_is_recorded(as_operator, order):
    answer = as_operator.post(f"orders/{order.code}/send-tickets", {"to": "ann.work@example.test"})
    assert answer.status_code == 202
    assert Message.objects.get(order=order).to == "ann.work@example.test"
    order.buyer.refresh_from_db()
    assert order.buyer.email == "ann@example.test"  # the buyer's own address stays
    entry = AuditEntry.objects.get(order=order, action="order.send_tickets")
    assert (entry.after["to"], entry.after["instead_of"]) == ("ann.work@example.test", "ann@example.test")
    assert as_operator.post(f"orders/{order.code}/send-tickets").status_code == 202
    assert list(Message.objects.filter(order=order).order_by("pk").values_list("to", flat=True)) == [
        "ann.work@example.test", "ann@example.test"
    ]


@pytest.mark.parametrize("to", ["not-an-address", "jürgen@example.test", "a@b.test\nBcc: x@y.test"])
def test_send_to_an_address_we_cannot_mail_is_refused(as_operator, order, to):
    answer = as_operator.post(f"orders/{order.code}/send-tickets", {"to": to})
    assert answer.status_code == 422 and not Message.objects.filter(order=order).exists()


# --- Add a comment ------------------------------------------------------------------------


def test_purchase_comment_shows_only_on_that_purchase(as_operator, order, sell):
    second = sell(1)
    response = as_operator.post(f"orders/{order.code}/comments", {"scope": "purchase", "text": "Refund asked by phone"})
    assert response.status_code == 201
    comment = response.json()
    assert (comment["scope"], comment["text"], comment["author"]) == ("purchase", "Refund asked by phone", "desk@museum.test")
    assert_time(comment["created_at"])
    assert [c["text"] for c in as_operator.get(f"orders/{order.code}").json()["comments"]] == ["Refund asked by phone"]
    assert as_operator.get(f"orders/{second.code}").json()["comments"] == []
    assert Comment.objects.get(pk=comment["id"]).order_id == order.pk
    assert AuditEntry.objects.filter(order=order, action="comment.purchase").count() == 1


def test_buyer_comment_shows_on_every_purchase_of_the_buyer(as_operator, order, sell):
    second = sell(1)
    stranger = sell(1, email="zed@example.test", name="Zed")
    response = as_operator.post(f"orders/{order.code}/comments", {"scope": "buyer", "text": "Uses a wheelchair"})
    assert response.status_code == 201
    for code in (order.code, second.code):
        body = as_operator.get(f"orders/{code}").json()
        assert [(c["scope"], c["text"]) for c in body["buyer_comments"]] == [("buyer", "Uses a wheelchair")]
        assert body["comments"] == []
    assert as_operator.get(f"orders/{stranger.code}").json()["buyer_comments"] == []
    assert AuditEntry.objects.filter(order=order, action="comment.buyer").count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"scope": "buyer"},
        {"text": "No scope"},
        {"scope": "everyone", "text": "Hi"},
        {"scope": "purchase", "text": ""},
        {"scope": "purchase", "text": "   "},
        {"scope": "purchase", "text": "x" * 5001},
        {"scope": "purchase", "text": ["a", "list"]},
    ],
)
def test_comment_with_invalid_fields_is_rejected(as_operator, order, payload):
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/comments", payload), 422, "validation_error")


def test_comments_can_be_added_to_a_removed_order(as_operator, order):
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    response = as_operator.post(f"orders/{order.code}/comments", {"scope": "purchase", "text": "Removed: double booking"})
    assert response.status_code == 201


# --- Remove purchase ----------------------------------------------------------------------


def test_remove_voids_every_ticket_and_releases_places_without_a_refund(as_operator, order, timeslot):
    response = as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "removed"
    assert {t["state"] for t in body["tickets"]} == {"void"}
    assert body["refunds"] == [] and assert_money(body["paid"]) == Decimal("35.00")
    assert body["history"][-1]["action"] == "order.removed"
    assert set(Ticket.objects.filter(order=order).values_list("state", "void_reason")) == {("void", "removed")}
    timeslot.refresh_from_db()
    assert timeslot.sold == 0
    assert not Refund.objects.exists()
    entry = AuditEntry.objects.get(order=order, action="order.removed")
    assert entry.after["refund"] is None


def test_removing_a_removed_order_is_refused(as_operator, order):
    as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    with unchanged():
        assert_error(as_operator.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"}), 409, "order_removed")


# --- Refunds ------------------------------------------------------------------------------


def test_admin_records_a_refund(as_admin, order):
    payload = {"amount": "10", "method": "bank transfer", "reason": "Closed gallery"}
    response = as_admin.post(f"orders/{order.code}/refunds", payload)
    assert response.status_code == 201
    refund = response.json()
    assert (refund["amount"], refund["method"], refund["reason"]) == ("10.00", "bank transfer", "Closed gallery")
    assert_time(refund["created_at"])
    detail = as_admin.get(f"orders/{order.code}").json()
    assert [(r["amount"], r["reason"]) for r in detail["refunds"]] == [("10.00", "Closed gallery")]
    assert detail["paid"] == "25.00"
    assert detail["status"] == "paid"  # a refund does not remove the order
    entry = AuditEntry.objects.get(order=order, action="order.refunded")
    assert (entry.actor_label, Decimal(entry.after["amount"])) == ("admin@museum.test", Decimal("10.00"))


def test_refunds_add_up_to_what_was_paid_and_no_more(as_admin, order):
    assert as_admin.post(f"orders/{order.code}/refunds", {"amount": "30.00", "method": "cash", "reason": "Goodwill"}).status_code == 201
    with unchanged():
        body = assert_error(
            as_admin.post(f"orders/{order.code}/refunds", {"amount": "5.01", "method": "cash", "reason": "Goodwill"}), 409, "refund_exceeds_paid"
        )
    assert body["details"]["refundable"] == "5.00"
    assert as_admin.post(f"orders/{order.code}/refunds", {"amount": "5.00", "method": "cash", "reason": "Goodwill"}).status_code == 201


def test_refund_of_a_removed_order_is_recorded_separately(as_admin, order):
    as_admin.post(f"orders/{order.code}/remove", {"reason": "The buyer cannot come"})
    response = as_admin.post(f"orders/{order.code}/refunds", {"amount": "35.00", "method": "card", "reason": "Removed"})
    assert response.status_code == 201
    assert [h["action"] for h in as_admin.get(f"orders/{order.code}").json()["history"]][-2:] == [
        "order.removed", "order.refunded",
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {"amount": "0", "method": "cash", "reason": "Goodwill"},
        {"amount": "-5.00", "method": "cash"},
        {"amount": "1.005", "method": "cash", "reason": "Goodwill"},
        {"amount": "ten", "method": "cash"},
        {"amount": "5.00"},
        {"amount": "5.00", "method": ""},
        {"amount": "5.00", "method": "   "},
        {"method": "cash"},
        {"amount": "1e12", "method": "cash"},
    ],
)
def test_refund_with_invalid_fields_is_rejected(as_admin, order, payload):
    with unchanged():
        assert_error(as_admin.post(f"orders/{order.code}/refunds", payload), 422, "validation_error")


def test_refund_on_an_unpaid_invoice_order_is_refused(as_admin, sell):
    pending = sell(1, payment_method="invoice")
    with unchanged():
        assert_error(as_admin.post(f"orders/{pending.code}/refunds", {"amount": "1.00", "method": "cash", "reason": "Goodwill"}), 409, "refund_exceeds_paid")


# --- Edit buyer and Register payment (§3.10) ----------------------------------------------


def test_edit_buyer_through_the_api(as_operator, order):
    body = {"name": "Ann Buyer", "email": "ann.new@example.test", "phone": "+31 6 1234 5678", "language": "nl"}
    answer = as_operator.patch(f"orders/{order.code}/buyer", body)
    assert answer.status_code == 200
    assert answer.json()["buyer"]["email"] == "ann.new@example.test"
    assert AuditEntry.objects.filter(order=order, action="buyer.updated").count() == 1


def test_edit_buyer_to_another_buyers_address_is_a_conflict(as_operator, order, sell):
    sell(1, email="bob@example.test", name="Bob")
    answer = as_operator.patch(f"orders/{order.code}/buyer", {"name": "Ann", "email": "bob@example.test"})
    assert answer.status_code == 409 and answer.json()["code"] == "buyer_email_taken"


def test_register_part_payments_through_the_api_until_paid(as_operator, sell):
    order = sell(2, payment_method="invoice")
    first = as_operator.post(f"orders/{order.code}/payments", {"amount": "15.00", "method": "transfer", "reference": "ref-1"})
    assert first.status_code == 201
    body = first.json()
    assert (body["status"], body["balance"]["due"], body["balance"]["paid"]) == ("pending", "20.00", "15.00")
    too_much = as_operator.post(f"orders/{order.code}/payments", {"amount": "20.01", "method": "cash", "reason": "Goodwill"})
    assert too_much.status_code == 409 and too_much.json()["code"] == "payment_exceeds_due"
    rest = as_operator.post(f"orders/{order.code}/payments", {"amount": "20.00", "method": "cash", "reason": "Goodwill"}).json()
    assert (rest["status"], rest["balance"]["due"]) == ("paid", "0.00")
    assert [(p["amount"], p["method"], p["reference"]) for p in rest["payments"]] == [
        ("15.00", "transfer", "ref-1"), ("20.00", "cash", "")
    ]


def test_a_viewer_cannot_register_payments_or_edit_buyers(as_viewer, sell):
    order = sell(1, payment_method="invoice")
    assert as_viewer.post(f"orders/{order.code}/payments", {"amount": "1.00", "method": "cash", "reason": "Goodwill"}).status_code == 403
    assert as_viewer.patch(f"orders/{order.code}/buyer", {"name": "X", "email": "x@example.test"}).status_code == 403
