from boxoffice.core.management.commands._base import DomainCommand
from boxoffice.core.services.team import create_organizer


class Command(DomainCommand):
    help = "Create an organizer (a tenant)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--timezone", default="Europe/Amsterdam")
        parser.add_argument("--currency", default="EUR")

    def handle(self, *, slug, name, timezone, currency, **_):
        organizer = create_organizer(slug=slug, name=name, timezone_name=timezone, currency=currency)
        self.stdout.write(f"Created organizer {organizer.slug} ({organizer.name})")
