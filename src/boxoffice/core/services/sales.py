"""Selling at the desk or through the API (§3.9)."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from boxoffice.core import audit
from boxoffice.core.errors import (
    InvalidInput,
    MaxPerOrderExceeded,
    TicketTypeWrongEvent,
    TimeslotWrongEvent,
    WalkInHasNoEmail,
)
from boxoffice.core.models import Buyer, Event, Order, OrderLine, Payment, PaymentMethod, Ticket, TicketType, Timeslot
from boxoffice.core.models.orders import Channel, buyer_copies
from boxoffice.core.rules import inputs
from boxoffice.core.rules.codes import new_barcode, new_order_code
from boxoffice.core.rules.contact import is_deliverable_email, normalize_email, normalize_phone
from boxoffice.core.rules.money import PricedLine, cash_change, order_total
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.shifts import shift_for_desk_money
from boxoffice.core.services.capacity import move_places, move_quota
from boxoffice.core.services.messages import queue_message
from boxoffice.core.services.permissions import require

MAX_TICKETS_PER_ORDER = 1000
WALK_IN = Buyer.WALK_IN_NAME
# What a walk-in (no email) can pay with: an invoice needs an address to go to.
WALK_IN_METHODS = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.FREE)


@dataclass(frozen=True)
class BuyerDetails:
    """An empty email is a walk-in at the desk: nothing is emailed, the name may be left
    empty ("Walk-in"), and the tickets and receipt are printed."""

    email: str
    name: str
    phone: str = ""
    language: str = "en"

    @property
    def walk_in(self) -> bool:
        return not self.email.strip()


@dataclass(frozen=True)
class SaleLine:
    ticket_type_id: int
    timeslot_id: int
    quantity: int


@dataclass(frozen=True)
class Sale:
    event: Event
    buyer: BuyerDetails
    lines: list[SaleLine]
    payment_method: str
    send_tickets: bool = False
    send_receipt: bool = False
    channel: str = Order._meta.get_field("channel").default
    attendee_names: list[str] = field(default_factory=list)
    # The same key sells once: a second sale with it answers with the first one's order.
    key: str | None = None
    # Cash counted at the desk; the change is what it exceeds the total by.
    cash_tendered: Decimal | None = None


class _SoldAlready(Exception):
    def __init__(self, order: Order):
        self.order = order


def sell_order(sale: Sale, *, actor) -> Order:
    """Create a paid (or pending, for invoice) order with its tickets, taking capacity. A
    sale with the key of an earlier one (a wizard finished twice, at once or later) returns
    that order and changes nothing: the database's unique key decides, not a prior read.

    Raises PermissionDenied, InvalidInput, TimeslotWrongEvent, TicketTypeWrongEvent,
    MaxPerOrderExceeded, TimeslotFull, TicketTypeSoldOut, WalkInHasNoEmail (a walk-in asked
    for an email or an invoice), CashShort (less cash tendered than the total)."""
    require(actor, Permission.SELL, organizer_id=sale.event.organizer_id)
    if sale.key and (earlier := sold_with_key(sale.event.organizer_id, sale.key)):
        return earlier
    _check_lines(sale)
    try:
        return _sell(sale, actor)
    except _SoldAlready as sold:
        return sold.order


def sold_with_key(organizer_id: int, key: str) -> Order | None:
    return Order.objects.filter(organizer_id=organizer_id, sale_key=key).first()


def _sell(sale: Sale, actor) -> Order:
    with transaction.atomic():
        ticket_types, timeslots = _load_catalogue(sale)
        _check_max_per_order(sale, ticket_types)
        move_places(dict(_count(sale.lines, "timeslot_id")))
        move_quota(dict(_count(sale.lines, "ticket_type_id")))
        buyer = find_or_create_buyer(sale.event.organizer, sale.buyer)
        order = _create_order(sale, buyer, ticket_types, actor)
        payment = order.payments.first()
        tickets = _create_tickets(order, sale, ticket_types)
        queued = [
            queue_message(order, kind=kind, actor=actor).kind
            for kind, wanted in (("tickets", sale.send_tickets), ("receipt", sale.send_receipt))
            if wanted
        ]
        audit.record(
            actor,
            "order.sold",
            organizer=order.organizer,
            order=order,
            target=order.code,
            after={
                "status": order.status,
                "total": str(order.total),
                "payment_method": order.payment_method,
                "buyer": buyer.email or buyer.name,
                **({"cash_tendered": str(payment.tendered), "change": str(payment.change)}
                   if payment and payment.tendered is not None else {}),
                "tickets": [{"barcode": t.barcode, "timeslot": t.timeslot_id, "ticket_type": t.ticket_type_id} for t in tickets],
                "messages": queued,
            },
        )
    return order


def find_or_create_buyer(organizer, details: BuyerDetails) -> Buyer:
    """The organizer's buyer with this email, created if new. An existing buyer keeps their
    name; a phone number is filled in only where none was known. A walk-in is always a new
    buyer: without an email nothing says two walk-ins are one person."""
    if details.walk_in:
        return Buyer.objects.create(
            organizer=organizer, email="", email_normalized="", name=details.name.strip() or WALK_IN,
            phone=details.phone.strip(), phone_normalized=normalize_phone(details.phone), language=details.language or "en",
        )  # fmt: skip
    email = normalize_email(details.email)
    buyer, created = Buyer.objects.get_or_create(
        organizer=organizer,
        email_normalized=email,
        defaults={
            "email": details.email.strip(),
            "name": details.name.strip(),
            "phone": details.phone.strip(),
            "phone_normalized": normalize_phone(details.phone),
            "language": details.language or "en",
        },
    )
    if not created:
        # Locked until the sale commits: a rename of this buyer at the same moment
        # (services/buyers.py) either comes first and is read here, or waits and then renames
        # this order's copies too (Order.folded_buyer_name) — never an order under the old name.
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
    if not created and details.phone and not buyer.phone:
        buyer.phone = details.phone.strip()
        buyer.phone_normalized = normalize_phone(details.phone)
        buyer.save(update_fields=["phone", "phone_normalized"])
    return buyer


def _check_lines(sale: Sale) -> None:
    if not sale.lines:
        raise InvalidInput("Choose at least one ticket.")
    if any(line.quantity < 1 for line in sale.lines):
        raise InvalidInput("Quantities must be at least 1.")
    total = sum(line.quantity for line in sale.lines)
    if total > MAX_TICKETS_PER_ORDER:
        raise InvalidInput(f"At most {MAX_TICKETS_PER_ORDER} tickets per order; {total} requested.")
    if sale.payment_method not in PaymentMethod.values:
        raise InvalidInput(f"Unknown payment method {sale.payment_method!r}.")
    if sale.buyer.walk_in:
        _check_walk_in(sale)
    elif not is_deliverable_email(sale.buyer.email):
        shown = inputs.single_line(sale.buyer.email, field="email", label="The email", max_length=254)
        raise InvalidInput(f"{shown} is not an email address we can send tickets to.", field="email")
    elif not sale.buyer.name.strip():
        raise InvalidInput("A buyer name is required.", field="name")
    inputs.single_line(sale.buyer.name, field="name", label="The buyer's name", required=not sale.buyer.walk_in)
    if sale.cash_tendered is not None and sale.payment_method != PaymentMethod.CASH:
        raise InvalidInput("Cash tendered is for a cash payment.", field="cash_tendered")
    inputs.phone_number(sale.buyer.phone)
    for name in sale.attendee_names:
        inputs.single_line(name, field="attendee_name", label="An attendee's name", required=False)


def _check_walk_in(sale: Sale) -> None:
    if sale.send_tickets or sale.send_receipt:
        raise WalkInHasNoEmail("A walk-in has no email address to send to: print the tickets instead.", field="email")
    if sale.payment_method not in WALK_IN_METHODS:
        raise WalkInHasNoEmail("An invoice needs the buyer's email address; a walk-in pays by cash or card.", field="email")


def _load_catalogue(sale: Sale) -> tuple[dict[int, TicketType], dict[int, Timeslot]]:
    """Ticket types and timeslots of the lines, checked to belong to the sale's event. Ids of
    another organizer are reported exactly like ids that do not exist."""
    organizer_id = sale.event.organizer_id
    type_ids = {line.ticket_type_id for line in sale.lines}
    slot_ids = {line.timeslot_id for line in sale.lines}
    ticket_types = TicketType.objects.filter(pk__in=type_ids, event__organizer_id=organizer_id).in_bulk()
    timeslots = Timeslot.objects.filter(pk__in=slot_ids, event__organizer_id=organizer_id).in_bulk()
    for type_id in sorted(type_ids - ticket_types.keys()):
        raise InvalidInput(f"Ticket type {type_id} does not exist.", field="ticket_type")
    for slot_id in sorted(slot_ids - timeslots.keys()):
        raise InvalidInput(f"Timeslot {slot_id} does not exist.", field="timeslot")
    for ticket_type in ticket_types.values():
        if ticket_type.event_id != sale.event.pk:
            raise TicketTypeWrongEvent(f"Ticket type {ticket_type.name} belongs to another event.")
        if not ticket_type.active:
            raise InvalidInput(f"Ticket type {ticket_type.name} is no longer on sale.")
    for timeslot in timeslots.values():
        if timeslot.event_id != sale.event.pk:
            raise TimeslotWrongEvent(f"Timeslot {timeslot.pk} belongs to another event.")
    return ticket_types, timeslots


def _check_max_per_order(sale: Sale, ticket_types: dict[int, TicketType]) -> None:
    for type_id, quantity in _count(sale.lines, "ticket_type_id").items():
        limit = ticket_types[type_id].max_per_order
        if limit is not None and quantity > limit:
            raise MaxPerOrderExceeded(
                f"At most {limit} × {ticket_types[type_id].name} per order; {quantity} requested."
            )


def _count(lines: list[SaleLine], key: str) -> Counter:
    counts: Counter = Counter()
    for line in lines:
        counts[getattr(line, key)] += line.quantity
    return counts


def _unit_price(ticket_type: TicketType, payment_method: str) -> Decimal:
    # "Free" is a complimentary sale: the tickets are issued at zero.
    return Decimal("0.00") if payment_method == PaymentMethod.FREE else ticket_type.price


def _create_order(sale: Sale, buyer: Buyer, ticket_types: dict[int, TicketType], actor) -> Order:
    quantities = _count(sale.lines, "ticket_type_id")
    priced = {
        type_id: PricedLine(qty, _unit_price(ticket_types[type_id], sale.payment_method), ticket_types[type_id].vat_rate)
        for type_id, qty in quantities.items()
    }
    total = order_total(list(priced.values()))
    status = Order.Status.PENDING if sale.payment_method == PaymentMethod.INVOICE else Order.Status.PAID
    order = _insert_with_unique_code(
        sale_key=sale.key,
        organizer=sale.event.organizer,
        event=sale.event,
        buyer=buyer,
        **buyer_copies(buyer),
        status=status,
        channel=sale.channel,
        payment_method=sale.payment_method,
        total=total,
        created_by=actor,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            ticket_type_id=type_id,
            description=ticket_types[type_id].name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
        )
        for type_id, line in priced.items()
    )
    tendered = sale.cash_tendered if sale.payment_method == PaymentMethod.CASH else None
    cash_change(total, tendered, currency=sale.event.currency)  # priced now: the total is the service's own
    if status == Order.Status.PAID and total > 0:
        shift = shift_for_desk_money(actor, sale.payment_method) if sale.channel == Channel.BOX_OFFICE else None
        Payment.objects.create(order=order, method=sale.payment_method, amount=total, tendered=tendered,
                               created_by=actor, shift=shift)  # fmt: skip
    return order


def _insert_with_unique_code(**fields) -> Order:
    for _ in range(10):
        try:
            with transaction.atomic():
                return Order.objects.create(code=new_order_code(), **fields)
        except IntegrityError:
            # PostgreSQL made this insert wait for a concurrent one with the same sale key
            # and then refused it: that sale is committed, and it is the answer.
            if fields["sale_key"] and (earlier := sold_with_key(fields["organizer"].pk, fields["sale_key"])):
                raise _SoldAlready(earlier) from None
            continue  # 31^7 codes: a clash is rare, a second one in a row rarer still
    raise RuntimeError("Could not find a free order code")


def _create_tickets(order: Order, sale: Sale, ticket_types: dict[int, TicketType]) -> list[Ticket]:
    names = iter(sale.attendee_names)
    tickets = [
        Ticket(
            order=order,
            event_id=order.event_id,
            timeslot_id=line.timeslot_id,
            ticket_type_id=line.ticket_type_id,
            barcode=new_barcode(),
            attendee_name=next(names, ""),
            price=_unit_price(ticket_types[line.ticket_type_id], sale.payment_method),
            vat_rate=ticket_types[line.ticket_type_id].vat_rate,
        )
        for line in sale.lines
        for _ in range(line.quantity)
    ]
    return Ticket.objects.bulk_create(tickets)
