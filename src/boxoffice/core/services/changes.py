"""Changes to what an order holds, after the sale (§3.11): remove some of its tickets, or
change their type. Each change adds lines to the order's ledger (models/orders.py:OrderLine)
and sets the total to their sum; no money moves: the balance says what is due or to refund,
and Register payment / Record refund settle it."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, MaxPerOrderExceeded, OrderRemoved, TicketTypeWrongEvent
from boxoffice.core.models import LineKind, Order, OrderLine, Ticket, TicketType
from boxoffice.core.rules import inputs
from boxoffice.core.rules.money import order_total
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services import orders as order_services
from boxoffice.core.services.capacity import move_places, move_quota
from boxoffice.core.services.locking import lock_order
from boxoffice.core.services.permissions import require
from boxoffice.core.services.tickets import selected_live_tickets


@dataclass(frozen=True)
class Change:
    """What a change did: the order as it is now, the tickets it touched, the total before."""

    order: Order
    tickets: list[Ticket]
    total_before: object


def remove_tickets(order: Order, *, barcodes: list[str], reason: str, actor) -> Change:
    """Void the selected tickets (reason `removed`), release their places and quota and take
    their price off the total; no refund is made. Removing every live ticket is Remove purchase.
    Raises InvalidInput (no reason), TicketNotInOrder, TicketVoid, OrderRemoved."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    reason = order_services.required_reason(reason, "Say why the tickets are removed (e.g. “one of them cannot come”).")
    with transaction.atomic():
        order = _open_order(order)
        tickets = selected_live_tickets(order, barcodes)
        live = Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID).count()
        if len(tickets) == live:
            total_before = order.total
            removed = order_services.remove_order(order, actor=actor, reason=reason)
            return Change(removed, tickets, total_before)
        move_places({slot: -n for slot, n in Counter(t.timeslot_id for t in tickets).items()})
        move_quota({tt: -n for tt, n in Counter(t.ticket_type_id for t in tickets).items()})
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
            state=Ticket.State.VOID, void_reason="removed", state_changed_at=timezone.now()
        )
        _add_lines(order, tickets, kind=LineKind.REMOVED, sign=-1)
        total_before = _retotal(order)
        _record(actor, "tickets.removed", order, tickets, total_before, reason=reason)
    return Change(order, tickets, total_before)


def change_ticket_type(order: Order, *, barcodes: list[str], to_type: int, actor, reason: str = "") -> Change:
    """Move the selected tickets to another ticket type of the same event, at its price: same
    barcodes, time blocks and states. The quota and the per-order maximum are checked in the
    same transaction (the quota by a conditional UPDATE). The difference is balance due or to
    refund. Raises TicketTypeWrongEvent, MaxPerOrderExceeded, TicketTypeSoldOut,
    TicketNotInOrder, TicketVoid, OrderRemoved, InvalidInput."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    reason = inputs.multi_line(reason, field="reason", label="The reason", max_length=2000, required=False)
    with transaction.atomic():
        order = _open_order(order)
        target = _target_type(order, to_type)
        tickets = selected_live_tickets(order, barcodes)
        moving = [t for t in tickets if t.ticket_type_id != target.pk]
        if not moving:
            raise InvalidInput(f"The selected tickets are {target.name} already.", field="to_type")
        _check_max_per_order(order, target, len(moving))
        move_quota({target.pk: len(moving)} | {tt: -n for tt, n in Counter(t.ticket_type_id for t in moving).items()})
        _add_lines(order, moving, kind=LineKind.CHANGED_FROM, sign=-1)
        Ticket.objects.filter(pk__in=[t.pk for t in moving]).update(
            ticket_type=target, price=target.price, vat_rate=target.vat_rate
        )
        OrderLine.objects.create(
            order=order, ticket_type=target, description=target.name, quantity=len(moving),
            unit_price=target.price, vat_rate=target.vat_rate, kind=LineKind.CHANGED_TO,
        )  # fmt: skip
        total_before = _retotal(order)
        _record(actor, "tickets.type_changed", order, moving, total_before, reason=reason, to_type=target.name)
    for ticket in moving:
        ticket.ticket_type, ticket.price, ticket.vat_rate = target, target.price, target.vat_rate
    return Change(order, moving, total_before)


def _open_order(order: Order) -> Order:
    order = lock_order(order)
    if order.status == Order.Status.REMOVED:
        raise OrderRemoved(f"Order {order.code} was removed; its tickets cannot be changed.")
    return order


def _target_type(order: Order, to_type: int) -> TicketType:
    target = TicketType.objects.filter(pk=to_type, event_id=order.event_id).first()
    if target is None:
        raise TicketTypeWrongEvent(f"Ticket type {to_type} is not a type of {order.event.name}.", field="to_type")
    return target


def _check_max_per_order(order: Order, target: TicketType, adding: int) -> None:
    if target.max_per_order is None:
        return
    held = Ticket.objects.filter(order=order, ticket_type=target).exclude(state=Ticket.State.VOID).count()
    if held + adding > target.max_per_order:
        raise MaxPerOrderExceeded(
            f"{target.name}: at most {target.max_per_order} per order; this order would hold {held + adding}.",
            ticket_type=target.pk,
        )


def _add_lines(order: Order, tickets: list[Ticket], *, kind: str, sign: int) -> None:
    """One line per type and price of the tickets, with a signed quantity."""
    groups: dict[tuple, int] = defaultdict(int)
    for t in tickets:
        groups[(t.ticket_type_id, t.price, t.vat_rate)] += 1
    names = dict(TicketType.objects.filter(pk__in={key[0] for key in groups}).values_list("pk", "name"))
    OrderLine.objects.bulk_create(
        OrderLine(order=order, ticket_type_id=type_id, description=names[type_id], quantity=sign * n,
                  unit_price=price, vat_rate=vat, kind=kind)  # fmt: skip
        for (type_id, price, vat), n in groups.items()
    )


def _retotal(order: Order):
    """Set the order's total to the sum of its lines; return the total before."""
    before = order.total
    order.total = order_total([line.priced for line in order.lines.all()])
    Order.objects.filter(pk=order.pk).update(total=order.total, updated_at=timezone.now())
    if order.status == Order.Status.PENDING and balance_of(order).due == 0:
        Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
        order.status = Order.Status.PAID
    return before


def _record(actor, action: str, order: Order, tickets: list[Ticket], total_before, **details) -> None:
    balance = balance_of(order)
    audit.record(
        actor, action, organizer=order.organizer, order=order, target=", ".join(t.barcode for t in tickets),
        before={"total": str(total_before), "tickets": {t.barcode: t.ticket_type_id for t in tickets}},
        after={"total": str(order.total), "due": str(balance.due), "to_refund": str(balance.to_refund), **details},
    )  # fmt: skip
