from django.core.management.base import CommandError

from boxoffice.core.management.commands._base import DomainCommand, get_organizer
from boxoffice.core.models import Event
from boxoffice.core.services.team import create_device


class Command(DomainCommand):
    help = "Print a new scanner device token for an organizer, optionally limited to events (ids)."

    def add_arguments(self, parser):
        parser.add_argument("--organizer", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--gate", default="")
        parser.add_argument("--event", action="append", type=int, default=[], help="event id; repeatable")

    def handle(self, *, organizer, name, gate, event, **_):
        org = get_organizer(organizer)
        events = list(Event.objects.filter(organizer=org, pk__in=event))
        if len(events) != len(set(event)):
            raise CommandError(f"Unknown event id among {event} for {organizer}.")
        _, token = create_device(org, name=name, gate=gate, events=events)
        self.stdout.write(token)
