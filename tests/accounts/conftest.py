"""Fixtures for accounts: two organizers with their own admins (the museum's from the root
conftest, and a theatre's), a client that signs in through the sign-in page, and the account
emails the worker sends (Django's test mail outbox)."""

import re

import pytest
from django.test import Client

from boxoffice.core.models import Message
from boxoffice.core.models.messages import ACCOUNT_KINDS
from boxoffice.core.services import team
from boxoffice.delivery.compose import compose

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def theatre(db):
    """Organizer B, whose admin is the attacker in the takeover tests."""
    organizer = team.create_organizer(slug="theatre", name="Harbour Theatre")
    admin = team.set_member(organizer, email="boss@theatre.test", role="admin", password=PASSWORD)
    return organizer, admin


@pytest.fixture
def museum_admin(admin):
    """Organizer A's admin, with a password they chose."""
    team.set_member(admin.organizer, email=admin.label, role="admin", password=PASSWORD)
    admin.user.refresh_from_db()
    return admin


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def queued_emails(to: str | None = None) -> list:
    """The emails the worker would send now for the queued account messages, oldest first,
    composed as it composes them (the one-time links are made then)."""
    queued = Message.objects.filter(kind__in=ACCOUNT_KINDS, status=Message.Status.QUEUED).order_by("pk")
    if to:
        queued = queued.filter(to=to)
    return [compose(message).email for message in queued]


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in an email's text that starts with path_prefix."""
    found = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}[^\s]*)", message.body)
    assert found, f"no {path_prefix} link in: {message.body}"
    return found.group(1)
