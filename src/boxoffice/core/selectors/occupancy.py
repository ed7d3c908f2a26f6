from django.db.models import Count, Q

from boxoffice.core.models import Event, Ticket, Timeslot


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
