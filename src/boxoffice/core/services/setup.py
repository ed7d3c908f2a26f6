"""Events, timeslots and ticket types, and the desk's printers (admins)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.db import transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import CapacityBelowSold, InvalidInput, TimeslotHasTickets
from boxoffice.core.models import Event, Organizer, ReceiptPaper, Ticket, TicketPaper, TicketType, Timeslot
from boxoffice.core.rules import inputs
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.formatting import block_label
from boxoffice.core.services.permissions import require
from boxoffice.core.services.sales import MAX_TICKETS_PER_ORDER

EVENT_FIELDS = (
    "name", "venue", "address", "timezone", "currency", "reentry_allowed", "admit_before_minutes", "admit_after_minutes",
)  # fmt: skip
MAX_SERIES_DAYS = 366
MAX_CAPACITY = MAX_QUOTA = 10_000_000


def _check_timezone(name: str) -> None:
    if name not in available_timezones():
        raise InvalidInput(f"Unknown timezone {name!r}.", field="timezone")


def _snapshot(obj, fields) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value) if isinstance(value, Decimal) else value


def set_desk_paper(organizer: Organizer, *, ticket_paper: str, receipt_paper: str, actor) -> Organizer:
    """What Print tickets and Print receipt print on at this organizer's desks (emails stay A4).
    Raises InvalidInput for a paper Boxoffice does not print on."""
    require(actor, Permission.SETUP, organizer_id=organizer.pk)
    if ticket_paper not in TicketPaper.values:
        raise InvalidInput(f"Tickets print on one of {', '.join(TicketPaper.values)}.", field="ticket_paper")
    if receipt_paper not in ReceiptPaper.values:
        raise InvalidInput(f"Receipts print on one of {', '.join(ReceiptPaper.values)}.", field="receipt_paper")
    with transaction.atomic():
        current = Organizer.objects.select_for_update().get(pk=organizer.pk)
        before = {"ticket_paper": current.ticket_paper, "receipt_paper": current.receipt_paper}
        after = {"ticket_paper": ticket_paper, "receipt_paper": receipt_paper}
        if before != after:
            Organizer.objects.filter(pk=organizer.pk).update(**after)
            audit.record(actor, "organizer.paper", organizer=organizer, target=organizer.slug, before=before, after=after)
    organizer.ticket_paper, organizer.receipt_paper = ticket_paper, receipt_paper
    return organizer


def create_event(organizer: Organizer, *, actor, **fields) -> Event:
    require(actor, Permission.SETUP, organizer_id=organizer.pk)
    fields.setdefault("timezone", organizer.timezone)
    fields.setdefault("currency", organizer.currency)
    fields = _checked_event_fields(fields)
    with transaction.atomic():
        event = Event.objects.create(organizer=organizer, **fields)
        audit.record(actor, "event.created", organizer=organizer, target=event.name, after=_snapshot(event, EVENT_FIELDS))
    return event


def update_event(event: Event, *, actor, **changes) -> Event:
    require(actor, Permission.SETUP, organizer_id=event.organizer_id)
    changes = _checked_event_fields(changes)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = _snapshot(event, changes)
        changes = {name: value for name, value in changes.items() if getattr(event, name) != value}
        if not changes:
            return event  # nothing to change, nothing to record
        for name, value in changes.items():
            setattr(event, name, value)
        event.save(update_fields=list(changes))
        audit.record(
            actor, "event.updated", organizer=event.organizer, target=event.name,
            before={name: before[name] for name in changes}, after=_snapshot(event, changes),
        )
    return event


def _checked_event_fields(fields: dict) -> dict:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown event fields: {', '.join(sorted(unknown))}.")
    checked = dict(fields)
    if "name" in fields:
        checked["name"] = inputs.single_line(fields["name"], field="name", label="An event's name")
    if "venue" in fields:
        checked["venue"] = inputs.single_line(fields["venue"], field="venue", label="The venue", required=False)
    if "address" in fields:
        checked["address"] = inputs.multi_line(fields["address"], field="address", label="The address", max_length=500,
                                               required=False)  # fmt: skip
    if "timezone" in fields:
        _check_timezone(fields["timezone"])
    if "currency" in fields:
        checked["currency"] = inputs.currency_code(fields["currency"])
    return checked


def create_timeslot(event: Event, *, start, end, capacity: int, actor) -> Timeslot:
    require(actor, Permission.SETUP, organizer_id=event.organizer_id)
    _check_timeslot(start, end, capacity)
    with transaction.atomic():
        timeslot = Timeslot.objects.create(event=event, start=start, end=end, capacity=capacity)
        audit.record(
            actor, "timeslot.created", organizer=event.organizer, target=str(timeslot.pk),
            after=_snapshot(timeslot, ("start", "end", "capacity")),
        )
    return timeslot


@dataclass(frozen=True)
class DailySeries:
    first_day: date
    last_day: date
    start_time: time
    end_time: time
    capacity: int
    weekdays: frozenset[int] = frozenset(range(7))  # Monday is 0
    # Several blocks a day: one starting every `every_minutes` from start_time up to and
    # including last_start, each as long as start_time–end_time. None: one block a day.
    last_start: time | None = None
    every_minutes: int = 60

    def starts(self) -> list[time]:
        if self.last_start is None:
            return [self.start_time]
        if not 5 <= self.every_minutes <= 24 * 60:
            raise InvalidInput("Blocks start every 5 minutes at the least, once a day at the most.", field="every_minutes")
        if self.last_start < self.start_time:
            raise InvalidInput("The last block cannot start before the first.", field="last_start")
        first = self.start_time.hour * 60 + self.start_time.minute
        last = self.last_start.hour * 60 + self.last_start.minute
        return [time(minute // 60, minute % 60) for minute in range(first, last + 1, self.every_minutes)]

    def length(self) -> timedelta:
        return datetime.combine(date.min, self.end_time) - datetime.combine(date.min, self.start_time)


MAX_SERIES_BLOCKS = 5000
SHOWN_DUPLICATES = 3


def create_timeslot_series(event: Event, series: DailySeries, *, actor) -> list[Timeslot]:
    """Time blocks on each chosen day (one, or several a day), times in the event's timezone.
    A series that would repeat existing blocks (the same start and end) creates none and
    names them: submitting a series twice does not double it. Raises InvalidInput."""
    require(actor, Permission.SETUP, organizer_id=event.organizer_id)
    days = (series.last_day - series.first_day).days + 1
    if days < 1 or days > MAX_SERIES_DAYS:
        raise InvalidInput(f"A series runs from 1 to {MAX_SERIES_DAYS} days.")
    for day, field in ((series.first_day, "first_day"), (series.last_day, "last_day")):
        if not inputs.FIRST_YEAR <= day.year <= inputs.LAST_YEAR:
            raise InvalidInput(f"Dates are between {inputs.FIRST_YEAR} and {inputs.LAST_YEAR}.", field=field)
    tz = ZoneInfo(event.timezone)
    if series.length() <= timedelta(0):
        raise InvalidInput("A time block must end after it starts.", field="end_time")
    starts, slots = series.starts(), []
    for offset in range(days):
        day = series.first_day + timedelta(days=offset)
        if day.weekday() in series.weekdays:
            for at in starts:
                start = _local(day, at, tz)
                end = start + series.length()
                _check_timeslot(start, end, series.capacity)
                slots.append(Timeslot(event=event, start=start, end=end, capacity=series.capacity))
    if not slots:
        raise InvalidInput("No day of the range falls on the chosen weekdays.")
    if len(slots) > MAX_SERIES_BLOCKS:
        raise InvalidInput(f"That is {len(slots)} time blocks; at most {MAX_SERIES_BLOCKS} at once.")
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()  # one series at a time per event
        _refuse_duplicates(event, slots)
        created = Timeslot.objects.bulk_create(slots)
        audit.record(
            actor, "timeslot.series_created", organizer=event.organizer, target=event.name,
            after={"count": len(created), "first": created[0].start.isoformat(), "last": created[-1].start.isoformat()},
        )
    return created


def _refuse_duplicates(event: Event, slots: list[Timeslot]) -> None:
    wanted = {(slot.start, slot.end) for slot in slots}
    existing = Timeslot.objects.filter(event=event, start__gte=min(s for s, _ in wanted), start__lte=max(s for s, _ in wanted))
    repeated = sorted((slot.start, slot.end) for slot in existing if (slot.start, slot.end) in wanted)
    if repeated:
        names = ", ".join(block_label(start, end, event.timezone) for start, end in repeated[:SHOWN_DUPLICATES])
        more = f" and {len(repeated) - SHOWN_DUPLICATES} more" if len(repeated) > SHOWN_DUPLICATES else ""
        raise InvalidInput(
            f"{len(repeated)} of these time blocks exist already ({names}{more}); nothing was created. "
            "Choose other days or times.",
            duplicates=len(repeated),
        )


def _local(day: date, at: time, tz: ZoneInfo):
    return datetime.combine(day, at, tzinfo=tz)


def update_timeslot(timeslot: Timeslot, *, actor, start=None, end=None, capacity: int | None = None) -> Timeslot:
    """Change times or capacity. Capacity never goes below the places already sold
    (checked in the same UPDATE, so a concurrent sale cannot slip in). Raises CapacityBelowSold."""
    require(actor, Permission.SETUP, organizer_id=timeslot.event.organizer_id)
    with transaction.atomic():
        current = Timeslot.objects.select_for_update().get(pk=timeslot.pk)
        before = _snapshot(current, ("start", "end", "capacity"))
        new_start, new_end = start or current.start, end or current.end
        new_capacity = current.capacity if capacity is None else capacity
        _check_timeslot(new_start, new_end, new_capacity)
        if (new_start, new_end, new_capacity) == (current.start, current.end, current.capacity):
            return current  # nothing to change, nothing to record
        changed = Timeslot.objects.filter(pk=current.pk, sold__lte=new_capacity).update(
            start=new_start, end=new_end, capacity=new_capacity
        )
        if not changed:
            raise CapacityBelowSold(
                f"{current.sold} places are already sold; capacity cannot go below that.",
                sold=current.sold,
            )
        current.refresh_from_db()
        audit.record(
            actor, "timeslot.updated", organizer=current.event.organizer, target=str(current.pk),
            before=before, after=_snapshot(current, ("start", "end", "capacity")),
        )
    return current


def set_timeslot_open(timeslot: Timeslot, *, open_for_sale: bool, actor) -> Timeslot:
    """Close a time block for sale (its tickets stay valid, it leaves Sell tickets and no
    ticket can be moved into it), or open it again."""
    require(actor, Permission.SETUP, organizer_id=timeslot.event.organizer_id)
    with transaction.atomic():
        current = Timeslot.objects.select_for_update().get(pk=timeslot.pk)
        if current.closed != (not open_for_sale):
            current.closed_at = None if open_for_sale else timezone.now()
            current.save(update_fields=["closed_at"])
            audit.record(actor, "timeslot.opened" if open_for_sale else "timeslot.closed",
                         organizer=timeslot.event.organizer, target=str(current.pk))  # fmt: skip
    return current


def delete_timeslot(timeslot: Timeslot, *, actor) -> None:
    """Delete a time block no ticket was ever sold for (one made by mistake, or with an
    impossible date). Raises TimeslotHasTickets: a block with tickets, even void ones, stays,
    so that every ticket keeps its time."""
    require(actor, Permission.SETUP, organizer_id=timeslot.event.organizer_id)
    with transaction.atomic():
        current = Timeslot.objects.select_for_update().filter(pk=timeslot.pk).first()
        if current is None:
            return
        if Ticket.objects.filter(timeslot=current).exists():
            raise TimeslotHasTickets("This time block has tickets, so it stays; change its capacity instead.")
        before = _snapshot(current, ("start", "end", "capacity"))
        current.delete()
        audit.record(actor, "timeslot.deleted", organizer=timeslot.event.organizer, target=str(timeslot.pk), before=before)


def _check_timeslot(start, end, capacity) -> None:
    inputs.moment(start, field="start", label="The start")
    inputs.moment(end, field="end", label="The end")
    if end <= start:
        raise InvalidInput("A timeslot must end after it starts.", field="end")
    if capacity is None or not 0 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(f"Capacity is from 0 to {MAX_CAPACITY}.", field="capacity")


def create_ticket_type(
    event: Event, *, name: str, price: Decimal, vat_rate: Decimal, actor,
    quota: int | None = None, max_per_order: int | None = None,
) -> TicketType:
    require(actor, Permission.SETUP, organizer_id=event.organizer_id)
    name = _checked_ticket_type_fields(
        {"name": name, "price": price, "vat_rate": vat_rate, "quota": quota, "max_per_order": max_per_order}
    )["name"]
    with transaction.atomic():
        ticket_type = TicketType.objects.create(
            event=event, name=name, price=price, vat_rate=vat_rate, quota=quota, max_per_order=max_per_order
        )
        audit.record(
            actor, "ticket_type.created", organizer=event.organizer, target=ticket_type.name,
            after={"price": str(price), "vat_rate": str(vat_rate), "quota": quota, "max_per_order": max_per_order},
        )
    return ticket_type


TICKET_TYPE_FIELDS = ("name", "price", "vat_rate", "quota", "max_per_order", "active")


def update_ticket_type(ticket_type: TicketType, *, actor, **changes) -> TicketType:
    """Change a ticket type's name, price, VAT rate, quota, per-order maximum, or take it off
    sale (`active=False`; sold tickets stay valid). A quota never goes below the tickets of
    that type already sold (checked in the same UPDATE). Raises InvalidInput, CapacityBelowSold."""
    require(actor, Permission.SETUP, organizer_id=ticket_type.event.organizer_id)
    unknown = set(changes) - set(TICKET_TYPE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown ticket type fields: {', '.join(sorted(unknown))}.")
    changes = _checked_ticket_type_fields(changes)
    with transaction.atomic():
        current = TicketType.objects.select_for_update().get(pk=ticket_type.pk)
        changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
        if not changes:
            return current  # nothing to change, nothing to record
        before = _snapshot(current, changes)
        guard = {"sold__lte": changes["quota"]} if changes.get("quota") is not None else {}
        if not TicketType.objects.filter(pk=current.pk, **guard).update(**changes):
            raise CapacityBelowSold(
                f"{current.sold} {current.name} tickets are already sold; the quota cannot go below that.",
                sold=current.sold,
            )
        current.refresh_from_db()
        audit.record(
            actor, "ticket_type.updated", organizer=current.event.organizer, target=current.name,
            before=before, after=_snapshot(current, changes),
        )
    return current


def _checked_ticket_type_fields(fields: dict) -> dict:
    checked = dict(fields)
    if "name" in fields:
        checked["name"] = inputs.single_line(fields["name"], field="name", label="A ticket type's name")
    price = fields.get("price")
    if price is not None and (price < 0 or price.as_tuple().exponent < -2):
        raise InvalidInput("A price is zero or more, with at most two decimals.", field="price")
    vat_rate = fields.get("vat_rate")
    if vat_rate is not None and not (Decimal(0) <= vat_rate <= Decimal(100)):
        raise InvalidInput("A VAT rate is a percentage from 0 to 100.", field="vat_rate")
    for field in ("price", "vat_rate", "active"):
        if field in fields and fields[field] is None:
            raise InvalidInput(f"{field} cannot be empty.", field=field)
    for field, most in (("quota", MAX_QUOTA), ("max_per_order", MAX_TICKETS_PER_ORDER)):
        value = fields.get(field)
        if value is not None and not 1 <= value <= most:
            raise InvalidInput(f"{field} is from 1 to {most} when given.", field=field)
    return checked


def set_desk_shifts(organizer: Organizer, *, on: bool, actor) -> Organizer:
    """Whether this organizer's desk works in shifts (cash and card money only in an open one)."""
    require(actor, Permission.SETUP, organizer_id=organizer.pk)
    with transaction.atomic():
        current = Organizer.objects.select_for_update().get(pk=organizer.pk)
        if current.desk_shifts != on:
            Organizer.objects.filter(pk=organizer.pk).update(desk_shifts=on)
            audit.record(actor, "organizer.desk_shifts", organizer=organizer, target=organizer.slug,
                         before={"desk_shifts": current.desk_shifts}, after={"desk_shifts": on})  # fmt: skip
    organizer.desk_shifts = on
    return organizer
