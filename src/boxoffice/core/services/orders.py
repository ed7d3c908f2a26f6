"""Changes to an order as a whole: send, comment, remove, refund (§3.2, 3.3, 3.5, 3.6)."""

from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, OrderRemoved, RefundExceedsPaid
from boxoffice.core.models import Comment, Message, Order, Refund, Ticket
from boxoffice.core.rules import inputs
from boxoffice.core.rules.contact import is_deliverable_email
from boxoffice.core.rules.money import to_money
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import paid_balance
from boxoffice.core.services.capacity import move_places, move_quota
from boxoffice.core.services.locking import lock_order
from boxoffice.core.services.messages import queue_message, sent_for_request
from boxoffice.core.services.permissions import require
from boxoffice.core.services.shifts import shift_for_desk_money

MAX_COMMENT_LENGTH = 5000


def send_tickets(order: Order, *, actor, request_key: str | None = None, to: str = "") -> Message:
    """Queue an email with the order's valid tickets, to the buyer or, this once, to `to`
    ("I didn't get my tickets": another address). Raises OrderRemoved, NothingToSend,
    InvalidInput. With the `request_key` of a send already made (a form submitted twice),
    returns that message and queues none."""
    return _send(order, kind=Message.Kind.TICKETS, actor=actor, request_key=request_key, to=to)


def send_receipt(order: Order, *, actor, request_key: str | None = None, to: str = "") -> Message:
    """Queue an email with the payment receipt (to `to` and once per `request_key`, as send_tickets)."""
    return _send(order, kind=Message.Kind.RECEIPT, actor=actor, request_key=request_key, to=to)


def _send(order: Order, *, kind: str, actor, request_key: str | None, to: str) -> Message:
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    to = inputs.single_line(to, field="to", label="The address", max_length=254, required=False)
    if to and not is_deliverable_email(to):
        raise InvalidInput(f"{to} is not an email address we can send to.", field="to")
    with transaction.atomic():
        order = lock_order(order)  # one send at a time per order: a second with the key finds the first
        if earlier := sent_for_request(order, request_key):
            return earlier
        message = queue_message(order, kind=kind, actor=actor, request_key=request_key, to=to)
        audit.record(
            actor,
            f"order.send_{kind}",
            organizer=order.organizer,
            order=order,
            target=order.code,
            after={"message": message.pk, "to": message.to, **({"instead_of": order.buyer.email} if to else {})},
        )
    return message


def add_comment(order: Order, *, scope: str, text: str, actor, show_at_gate: bool = False) -> Comment:
    """A buyer comment shows on every purchase of the buyer; a purchase comment on this one.
    With show_at_gate it is also a door note, on the gate's screen at every scan."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    text = inputs.multi_line(text, field="text", label="A comment", max_length=MAX_COMMENT_LENGTH)
    if scope not in Comment.Scope.values:
        raise InvalidInput("Choose whether the comment is about the buyer or the purchase.")
    with transaction.atomic():
        comment = Comment.objects.create(
            organizer_id=order.organizer_id,
            scope=scope,
            buyer_id=order.buyer_id if scope == Comment.Scope.BUYER else None,
            order=order if scope == Comment.Scope.PURCHASE else None,
            text=text,
            show_at_gate=bool(show_at_gate),
            author=actor,
            author_label=audit.actor_label(actor),
        )
        audit.record(
            actor,
            f"comment.{scope}",
            organizer=order.organizer,
            order=order,
            target=order.code,
            after={"comment": comment.pk, "text": text, **({"show_at_gate": True} if show_at_gate else {})},
        )
    return comment


def remove_order(order: Order, *, actor, reason: str) -> Order:
    """Remove the purchase: every ticket void, places released. No refund is made.
    Raises InvalidInput without a reason, OrderRemoved if it already was."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    reason = required_reason(reason, "Say why the purchase is removed (e.g. “the buyer cannot come”).")
    with transaction.atomic():
        order = lock_order(order)
        if order.status == Order.Status.REMOVED:
            raise OrderRemoved(f"Order {order.code} was already removed.")
        live = list(Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID).order_by("pk"))
        move_places({slot: -n for slot, n in Counter(t.timeslot_id for t in live).items()})
        move_quota({tt: -n for tt, n in Counter(t.ticket_type_id for t in live).items()})
        Ticket.objects.filter(pk__in=[t.pk for t in live]).update(
            state=Ticket.State.VOID, void_reason="removed", state_changed_at=timezone.now()
        )
        before_status = order.status
        order.status = Order.Status.REMOVED
        order.save(update_fields=["status", "updated_at"])
        audit.record(
            actor,
            "order.removed",
            organizer=order.organizer,
            order=order,
            target=order.code,
            before={"status": before_status, "tickets": {t.barcode: t.state for t in live}},
            after={"status": order.status, "tickets_voided": len(live), "refund": None, "reason": reason},
        )
    return order


def record_refund(order: Order, *, amount: Decimal, method: str, reason: str, actor) -> Refund:
    """Record money paid back to the buyer (admins only). Raises RefundExceedsPaid when the
    amount is more than what was paid and not yet refunded."""
    require(actor, Permission.REFUND, organizer_id=order.organizer_id)
    if amount is None or amount <= 0:
        raise InvalidInput("A refund amount must be more than zero.")
    if to_money(amount) != amount:
        raise InvalidInput("A refund amount has at most two decimals.")
    if not (method or "").strip():
        raise InvalidInput("Say how the money was refunded (e.g. cash, card, bank transfer).", field="method")
    method = inputs.single_line(method, field="method", label="The refund method", max_length=32)
    reason = required_reason(reason, "Say why the money is paid back (e.g. “one ticket removed”).")
    with transaction.atomic():
        order = lock_order(order)
        refundable = paid_balance(order)
        if amount > refundable:
            raise RefundExceedsPaid(
                f"At most {refundable} {order.event.currency} can be refunded on order {order.code}; "
                f"{amount} requested.",
                refundable=str(refundable),
            )
        refund = Refund.objects.create(
            order=order, amount=amount, method=method, reason=reason, created_by=actor,
            shift=shift_for_desk_money(actor, method),
        )
        audit.record(
            actor,
            "order.refunded",
            organizer=order.organizer,
            order=order,
            target=order.code,
            before={"refundable": str(refundable)},
            after={"refund": refund.pk, "amount": str(amount), "method": refund.method, "reason": refund.reason},
        )
    return refund


def required_reason(reason: str, ask: str) -> str:
    """A reason for a change that moves money or admission, kept in the history."""
    text = inputs.multi_line(reason, field="reason", label="The reason", max_length=2000, required=False)
    if not text:
        raise InvalidInput(ask, field="reason")
    return text
