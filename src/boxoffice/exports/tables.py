"""What each export holds: its columns and its rows, read in chunks from the database so
that memory stays flat however many orders there are."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from boxoffice.core.models import Order, Organizer, Payment, Refund, Scan, Ticket
from boxoffice.core.rules.money import order_balance
from boxoffice.core.selectors.orders import OrderFilters, search_orders

CHUNK = 2000


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Iterator[tuple]
    count: int


def table(organizer: Organizer, kind: str, filters: OrderFilters) -> Table:
    """The export `kind` (one of KINDS) of the orders the filters find."""
    orders = search_orders(organizer, filters).matching.order_by().values("pk")
    return KINDS[kind](organizer, orders)


def _local(organizer: Organizer):
    tz = ZoneInfo(organizer.timezone)
    return lambda moment: moment.astimezone(tz).replace(tzinfo=None) if moment else None


def _summed(model):
    money = DecimalField(max_digits=12, decimal_places=2)
    rows = model.objects.filter(order=OuterRef("pk")).values("order").annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(rows, output_field=money), Value(Decimal("0.00"), output_field=money))


def _orders(organizer: Organizer, orders: QuerySet) -> Table:
    local = _local(organizer)
    rows = (
        Order.objects.filter(pk__in=orders)
        .annotate(
            live=Count("tickets", filter=~Q(tickets__state=Ticket.State.VOID)),
            paid_sum=_summed(Payment), refunded_sum=_summed(Refund),
        )  # fmt: skip
        .order_by("pk")
        .values_list("code", "created_at", "status", "event__name", "buyer__name", "buyer__email", "buyer__phone",
                     "channel", "payment_method", "live", "total", "paid_sum", "refunded_sum")  # fmt: skip
    )

    def generate():
        for code, created, status, event, name, email, phone, channel, method, live, total, paid, refunded in rows.iterator(CHUNK):
            money = order_balance(total=total, removed=status == Order.Status.REMOVED,
                                  payments=[Decimal(paid)], refunds=[Decimal(refunded)])  # fmt: skip
            yield (code, local(created), status, event, name, email, phone, channel, method, live, money.total,
                   money.paid, money.refunded, money.due, money.to_refund)  # fmt: skip

    columns = ("order", "sold at", "status", "event", "buyer", "email", "phone", "channel", "payment method",
               "valid tickets", "total", "paid", "refunded", "due", "to refund")  # fmt: skip
    return Table(columns, generate(), rows.count())


def _tickets(organizer: Organizer, orders: QuerySet) -> Table:
    local = _local(organizer)
    rows = (
        Ticket.objects.filter(order__in=orders)
        .order_by("pk")
        .values_list("barcode", "order__code", "event__name", "timeslot__start", "timeslot__end", "ticket_type__name",
                     "price", "vat_rate", "state", "void_reason", "attendee_name")  # fmt: skip
    )

    def generate():
        for barcode, code, event, start, end, type_name, price, vat, state, void, attendee in rows.iterator(CHUNK):
            yield (barcode, code, event, local(start), local(end), type_name, price, vat, state, void, attendee)

    columns = ("barcode", "order", "event", "time block start", "time block end", "ticket type", "price",
               "VAT %", "state", "void because", "attendee")  # fmt: skip
    return Table(columns, generate(), rows.count())


def _payments(organizer: Organizer, orders: QuerySet) -> Table:
    local = _local(organizer)
    rows = Payment.objects.filter(order__in=orders).order_by("pk").values_list(
        "order__code", "created_at", "method", "amount", "reference", "tendered", "created_by__user__email"
    )

    def generate():
        for code, at, method, amount, reference, tendered, by in rows.iterator(CHUNK):
            change = tendered - amount if tendered is not None else None
            yield (code, local(at), method, amount, reference, tendered, change, by or "")

    columns = ("order", "paid at", "method", "amount", "reference", "cash tendered", "change", "by")
    return Table(columns, generate(), rows.count())


def _refunds(organizer: Organizer, orders: QuerySet) -> Table:
    local = _local(organizer)
    rows = Refund.objects.filter(order__in=orders).order_by("pk").values_list(
        "order__code", "created_at", "method", "amount", "reason", "created_by__user__email"
    )

    def generate():
        for code, at, method, amount, reason, by in rows.iterator(CHUNK):
            yield (code, local(at), method, amount, reason, by or "")

    return Table(("order", "refunded at", "method", "amount", "reason", "by"), generate(), rows.count())


def _scans(organizer: Organizer, orders: QuerySet) -> Table:
    local = _local(organizer)
    rows = Scan.objects.filter(organizer=organizer, order__in=orders).order_by("pk").values_list(
        "at", "barcode", "order__code", "gate", "device__name", "direction", "verdict", "reason"
    )

    def generate():
        for at, barcode, code, gate, device, direction, verdict, reason in rows.iterator(CHUNK):
            yield (local(at), barcode, code, gate, device or "", direction, verdict, reason)

    columns = ("scanned at", "barcode", "order", "gate", "device", "direction", "verdict", "reason")
    return Table(columns, generate(), rows.count())


KINDS = {"orders": _orders, "tickets": _tickets, "payments": _payments, "refunds": _refunds, "scans": _scans}
