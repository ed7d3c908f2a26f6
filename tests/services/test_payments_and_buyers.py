"""Register payment and Edit buyer (§3.10): one service each, with its audit entry, a coded
error and nothing changed on bad input."""

from decimal import Decimal

import pytest

from boxoffice.core.models import AuditEntry, Buyer, Order, Payment
from boxoffice.core.rules.money import order_balance
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services import buyers, payments
from boxoffice.core.services.orders import remove_order

D = Decimal


@pytest.mark.parametrize("total,removed,paid,refunded,due,to_refund", [
    ("35.00", False, [], [], "35.00", "0.00"),
    ("35.00", False, ["10.00", "25.00"], [], "0.00", "0.00"),
    ("35.00", False, ["35.00"], ["20.00"], "20.00", "0.00"),
    ("35.00", True, ["35.00"], [], "0.00", "35.00"),
    ("35.00", True, ["35.00"], ["35.00"], "0.00", "0.00"),
    ("0.00", False, [], [], "0.00", "0.00"),
])  # fmt: skip
def test_the_balance_rule(total, removed, paid, refunded, due, to_refund):
    balance = order_balance(total=D(total), removed=removed, payments=[D(p) for p in paid], refunds=[D(r) for r in refunded])
    assert (balance.due, balance.to_refund) == (D(due), D(to_refund))


def test_part_payments_make_an_invoice_order_paid_when_nothing_is_due(sell, operator):
    order = sell(2, payment_method="invoice")  # 35.00 pending
    payments.register_payment(order, amount=D("15.00"), method="transfer", reference="NL12-3456", actor=operator)
    order.refresh_from_db()
    assert (order.status, balance_of(order).due) == ("pending", D("20.00"))
    payments.register_payment(order, amount=D("20.00"), method="cash", actor=operator)
    order.refresh_from_db()
    assert (order.status, balance_of(order).due) == ("paid", D("0.00"))
    entries = AuditEntry.objects.filter(order=order, action="order.payment").order_by("pk")
    assert [(e.before["due"], e.after["due"], e.after["status"]) for e in entries] == [
        ("35.00", "20.00", "pending"), ("20.00", "0.00", "paid")
    ]


@pytest.mark.parametrize("amount,method,code", [
    ("35.01", "cash", "payment_exceeds_due"), ("0", "cash", "validation_error"), ("1.005", "cash", "validation_error"),
    ("10", "invoice", "validation_error"), ("10", "bitcoin", "validation_error"),
])  # fmt: skip
def test_a_payment_it_cannot_be_is_refused_and_changes_nothing(sell, operator, refused, amount, method, code):
    order = sell(2, payment_method="invoice")
    with refused(code):
        payments.register_payment(order, amount=D(amount), method=method, actor=operator)


def test_nothing_is_due_on_a_removed_order(sell, operator, refused):
    order = sell(2, payment_method="invoice")
    remove_order(order, actor=operator, reason="The buyer cannot come")
    with refused("order_removed"):
        payments.register_payment(order, amount=D("1.00"), method="cash", actor=operator)


def test_a_viewer_cannot_register_a_payment(sell, viewer, refused):
    order = sell(1, payment_method="invoice")
    with refused("permission_denied"):
        payments.register_payment(order, amount=D("1.00"), method="cash", actor=viewer)


def test_edit_buyer_corrects_every_order_of_theirs_and_records_it(sell, operator):
    first = sell(1, email="ann@exampel.test", name="Ann Buyr")
    second = sell(1, email="ann@exampel.test")
    buyers.update_buyer(first, actor=operator, name="Ann Buyer", email="Ann@Example.test", phone="06 1234 5678", language="nl")
    buyer = Buyer.objects.get(pk=first.buyer_id)
    assert (buyer.name, buyer.email, buyer.email_normalized, buyer.phone_normalized, buyer.language) == (
        "Ann Buyer", "Ann@Example.test", "ann@example.test", "612345678", "nl"
    )
    assert Order.objects.get(pk=second.pk).buyer_id == buyer.pk
    entry = AuditEntry.objects.get(order=first, action="buyer.updated")
    assert entry.before == {"name": "Ann Buyr", "email": "ann@exampel.test", "phone": "", "language": "en"}


def test_an_address_another_buyer_has_is_refused(sell, operator, refused):
    sell(1, email="bob@example.test", name="Bob")
    order = sell(1, email="ann@example.test")
    with refused("buyer_email_taken"):
        buyers.update_buyer(order, actor=operator, name="Ann", email="BOB@example.test")


@pytest.mark.parametrize("field,value", [("email", "not-an-email"), ("name", "Ann\nBuyer"), ("phone", "call me"), ("language", "xx")])
def test_edit_buyer_refuses_bad_input(sell, operator, refused, field, value):
    order = sell(1)
    data = {"name": "Ann", "email": "ann@example.test", "phone": "", "language": "en", field: value}
    with refused("validation_error"):
        buyers.update_buyer(order, actor=operator, **data)


def test_edit_buyer_of_another_organizer_is_not_found(other_org, operator, refused):
    theirs = other_org.sell(1)
    with refused("not_found"):
        buyers.update_buyer(theirs, actor=operator, name="Mallory", email="mallory@example.test")
    assert not Payment.objects.filter(order=theirs, amount=D("1")).exists()
