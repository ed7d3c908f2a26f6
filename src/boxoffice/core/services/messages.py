"""Queueing emails to buyers and members. The row is written in the caller's transaction
together with the task that sends it, so a rollback never sends and a crash never loses one."""

from django.db import transaction

from boxoffice.core import audit
from boxoffice.core.background import deliver_later
from boxoffice.core.errors import InvalidTransition, NothingToSend, OrderRemoved
from boxoffice.core.models import Message, Order, Ticket
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require

MessageKind = Message.Kind


def queue_message(
    order: Order, *, kind: str, actor, request_key: str | None = None, to: str = "", context: dict | None = None
) -> Message:
    """Raises OrderRemoved (tickets of a removed order) or NothingToSend (no live tickets, or
    nowhere to send them). Called in the caller's transaction; `request_key` is for
    sent_for_request; `to` sends this once to another address than the buyer's."""
    if kind == MessageKind.TICKETS:
        _check_tickets_sendable(order)
    recipient = to or order.buyer.email
    if not recipient:
        raise NothingToSend(f"Order {order.code} has no email address to send to; give one.")
    message = Message.objects.create(
        organizer_id=order.organizer_id,
        order=order,
        kind=kind,
        to=recipient,
        language=order.buyer.language,
        created_by=actor,
        request_key=request_key,
        context=context or {},
    )
    deliver_later(message)
    return message


def sent_for_request(order: Order, request_key: str | None) -> Message | None:
    """The message a form (or wizard) already queued: submitted twice, it sends once."""
    if not request_key:
        return None
    return Message.objects.filter(order=order, request_key=request_key).first()


def queue_account_email(user, *, kind: str, link_base: str, organizer=None, invitation=None, actor=None) -> Message:
    """An email to a member (invitation, added to a team, password reset). The worker makes
    the one-time link when it sends, so the outbox holds no secret."""
    message = Message.objects.create(
        organizer=organizer,
        user=user,
        invitation=invitation,
        kind=kind,
        to=user.email,
        link_base=link_base,
        created_by=actor,
    )
    deliver_later(message)
    return message


def _check_tickets_sendable(order: Order) -> None:
    if order.status == Order.Status.REMOVED:
        raise OrderRemoved(f"Order {order.code} was removed; its tickets are void.")
    if not Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID).exists():
        raise NothingToSend(f"Order {order.code} has no valid tickets to send.")


def resend_message(message: Message, *, actor) -> Message:
    """Queue a failed message again, with a fresh set of attempts. Raises InvalidTransition
    unless it failed, OrderRemoved/NothingToSend for tickets that can no longer be sent."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=message.organizer_id)
    with transaction.atomic():
        message = Message.objects.select_for_update(of=("self",)).select_related("order__buyer").get(pk=message.pk)
        if message.status != Message.Status.FAILED:
            raise InvalidTransition(f"Only a failed message can be sent again; this one is {message.status}.")
        if message.kind == MessageKind.TICKETS:
            _check_tickets_sendable(message.order)
        before = {"status": message.status, "attempts": message.attempts, "last_error": message.last_error}
        message.status, message.attempts, message.next_attempt_at = Message.Status.QUEUED, 0, None
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        deliver_later(message)
        audit.record(
            actor, "message.resent", organizer=message.order.organizer, order=message.order,
            target=f"{message.kind} to {message.to}", before=before, after={"status": message.status},
        )
    return message
