"""Ticket operations on an order (§3.7): set states by hand, or reissue."""

from django.db import transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, InvalidTransition, OrderRemoved, TicketNotInOrder, TicketVoid
from boxoffice.core.models import Order, Ticket
from boxoffice.core.rules.codes import new_barcode
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.rules.tickets import MANUAL_TRANSITIONS, manual_transition_allowed, reissued_state
from boxoffice.core.services.locking import lock_order
from boxoffice.core.services.permissions import require

STATE_ACTIONS = tuple(MANUAL_TRANSITIONS)


def set_ticket_states(order: Order, *, barcodes: list[str], state: str, actor) -> list[Ticket]:
    """Set the selected tickets to unscanned, scanned in, scanned out or blacklisted.
    Raises TicketNotInOrder, TicketVoid, InvalidTransition; then nothing changes."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    if state not in MANUAL_TRANSITIONS:
        raise InvalidInput(f"Unknown ticket action {state!r}.")
    with transaction.atomic():
        order = lock_order(order)
        tickets = selected_live_tickets(order, barcodes)
        for ticket in tickets:
            if not manual_transition_allowed(ticket.state, state):
                raise InvalidTransition(
                    f"Ticket {ticket.barcode} is {ticket.get_state_display().lower()}; "
                    f"set it to Unscanned first to lift the blacklisting."
                )
        before = {t.barcode: t.state for t in tickets}
        now = timezone.now()
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(state=state, state_changed_at=now, last_scan_gate="")
        for ticket in tickets:
            ticket.state, ticket.state_changed_at = state, now
        audit.record(
            actor,
            f"tickets.{state}",
            organizer=order.organizer,
            order=order,
            target=", ".join(before),
            before=before,
            after={barcode: state for barcode in before},
        )
    return tickets


def reissue_tickets(order: Order, *, actor, barcodes: list[str] | None = None) -> list[Ticket]:
    """Void every live ticket of the order and add new ones (new barcodes, same type,
    timeslot, attendee and price), each taking over its predecessor's state (scanned in,
    where and when; scanned out; blacklisted; unscanned) and recording which ticket it
    replaces. They are not sent: the operator sends them.
    A selection, if given, must name live tickets of this order; the whole order is reissued
    either way. Raises OrderRemoved, TicketNotInOrder, TicketVoid."""
    require(actor, Permission.CHANGE_ORDERS, organizer_id=order.organizer_id)
    with transaction.atomic():
        order = lock_order(order)
        if order.status == Order.Status.REMOVED:
            raise OrderRemoved(f"Order {order.code} was removed; its tickets cannot be reissued.")
        if barcodes:
            selected_live_tickets(order, barcodes)
        old = list(Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID).order_by("pk"))
        if not old:
            raise InvalidInput(f"Order {order.code} has no valid tickets to reissue.")
        now = timezone.now()
        Ticket.objects.filter(pk__in=[t.pk for t in old]).update(
            state=Ticket.State.VOID, void_reason="reissued", state_changed_at=now
        )
        new = Ticket.objects.bulk_create(
            Ticket(
                order=order,
                event_id=t.event_id,
                timeslot_id=t.timeslot_id,
                ticket_type_id=t.ticket_type_id,
                attendee_name=t.attendee_name,
                price=t.price,
                vat_rate=t.vat_rate,
                barcode=new_barcode(),
                replaces=t,
                state=reissued_state(t.state),
                state_changed_at=t.state_changed_at,
                last_scan_gate=t.last_scan_gate,
            )
            for t in old
        )
        audit.record(
            actor,
            "tickets.reissued",
            organizer=order.organizer,
            order=order,
            target=order.code,
            before={t.barcode: t.state for t in old},
            after={"void": [t.barcode for t in old], "new": [t.barcode for t in new], "states": {t.barcode: t.state for t in new}},
        )
    return new


def selected_live_tickets(order: Order, barcodes: list[str]) -> list[Ticket]:
    wanted = list(dict.fromkeys(b.strip().upper() for b in barcodes if b.strip()))
    if not wanted:
        raise InvalidInput("Select at least one ticket.")
    tickets = list(Ticket.objects.filter(order=order, barcode__in=wanted).order_by("pk"))
    missing = set(wanted) - {t.barcode for t in tickets}
    if missing:
        raise TicketNotInOrder(
            f"Not a ticket of order {order.code}: {', '.join(sorted(missing))}.", barcodes=sorted(missing)
        )
    void = [t.barcode for t in tickets if t.state == Ticket.State.VOID]
    if void:
        raise TicketVoid(f"Void tickets cannot be changed: {', '.join(void)}.", barcodes=void)
    return tickets
