from django.core.management.base import BaseCommand, CommandError

from boxoffice.core.errors import DomainError
from boxoffice.core.models import Organizer


class DomainCommand(BaseCommand):
    """A command whose DomainErrors print as a plain error line and exit non-zero."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc


def get_organizer(slug: str) -> Organizer:
    organizer = Organizer.objects.filter(slug=slug).first()
    if organizer is None:
        raise CommandError(f"No organizer with slug {slug!r}.")
    return organizer
