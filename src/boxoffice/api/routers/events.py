from django.db import transaction
from ninja import Router, Status
from ninja.pagination import paginate

from boxoffice.api.auth import membership_for
from boxoffice.api.pagination import Pages
from boxoffice.api.schemas.events import (
    EventIn,
    EventOut,
    EventPatch,
    TicketTypeIn,
    TicketTypeOut,
    TimeslotIn,
    TimeslotOut,
    TimeslotPatch,
)
from boxoffice.core.models import Event, TicketType, Timeslot
from boxoffice.core.selectors.catalogue import get_event, get_timeslot
from boxoffice.core.services import setup

router = Router(tags=["events"])


@router.get("organizers/{org}/events", response=list[EventOut])
@paginate(Pages)
def list_events(request, org: str):
    membership = membership_for(request, org)
    return Event.objects.filter(organizer=membership.organizer).order_by("pk")


@router.post("organizers/{org}/events", response={201: EventOut})
def create_event(request, org: str, payload: EventIn):
    membership = membership_for(request, org)
    fields = payload.dict(exclude_none=True)
    return Status(201, setup.create_event(membership.organizer, actor=membership, **fields))


@router.get("organizers/{org}/events/{id:event}", response=EventOut)
def event_detail(request, org: str, event: int):
    return get_event(membership_for(request, org).organizer, event)


@router.patch("organizers/{org}/events/{id:event}", response=EventOut)
def update_event(request, org: str, event: int, payload: EventPatch):
    membership = membership_for(request, org)
    found = get_event(membership.organizer, event)
    return setup.update_event(found, actor=membership, **payload.dict(exclude_unset=True, exclude_none=True))


@router.get("organizers/{org}/events/{id:event}/timeslots", response=list[TimeslotOut])
@paginate(Pages)
def list_timeslots(request, org: str, event: int):
    found = get_event(membership_for(request, org).organizer, event)
    return Timeslot.objects.filter(event=found).select_related("event")


@router.post("organizers/{org}/events/{id:event}/timeslots", response={201: TimeslotOut})
def create_timeslot(request, org: str, event: int, payload: TimeslotIn):
    membership = membership_for(request, org)
    found = get_event(membership.organizer, event)
    return Status(201, setup.create_timeslot(found, actor=membership, **payload.dict()))


@router.get("organizers/{org}/events/{id:event}/timeslots/{id:timeslot}", response=TimeslotOut)
def timeslot_detail(request, org: str, event: int, timeslot: int):
    found = get_event(membership_for(request, org).organizer, event)
    return get_timeslot(found, timeslot)


@router.patch("organizers/{org}/events/{id:event}/timeslots/{id:timeslot}", response=TimeslotOut)
def update_timeslot(request, org: str, event: int, timeslot: int, payload: TimeslotPatch):
    membership = membership_for(request, org)
    found = get_timeslot(get_event(membership.organizer, event), timeslot)
    changes = payload.dict(exclude_unset=True)
    closed = changes.pop("closed", None)
    with transaction.atomic():
        if changes:
            found = setup.update_timeslot(found, actor=membership, **changes)
        if closed is not None:
            found = setup.set_timeslot_open(found, open_for_sale=not closed, actor=membership)
    return found


@router.delete("organizers/{org}/events/{id:event}/timeslots/{id:timeslot}", response={204: None})
def delete_timeslot(request, org: str, event: int, timeslot: int):
    """Only a time block without tickets (409 timeslot_has_tickets otherwise)."""
    membership = membership_for(request, org)
    found = get_timeslot(get_event(membership.organizer, event), timeslot)
    setup.delete_timeslot(found, actor=membership)
    return Status(204, None)


@router.get("organizers/{org}/events/{id:event}/ticket-types", response=list[TicketTypeOut])
@paginate(Pages)
def list_ticket_types(request, org: str, event: int):
    found = get_event(membership_for(request, org).organizer, event)
    return TicketType.objects.filter(event=found).order_by("pk")


@router.post("organizers/{org}/events/{id:event}/ticket-types", response={201: TicketTypeOut})
def create_ticket_type(request, org: str, event: int, payload: TicketTypeIn):
    membership = membership_for(request, org)
    found = get_event(membership.organizer, event)
    return Status(201, setup.create_ticket_type(found, actor=membership, **payload.dict()))
