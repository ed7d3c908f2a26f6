"""Money coming in after the sale (§3.10): an invoice paid, a part payment, a difference
collected. Money never moves by itself: the balance (rules/money.py) says what is due, and a
payment is registered by someone, explicitly."""

from decimal import Decimal

from django.db import transaction

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, OrderRemoved, PaymentExceedsDue
from boxoffice.core.models import Order, Payment, PaymentMethod
from boxoffice.core.models.orders import PAYMENT_METHODS_LATER
from boxoffice.core.rules import inputs
from boxoffice.core.rules.money import cash_change, to_money
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services.locking import lock_order
from boxoffice.core.services.permissions import require
from boxoffice.core.services.shifts import shift_for_desk_money


def register_payment(
    order: Order, *, amount: Decimal, method: str, actor, reference: str = "", tendered: Decimal | None = None
) -> Payment:
    """Record money received for an order; it becomes paid when nothing is due any more.
    `tendered` is the cash handed over, when counted. Raises InvalidInput, OrderRemoved,
    PaymentExceedsDue (more than is due), CashShort (less cash than the amount)."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    if amount is None or amount <= 0 or to_money(amount) != amount:
        raise InvalidInput("A payment is more than zero, with at most two decimals.", field="amount")
    if method not in PAYMENT_METHODS_LATER:
        raise InvalidInput(f"Paid how? One of {', '.join(PAYMENT_METHODS_LATER)}.", field="method")
    reference = inputs.single_line(reference, field="reference", label="The reference", max_length=100, required=False)
    if tendered is not None and method != PaymentMethod.CASH:
        raise InvalidInput("Cash tendered is for a cash payment.", field="cash_tendered")
    change = cash_change(amount, tendered, currency=order.event.currency)
    with transaction.atomic():
        order = lock_order(order)
        if order.status == Order.Status.REMOVED:
            raise OrderRemoved(f"Order {order.code} was removed; nothing is due on it.")
        before = balance_of(order)
        if amount > before.due:
            raise PaymentExceedsDue(
                f"{before.due} {order.event.currency} is due on order {order.code}; {amount} is more than that.",
                due=str(before.due),
            )
        payment = Payment.objects.create(
            order=order, method=method, amount=amount, reference=reference, tendered=tendered, created_by=actor,
            shift=shift_for_desk_money(actor, method),
        )
        after = balance_of(order)
        status_before = order.status
        if after.due == 0 and order.status == Order.Status.PENDING:
            Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
            order.status = Order.Status.PAID
        audit.record(
            actor, "order.payment", organizer=order.organizer, order=order, target=order.code,
            before={"status": status_before, "due": str(before.due)},
            after={"status": order.status, "due": str(after.due), "amount": str(amount), "method": method,
                   "reference": reference, "payment": payment.pk,
                   **({"cash_tendered": str(tendered), "change": str(change)} if tendered is not None else {})},
        )  # fmt: skip
    return payment
