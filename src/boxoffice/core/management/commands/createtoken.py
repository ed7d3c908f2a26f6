from django.core.management.base import CommandError

from boxoffice.core.management.commands._base import DomainCommand, get_organizer
from boxoffice.core.models import Membership
from boxoffice.core.rules.contact import normalize_email
from boxoffice.core.services.team import create_api_token


class Command(DomainCommand):
    help = "Print a new API token for an operator of an organizer."

    def add_arguments(self, parser):
        parser.add_argument("--organizer", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")

    def handle(self, *, organizer, email, name, **_):
        membership = Membership.objects.filter(
            organizer=get_organizer(organizer), user__username=normalize_email(email)
        ).first()
        if membership is None:
            raise CommandError(f"{email} is not a member of {organizer}; run createoperator first.")
        self.stdout.write(create_api_token(membership, name=name))
