"""Guessing passwords gets nowhere: failed sign-ins lock the account, and the address they
come from, for a while (django-axes, counted in the database)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from boxoffice.core.models import AuditEntry
from boxoffice.core.services import team

from .conftest import PASSWORD, sign_in, signed_in

GUESSES = 30


def _guess(email: str, times: int, *, address: str = "203.0.113.7") -> list[int]:
    return [sign_in(Client(), email, f"guess-{n}", REMOTE_ADDR=address).status_code for n in range(times)]


def test_thirty_wrong_passwords_lock_the_account_even_for_the_right_one(museum_admin):
    statuses = _guess(museum_admin.label, GUESSES)
    assert statuses[0] == 200 and statuses[-1] == 429
    client = Client()  # a fresh session, from the same address
    response = sign_in(client, museum_admin.label, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.content
    assert not signed_in(client)


def test_the_lock_holds_from_another_address_and_in_another_case(museum_admin):
    _guess(museum_admin.label, GUESSES)
    client = Client()
    assert sign_in(client, museum_admin.label.upper(), REMOTE_ADDR="198.51.100.9").status_code == 429
    assert not signed_in(client)


def test_a_different_account_is_not_locked(museum_admin, theatre):
    _guess(museum_admin.label, GUESSES)
    client = Client()
    assert sign_in(client, theatre[1].label, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert signed_in(client)


def test_an_address_guessing_many_accounts_is_locked(organizer, museum_admin):
    for n in range(10):
        team.set_member(organizer, email=f"member{n}@museum.test", role="viewer", password=PASSWORD)
        _guess(f"member{n}@museum.test", 5)  # never enough to lock one account
    client = Client()
    assert sign_in(client, museum_admin.label, REMOTE_ADDR="203.0.113.7").status_code == 429
    other_address = Client()
    assert sign_in(other_address, museum_admin.label, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_the_lock_ends_after_the_cool_off(museum_admin, settings):
    _guess(museum_admin.label, GUESSES)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=5))
    client = Client()
    assert sign_in(client, museum_admin.label, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_a_lock_is_in_the_audit_once(museum_admin, theatre):
    team.set_member(theatre[0], email=museum_admin.label, role="viewer")
    _guess(museum_admin.label, GUESSES)
    entries = AuditEntry.objects.filter(action="signin.locked")
    assert sorted(e.organizer.slug for e in entries) == ["museum", "theatre"]
    assert {(e.actor_label, e.target) for e in entries} == {("system", museum_admin.label)}


def test_a_successful_sign_in_forgets_earlier_failures(museum_admin):
    _guess(museum_admin.label, 8)
    assert sign_in(Client(), museum_admin.label, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert _guess(museum_admin.label, 8)[-1] == 200


@pytest.mark.parametrize("proxies,forwarded,expected", [
    (0, "198.51.100.1", "203.0.113.7"),
    (1, "10.0.0.1, 198.51.100.1", "198.51.100.1"),
    (2, "10.0.0.1, 198.51.100.1, 192.0.2.4", "198.51.100.1"),
    (1, "", "203.0.113.7"),
])  # fmt: skip
def test_the_client_address_trusts_only_the_configured_proxies(settings, rf, proxies, forwarded, expected):
    from boxoffice.accounts.throttling import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/login/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
