from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from boxoffice.core.models import Comment, Event, Scan, Ticket, Timeslot


def occupancy(event: Event) -> list[dict]:
    """Per timeslot of the event: places sold and how many are inside now (scanned in and
    not out again), from one indexed aggregate."""
    inside = dict(
        Ticket.objects.filter(event=event, state=Ticket.State.SCANNED_IN)
        .values_list("timeslot_id")
        .annotate(n=Count("pk"))
    )
    slots = Timeslot.objects.filter(Q(event=event) & (Q(sold__gt=0) | Q(pk__in=list(inside)))).order_by("start", "pk")
    return [{"timeslot": slot, "sold": slot.sold, "inside": inside.get(slot.pk, 0)} for slot in slots]


def door_notes(ticket) -> list[str]:
    """What the operator marked "show at the gate" for this ticket's purchase or its buyer."""
    if ticket is None:
        return []
    notes = Comment.objects.filter(
        Q(order_id=ticket.order_id, scope=Comment.Scope.PURCHASE) | Q(buyer_id=ticket.order.buyer_id, scope=Comment.Scope.BUYER),
        show_at_gate=True,
    ).order_by("created_at", "pk")
    return list(notes.values_list("text", flat=True)[:5])


@dataclass(frozen=True)
class BlockCount:
    timeslot: Timeslot
    sold: int
    admitted: int  # came in at least once (and not undone)
    inside: int  # in now


@dataclass(frozen=True)
class GateCounts:
    blocks: list[BlockCount]
    per_gate: list[tuple[str, int]]  # (gate, admits in today less those undone)

    @property
    def inside(self) -> int:
        return sum(b.inside for b in self.blocks)

    @property
    def admitted(self) -> int:
        return sum(b.admitted for b in self.blocks)


def gate_counts(organizer, *, event_ids=frozenset(), now=None) -> GateCounts:
    """Today's time blocks (in the organizer's time zone) of the organizer's events, or of the
    events a device is limited to: sold, admitted so far and inside now, from the tickets'
    states (an undone admit counts no more); and the admits per gate today, from the scans."""
    tz = ZoneInfo(organizer.timezone)
    day = (now or timezone.now()).astimezone(tz).date()
    start, end = datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day, time.max, tzinfo=tz)
    slots = Timeslot.objects.filter(event__organizer=organizer, start__lte=end, end__gte=start).select_related("event")
    if event_ids:
        slots = slots.filter(event_id__in=event_ids)
    slots = list(slots.order_by("start", "pk"))
    states = Ticket.objects.filter(timeslot__in=slots).values("timeslot_id").annotate(
        admitted=Count("pk", filter=Q(state__in=["scanned_in", "scanned_out"])), inside=Count("pk", filter=Q(state="scanned_in"))
    )
    by_slot = {row["timeslot_id"]: row for row in states}
    blocks = [BlockCount(s, s.sold, by_slot.get(s.pk, {}).get("admitted", 0), by_slot.get(s.pk, {}).get("inside", 0))
              for s in slots]  # fmt: skip
    scans = Scan.objects.filter(organizer=organizer, at__gte=start, at__lte=end, direction="in")
    if event_ids:
        scans = scans.filter(ticket__event_id__in=event_ids)
    gates = scans.values("gate").annotate(
        n=Count("pk", filter=Q(verdict="admit")) - Count("pk", filter=Q(verdict="undone"))
    ).order_by("gate")
    return GateCounts(blocks, [(row["gate"] or "no gate name", row["n"]) for row in gates if row["n"]])
