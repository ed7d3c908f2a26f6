"""Queueing emails to buyers. The row is written in the caller's transaction; the worker
sends it after commit, so a rollback never sends and a crash never loses one."""

from boxoffice.core.errors import NothingToSend, OrderRemoved
from boxoffice.core.models import Message, Order, Ticket

MessageKind = Message.Kind


def queue_message(order: Order, *, kind: str, actor) -> Message:
    """Raises OrderRemoved (tickets of a removed order) or NothingToSend (no live tickets)."""
    if kind == MessageKind.TICKETS:
        if order.status == Order.Status.REMOVED:
            raise OrderRemoved(f"Order {order.code} was removed; its tickets are void.")
        if not Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID).exists():
            raise NothingToSend(f"Order {order.code} has no valid tickets to send.")
    return Message.objects.create(
        organizer_id=order.organizer_id,
        order=order,
        kind=kind,
        to=order.buyer.email,
        language=order.buyer.language,
        created_by=actor,
    )
