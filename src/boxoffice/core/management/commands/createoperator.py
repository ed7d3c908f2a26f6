from boxoffice.core.management.commands._base import DomainCommand, get_organizer
from boxoffice.core.models import Role
from boxoffice.core.services.team import set_member


class Command(DomainCommand):
    help = (
        "Create or update an operator and their role in an organizer, for whoever runs the server "
        "(set-up scripts). The password must pass the password rules (10 characters or more, not common, "
        "not like the email). In the portal, admins invite members instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizer", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)

    def handle(self, *, organizer, email, password, role, **_):
        membership = set_member(get_organizer(organizer), email=email, role=role, password=password)
        self.stdout.write(f"{membership.label} is {role} of {organizer}")
