"""What goes on a document, as plain data. Builders read the database (never write it);
renderers turn this data into PDF bytes and know nothing of models."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from boxoffice.core.errors import InvalidInput, TicketNotInOrder, TicketVoid
from boxoffice.core.models import Buyer, Order, Ticket
from boxoffice.core.rules.codes import normalize_barcode
from boxoffice.core.rules.money import PricedLine, order_balance


@dataclass(frozen=True)
class TicketDoc:
    barcode: str
    event: str
    venue: str
    start: datetime  # in the event's timezone
    end: datetime
    ticket_type: str
    price: Decimal
    currency: str
    holder: str
    order_code: str
    organizer: str
    address: str = ""  # where the venue is
    reentry_allowed: bool = False
    # Shown only where the event's time zone is not the organizer's own: a visitor to a local
    # museum needs no "Europe/Amsterdam" on their ticket.
    show_timezone: bool = False


@dataclass(frozen=True)
class ReceiptLine:
    description: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def priced(self) -> PricedLine:
        return PricedLine(self.quantity, self.unit_price, self.vat_rate)


@dataclass(frozen=True)
class MoneyRow:
    at: datetime
    method: str
    amount: Decimal
    note: str = ""
    tendered: Decimal | None = None  # cash handed over, where it was counted


@dataclass(frozen=True)
class ReceiptDoc:
    organizer: str
    organizer_address: str
    organizer_vat_number: str
    organizer_email: str
    order_code: str
    order_date: datetime
    status: str
    buyer_name: str
    buyer_email: str
    event: str
    currency: str
    lines: list[ReceiptLine]
    payments: list[MoneyRow]
    refunds: list[MoneyRow]
    due: Decimal = Decimal("0.00")  # still to be paid (rules/money.py: order_balance)
    to_refund: Decimal = Decimal("0.00")


def live_tickets(order: Order, barcodes: list[str] | None = None) -> list[Ticket]:
    """The order's valid tickets (live and not blacklisted: a blacklisted ticket would only be
    refused at the gate), or exactly the selected ones. Raises TicketNotInOrder for a barcode of
    another order and TicketVoid for a void one: a void ticket is never printed."""
    tickets = Ticket.objects.filter(order=order).select_related("ticket_type", "timeslot__event").order_by("pk")
    if not barcodes:
        return [t for t in tickets if t.state not in (Ticket.State.VOID, Ticket.State.BLACKLISTED)]
    wanted = [normalize_barcode(b) or b.strip() for b in barcodes if b.strip()]
    if not wanted:
        raise InvalidInput("Select at least one ticket.")
    found = {t.barcode: t for t in tickets.filter(barcode__in=wanted)}
    missing = sorted(set(wanted) - found.keys())
    if missing:
        raise TicketNotInOrder(f"Not a ticket of order {order.code}: {', '.join(missing)}.", barcodes=missing)
    void = [b for b in wanted if found[b].state == Ticket.State.VOID]
    if void:
        raise TicketVoid(f"Void tickets cannot be downloaded: {', '.join(void)}.", barcodes=void)
    return [found[b] for b in dict.fromkeys(wanted)]


def ticket_docs(order: Order, tickets: list[Ticket]) -> list[TicketDoc]:
    event, tz = order.event, ZoneInfo(order.event.timezone)
    return [
        TicketDoc(
            barcode=t.barcode,
            event=event.name,
            venue=event.venue,
            start=t.timeslot.start.astimezone(tz),
            end=t.timeslot.end.astimezone(tz),
            ticket_type=t.ticket_type.name,
            price=t.price,
            currency=event.currency,
            holder=t.attendee_name or ("" if order.buyer.walk_in and order.buyer.name == Buyer.WALK_IN_NAME else order.buyer.name),
            order_code=order.code,
            organizer=order.organizer.name,
            address=event.address,
            reentry_allowed=event.reentry_allowed,
            show_timezone=event.timezone != order.organizer.timezone,
        )
        for t in tickets
    ]


def receipt_doc(order: Order) -> ReceiptDoc:
    tz = ZoneInfo(order.event.timezone)
    payments, refunds = list(order.payments.all()), list(order.refunds.all())
    money = order_balance(
        total=order.total, removed=order.status == Order.Status.REMOVED,
        payments=[p.amount for p in payments], refunds=[r.amount for r in refunds],
    )  # fmt: skip
    return ReceiptDoc(
        organizer=order.organizer.name,
        organizer_address=order.organizer.address,
        organizer_vat_number=order.organizer.vat_number,
        organizer_email=order.organizer.email,
        order_code=order.code,
        order_date=order.created_at.astimezone(tz),
        status=order.get_status_display(),
        buyer_name=order.buyer.name,
        buyer_email=order.buyer.email,
        event=order.event.name,
        currency=order.event.currency,
        lines=[ReceiptLine(l.labelled_description, l.quantity, l.unit_price, l.vat_rate) for l in order.lines.all()],
        payments=[MoneyRow(p.created_at.astimezone(tz), p.get_method_display(), p.amount, p.reference, p.tendered)
                  for p in payments],
        refunds=[MoneyRow(r.created_at.astimezone(tz), r.method, r.amount, r.reason) for r in refunds],
        due=money.due,
        to_refund=money.to_refund,
    )
