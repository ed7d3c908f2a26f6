from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictInt

from boxoffice.api.schemas.common import Id, Money, StrictId, in_timezone, money_in
from boxoffice.core.services.sales import MAX_TICKETS_PER_ORDER


# The papers the desk printers take (Setup → Printing); A4 is also what is emailed.
TicketPaperName = Literal["a4", "stock", "roll80"]
ExportKind = Literal["orders", "tickets", "payments", "refunds", "scans"]
ExportFormat = Literal["csv", "xlsx"]
ReceiptPaperName = Literal["a4", "roll80"]


class BuyerIn(Schema):
    email: str = Field(
        "", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+$",
        description="Empty for a walk-in at the desk: nothing is emailed (send_tickets and send_receipt "
        "are refused) and an invoice is refused",
    )  # fmt: skip
    name: str = Field("", max_length=200, description='Required with an email; a walk-in without one is "Walk-in"')
    phone: str = Field("", max_length=40)
    language: str = Field("en", min_length=2, max_length=8)


class LineIn(Schema):
    # Strict: JSON `true` is not a quantity of 1.
    ticket_type: StrictId
    timeslot: StrictId
    quantity: StrictInt = Field(ge=1, le=MAX_TICKETS_PER_ORDER)


class OrderIn(Schema):
    event: Id
    buyer: BuyerIn
    lines: list[LineIn] = Field(min_length=1, max_length=100)
    payment_method: Literal["cash", "card", "invoice", "free"]
    send_tickets: bool = False
    send_receipt: bool = False
    cash_tendered: Annotated[Decimal, money_in("Cash handed over, for cash only; at least the total")] | None = Field(
        None, ge=0, max_digits=12, decimal_places=2
    )


class OrderFiltersIn(Schema):
    search: str = Field("", max_length=200)
    event: Id | None = None
    timeslot: Id | None = None
    status: Literal["pending", "paid", "removed"] | None = None
    created_from: date | None = None
    created_to: date | None = None


class BuyerOut(Schema):
    id: int
    email: str
    name: str
    phone: str
    language: str


class CommentOut(Schema):
    id: int
    scope: str
    text: str
    show_at_gate: bool
    author: str = Field(alias="author_label")
    created_at: datetime


class TicketOut(Schema):
    barcode: str
    state: str
    void_reason: str
    ticket_type: int = Field(alias="ticket_type_id")
    ticket_type_name: str = Field(alias="ticket_type.name")
    timeslot: int = Field(alias="timeslot_id")
    timeslot_start: datetime
    timeslot_end: datetime
    attendee_name: str
    price: Money

    @staticmethod
    def resolve_timeslot_start(obj):
        return in_timezone(obj.timeslot.start, obj.timeslot.event.timezone)

    @staticmethod
    def resolve_timeslot_end(obj):
        return in_timezone(obj.timeslot.end, obj.timeslot.event.timezone)


class TicketScanOut(Schema):
    at: datetime
    gate: str
    device: str | None
    direction: str
    verdict: str
    reason: str
    message: str

    @staticmethod
    def resolve_at(obj):
        return in_timezone(obj.at, obj.ticket.timeslot.event.timezone)

    @staticmethod
    def resolve_device(obj):
        return obj.device.name if obj.device else None


class TicketDetailOut(TicketOut):
    order_code: str = Field(alias="order.code")
    state_changed_at: datetime | None
    last_scan_gate: str
    scans: list[TicketScanOut]

    @staticmethod
    def resolve_state_changed_at(obj):
        return in_timezone(obj.state_changed_at, obj.timeslot.event.timezone)

    @staticmethod
    def resolve_scans(obj):
        return list(obj.scans.all())


class MoneyMovementOut(Schema):
    id: int
    method: str
    amount: Money
    created_at: datetime


class PaymentOut(MoneyMovementOut):
    reference: str
    tendered: Money | None = Field(description="Cash handed over, where it was counted")
    change: Money | None = Field(description="Cash handed back: tendered minus amount")


class RefundOut(MoneyMovementOut):
    reason: str


class BalanceOut(Schema):
    total: Money = Field(description="What the order is worth now (0.00 once removed)")
    paid: Money
    refunded: Money
    due: Money = Field(description="Still to be paid by the buyer")
    to_refund: Money = Field(description="Paid and owed back to the buyer")


class MessageOut(Schema):
    id: int
    kind: str
    to: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class HistoryOut(Schema):
    """One entry of the order's timeline (selectors/timeline.py): an operator action
    (kind "audit"), an email delivery ("message") or a gate scan ("scan")."""

    at: datetime
    actor: str
    kind: Literal["audit", "message", "scan"]
    action: str
    details: dict[str, Any]


class LineOut(Schema):
    """A line of the order's ledger: the sale's lines, then each change (removed tickets and
    the old type of changed ones with a negative quantity); the total is their sum."""

    ticket_type: int = Field(alias="ticket_type_id")
    kind: Literal["sold", "removed", "changed_from", "changed_to"]
    description: str
    quantity: int
    unit_price: Money
    vat_rate: Money
    total: Money
    created_at: datetime


class OrderSummaryOut(Schema):
    code: str
    status: str
    event: int = Field(alias="event_id")
    event_name: str = Field(alias="event.name")
    total: Money
    buyer: BuyerOut
    payment_method: str
    channel: str
    created_at: datetime


class RefundDueOut(OrderSummaryOut):
    """An order with money to give back: paid, less refunded, less what it is still worth."""

    paid: Money = Field(alias="paid_sum")
    refunded: Money = Field(alias="refunded_sum")
    to_refund: Money


class OrderOut(OrderSummaryOut):
    lines: list[LineOut]
    paid: Money
    balance: BalanceOut
    buyer_comments: list[CommentOut]
    comments: list[CommentOut]
    tickets: list[TicketOut] = Field(
        alias="shown_tickets", description="The first 100 valid tickets, then the first 100 void ones; all of them: "
        "GET orders/{code}/tickets"
    )
    ticket_counts: dict[str, int] = Field(description="live, void, printable (not void or blacklisted)")
    payments: list[PaymentOut]
    refunds: list[RefundOut]
    messages: list[MessageOut]
    history: list[HistoryOut] = Field(
        alias="timeline", description="The last 100 entries of the timeline, oldest first (a change to more than "
        "100 tickets with its target only); all of them in full: GET orders/{code}/history"
    )
    history_count: int = Field(description="How many entries the whole timeline has")


class CommentIn(Schema):
    scope: Literal["buyer", "purchase"]
    text: str = Field(min_length=1, max_length=5000)
    show_at_gate: bool = Field(False, description="A door note: shown on the gate's screen when a ticket is scanned")


class RefundIn(Schema):
    amount: Annotated[Decimal, money_in("What was paid back, e.g. \"17.50\"")] = Field(gt=0, max_digits=12, decimal_places=2)
    method: str = Field(min_length=1, max_length=32)
    reason: str = Field(min_length=1, max_length=2000, description="Why the money is paid back")


class RemoveIn(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="Why the purchase is removed")


class BulkIn(Schema):
    action: Literal["unscanned", "scanned_in", "scanned_out", "blacklisted", "reissue", "remove", "change_type"]
    tickets: list[str] = Field(min_length=1, max_length=MAX_TICKETS_PER_ORDER)
    to_type: Id | None = Field(None, description="change_type: the ticket type of the same event to change to")
    reason: str = Field("", max_length=2000, description="remove: why (required); change_type: optional")


class BulkOut(Schema):
    action: str
    tickets: list[TicketOut]
    order: OrderOut


class RescheduleIn(Schema):
    to_timeslot: Id
    from_timeslot: Id | None = None
    send_tickets: bool = False


class SendIn(Schema):
    to: str | None = Field(None, max_length=254, description="Send this once to another address than the buyer's")


class BuyerPatch(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=254, description="Empty only for a walk-in, who has none yet")
    phone: str = Field("", max_length=40)
    language: Literal["en", "nl"] = "en"


class PaymentIn(Schema):
    amount: Annotated[Decimal, money_in("Received, e.g. \"17.50\"; at most what is due")] = Field(
        gt=0, max_digits=12, decimal_places=2
    )
    method: Literal["cash", "card", "transfer"]
    reference: str = Field("", max_length=100)
    tendered: Annotated[Decimal, money_in("Cash handed over, for cash only; at least the amount")] | None = Field(
        None, ge=0, max_digits=12, decimal_places=2
    )
