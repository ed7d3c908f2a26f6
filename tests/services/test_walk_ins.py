"""Walk-ins at the desk (§3.9): a sale without an email, paid by cash or card, where nothing is
emailed; and cash tendered with its change, checked against the service's own total."""

from decimal import Decimal

import pytest

from boxoffice.core.models import AuditEntry, Buyer, Message, Payment
from boxoffice.core.services import buyers, payments
from boxoffice.core.services.sales import WALK_IN


def test_a_walk_in_without_email_or_name_is_sold_as_walk_in_and_nothing_is_queued(sell, organizer):
    order = sell(2, email="", name="", payment_method="cash")
    assert order.status == "paid" and order.tickets.count() == 2
    assert order.buyer.name == WALK_IN and order.buyer.email == "" and order.buyer.walk_in
    assert not Message.objects.filter(order=order).exists()


def test_two_walk_ins_are_two_buyers_and_never_join_a_buyer_with_an_email(sell):
    first, second = sell(1, email="", name="Anna"), sell(1, email="", name="Anna")
    with_email = sell(1, email="anna@example.test", name="Anna")
    assert len({first.buyer_id, second.buyer_id, with_email.buyer_id}) == 3
    assert Buyer.objects.filter(email_normalized="").count() == 2


@pytest.mark.parametrize("flags", [{"send_tickets": True}, {"send_receipt": True}, {"payment_method": "invoice"}])
def test_a_walk_in_cannot_be_emailed_or_invoiced(sell, refused, flags):
    with refused("walk_in_has_no_email"):
        sell(1, email="", name="Anna", **flags)


def test_cash_tendered_is_kept_with_its_change_and_in_the_audit(sell):
    order = sell(2, email="", name="", payment_method="cash", cash_tendered=Decimal("50.00"))  # 2 × 17.50
    payment = order.payments.get()
    assert (payment.amount, payment.tendered, payment.change) == (Decimal("35.00"), Decimal("50.00"), Decimal("15.00"))
    sold = AuditEntry.objects.get(order=order, action="order.sold")
    assert sold.after["cash_tendered"] == "50.00" and sold.after["change"] == "15.00"


def test_exact_cash_gives_no_change(sell):
    assert sell(2, payment_method="cash", cash_tendered=Decimal("35")).payments.get().change == Decimal("0.00")


def test_less_cash_than_the_total_is_refused_and_sells_nothing(sell, refused):
    with refused("cash_short") as info:
        sell(2, payment_method="cash", cash_tendered=Decimal("34.99"))
    assert "0.01 short" in info.value.message and info.value.details["field"] == "cash_tendered"


@pytest.mark.parametrize("method", ["card", "invoice", "free"])
def test_cash_tendered_is_refused_for_any_other_method(sell, refused, method):
    with refused("validation_error"):
        sell(1, payment_method=method, cash_tendered=Decimal("20.00"))


def test_cash_tendered_with_fractions_of_a_cent_is_refused(sell, refused):
    with refused("validation_error"):
        sell(1, payment_method="cash", cash_tendered=Decimal("20.001"))


def test_a_cash_payment_registered_later_keeps_tendered_and_change(sell, operator):
    order = sell(2, payment_method="invoice")
    payment = payments.register_payment(order, amount=Decimal("35.00"), method="cash", tendered=Decimal("40"), actor=operator)
    assert payment.change == Decimal("5.00")
    order.refresh_from_db()
    assert order.status == "paid"


def test_a_later_payment_short_of_its_amount_changes_nothing(sell, operator, refused):
    order = sell(2, payment_method="invoice")
    with refused("cash_short"):
        payments.register_payment(order, amount=Decimal("35.00"), method="cash", tendered=Decimal("30"), actor=operator)


def test_a_walk_in_can_be_given_an_email_and_then_be_sent_the_tickets(sell, operator):
    order = sell(1, email="", name="", payment_method="cash")
    buyers.update_buyer(order, actor=operator, name="Anna Bakker", email="anna@example.test")
    order.refresh_from_db()
    assert order.buyer.email == "anna@example.test" and not order.buyer.walk_in
    assert Payment.objects.filter(order=order).count() == 1


def test_a_buyer_with_an_email_keeps_one(sell, operator, refused):
    order = sell(1)
    with refused("validation_error"):
        buyers.update_buyer(order, actor=operator, name="Ann Buyer", email="")


def test_a_walk_in_stays_one_when_only_the_name_is_corrected(sell, operator):
    order = sell(1, email="", name="")
    buyers.update_buyer(order, actor=operator, name="Anna", email="")
    order.refresh_from_db()
    assert order.buyer.name == "Anna" and order.buyer.walk_in
