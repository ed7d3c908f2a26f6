from boxoffice.core.errors import NotFound
from boxoffice.core.models import Event, Organizer, TicketType, Timeslot


def get_event(organizer: Organizer, event_id: int) -> Event:
    event = Event.objects.filter(organizer=organizer, pk=event_id).first()
    if event is None:
        raise NotFound(f"No event {event_id}.")
    return event


def get_timeslot(event: Event, timeslot_id: int) -> Timeslot:
    timeslot = Timeslot.objects.select_related("event").filter(event=event, pk=timeslot_id).first()
    if timeslot is None:
        raise NotFound(f"No timeslot {timeslot_id} in {event.name}.")
    return timeslot


def get_organizer_timeslot(organizer: Organizer, timeslot_id: int) -> Timeslot:
    """A timeslot of any event of the organizer; another organizer's is NotFound."""
    timeslot = Timeslot.objects.select_related("event").filter(event__organizer=organizer, pk=timeslot_id).first()
    if timeslot is None:
        raise NotFound(f"No timeslot {timeslot_id}.")
    return timeslot


def get_ticket_type(event: Event, ticket_type_id: int) -> TicketType:
    ticket_type = TicketType.objects.filter(event=event, pk=ticket_type_id).first()
    if ticket_type is None:
        raise NotFound(f"No ticket type {ticket_type_id} in {event.name}.")
    return ticket_type
