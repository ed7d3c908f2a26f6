"""What a tickets email says beyond the tickets: when the visit is, in words and in the
visitor's language and the event's time zone, and what changed since the tickets the buyer
got before (a visit moved, tickets reissued), read from the order's history."""

from zoneinfo import ZoneInfo

from django.utils import formats, translation

from boxoffice.core.models import AuditEntry, Message, Order, Timeslot


def when(start, end, tz_name: str, language: str) -> str:
    """ "Friday 11 December 2026, 14:00–15:00" / "vrijdag 11 december 2026, 14:00–15:00"."""
    tz = ZoneInfo(tz_name)
    start, end = start.astimezone(tz), end.astimezone(tz)
    with translation.override(language):
        day = formats.date_format(start, "l j F Y")
        if start.date() == end.date():
            return f"{day}, {start:%H:%M}–{end:%H:%M}"
        return f"{day} {start:%H:%M} – {formats.date_format(end, 'l j F Y')} {end:%H:%M}"


def timeslot_when(timeslot: Timeslot, language: str) -> str:
    return when(timeslot.start, timeslot.end, timeslot.event.timezone, language)


def changes_since_last_tickets(order: Order, message: Message, language: str) -> dict:
    """{"moved": [(from, to), ...], "reissued": bool} for what happened to the order after the
    last tickets email the buyer was sent (nothing if they were never sent any)."""
    earlier = (
        Message.objects.filter(order=order, kind=Message.Kind.TICKETS, status=Message.Status.SENT)
        .exclude(pk=message.pk).order_by("-sent_at").first()
    )  # fmt: skip
    if earlier is None:
        return {"moved": [], "reissued": False}
    entries = AuditEntry.objects.filter(
        order=order, action__in=["order.rescheduled", "tickets.reissued"], at__gt=earlier.sent_at
    ).order_by("at", "pk")
    moved, reissued = [], False
    for entry in entries:
        if entry.action == "tickets.reissued":
            reissued = True
            continue
        slots = Timeslot.objects.select_related("event").in_bulk({*(entry.before or {}).values(), entry.after["timeslot"]})
        target = slots.get(entry.after["timeslot"])
        for source_id in sorted(set((entry.before or {}).values())):
            if (source := slots.get(source_id)) and target:
                moved.append((timeslot_when(source, language), timeslot_when(target, language)))
    return {"moved": moved, "reissued": reissued}


def moves_named(moves: list[list[int]], language: str) -> list[tuple[str, str]]:
    """[[from id, to id], ...] as said in an email: a move made with its notice (a time block
    moved), told even to a buyer who never had tickets by email before."""
    slots = Timeslot.objects.select_related("event").in_bulk({pk for pair in moves for pk in pair})
    return [(timeslot_when(slots[a], language), timeslot_when(slots[b], language)) for a, b in moves if a in slots and b in slots]


def cancellation_context(order: Order, message: Message, language: str) -> dict:
    """What a cancellation notice says: which visits are off, how many tickets, why, and
    whether the order keeps other tickets."""
    slots = Timeslot.objects.select_related("event").filter(pk__in=message.context.get("timeslots", []))
    return {
        "cancelled": [timeslot_when(slot, language) for slot in slots.order_by("start")],
        "cancelled_tickets": message.context.get("tickets", 0),
        "reason": message.context.get("reason", ""),
        "still_valid": order.tickets.exclude(state="void").count() if order.status != Order.Status.REMOVED else 0,
    }
