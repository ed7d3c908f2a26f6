"""What was sold: an event's figures over a range of sale days, for the organizer's report
page, its chart and the API. Counted from the tickets themselves (a reissued ticket is its
predecessor's; a type change has moved its price), so a report always agrees with the
orders as they are now."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from boxoffice.core.errors import InvalidInput
from boxoffice.core.models import Event, PaymentMethod, Ticket, Timeslot
from boxoffice.core.models.orders import Channel
from boxoffice.core.rules.inputs import FIRST_YEAR, LAST_YEAR
from boxoffice.core.rules.money import PricedLine, to_money, vat_breakdown

ADMITTED = (Ticket.State.SCANNED_IN, Ticket.State.SCANNED_OUT)
MAX_DAYS = 366


@dataclass
class Figures:
    """Tickets sold (still valid), removed, and what the valid ones are worth, with the VAT."""

    sold: int = 0
    removed: int = 0
    revenue: Decimal = Decimal("0.00")
    vat: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class BlockFigures:
    timeslot: Timeslot
    sold: int
    admitted: int
    capacity: int


@dataclass(frozen=True)
class SalesReport:
    event: Event
    date_from: date
    date_to: date
    total: Figures
    per_day: list[tuple[date, Figures]]
    per_ticket_type: list[tuple[str, Figures]]
    per_channel: list[tuple[str, Figures]]
    per_method: list[tuple[str, Figures]]
    per_block: list[BlockFigures] = field(default_factory=list)


def sales_report(event: Event, *, date_from: date, date_to: date) -> SalesReport:
    """Tickets of orders sold between the two days (inclusive, in the event's time zone).
    Raises InvalidInput for days outside FIRST_YEAR..LAST_YEAR or a range of more than MAX_DAYS."""
    check_range(date_from, date_to)
    tz = ZoneInfo(event.timezone)
    start = datetime.combine(date_from, time.min, tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
    tickets = (
        Ticket.objects.filter(event=event, order__created_at__gte=start, order__created_at__lt=end)
        .exclude(void_reason="reissued")  # its successor stands for it
        .values_list("order__created_at", "ticket_type__name", "order__channel", "order__payment_method",
                     "state", "price", "vat_rate")  # fmt: skip
    )
    total, days = Figures(), defaultdict(Figures)
    types, channels, methods = defaultdict(Figures), defaultdict(Figures), defaultdict(Figures)
    priced: dict[int, list] = defaultdict(list)  # id(figures) -> lines, for the VAT once per group
    for created, type_name, channel, method, state, price, vat_rate in tickets.iterator(2000):
        day = created.astimezone(tz).date()
        for figures in (total, days[day], types[type_name], channels[channel], methods[method]):
            if state == Ticket.State.VOID:
                figures.removed += 1
            else:
                figures.sold += 1
                figures.revenue += price
                priced[id(figures)].append(PricedLine(1, price, vat_rate))
    for figures in (total, *days.values(), *types.values(), *channels.values(), *methods.values()):
        figures.revenue = to_money(figures.revenue)
        figures.vat = to_money(sum((vat for _, vat in vat_breakdown(priced[id(figures)]).values()), Decimal("0")))
    every_day = [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    return SalesReport(
        event=event, date_from=date_from, date_to=date_to, total=total,
        per_day=[(day, days.get(day, Figures())) for day in every_day],
        per_ticket_type=sorted(types.items()),
        per_channel=[(dict(Channel.choices).get(k, k), v) for k, v in sorted(channels.items())],
        per_method=[(dict(PaymentMethod.choices).get(k, k), v) for k, v in sorted(methods.items())],
        per_block=_blocks(event, start, end),
    )  # fmt: skip


def check_range(date_from: date, date_to: date) -> None:
    for day, name in ((date_from, "date_from"), (date_to, "date_to")):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidInput(f"Days are between {FIRST_YEAR} and {LAST_YEAR}; {day.year} is not.", field=name)
    if not 0 <= (date_to - date_from).days < MAX_DAYS:
        raise InvalidInput(f"Choose a range of 1 to {MAX_DAYS} days, the first day first.", field="date_to")


def _blocks(event: Event, start: datetime, end: datetime) -> list[BlockFigures]:
    """Time blocks that start in the range: valid tickets against those that came in."""
    live = ~Q(tickets__state=Ticket.State.VOID)
    rows = (
        Timeslot.objects.filter(event=event, start__gte=start, start__lt=end)
        .annotate(valid=Count("tickets", filter=live), came=Count("tickets", filter=Q(tickets__state__in=ADMITTED)))
        .order_by("start")
    )
    return [BlockFigures(slot, slot.valid, slot.came, slot.capacity) for slot in rows]


def chart_bars(per_day: list[tuple[date, Figures]], *, height: int = 120, width: int = 720) -> list[dict]:
    """Bars of revenue per day, scaled into a `width` × `height` box (the report's SVG chart,
    drawn on the server: no script, nothing loaded)."""
    top = max((f.revenue for _, f in per_day), default=Decimal("0")) or Decimal("1")
    step = width / max(len(per_day), 1)
    bars = []
    for n, (day, f) in enumerate(per_day):
        h = int(f.revenue / top * height)
        bars.append({"day": day, "revenue": f.revenue, "sold": f.sold, "x": round(n * step, 1),
                     "y": height - h, "w": round(max(step - 2, 1), 1), "h": h})  # fmt: skip
    return bars
