"""Invitations under concurrency, on PostgreSQL: one link accepted once, one email invited
once, whatever arrives at the same moment."""

import pytest

from boxoffice.core.models import AuditEntry, Membership
from boxoffice.core.services import team

from test_capacity import error_codes, run_together, successes

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]


def test_one_invitation_link_is_accepted_once_when_sent_five_times_at_once(organizer, admin, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    membership = team.invite_member(organizer, email="new@museum.test", role="operator", actor=admin, link_base="x/")
    token = team.invitation_token(membership.invitation)
    outcomes = run_together([lambda n=n: team.accept_invitation(token, password=f"chosen-password-{n}") for n in range(5)])
    assert len(successes(outcomes)) == 1 and error_codes(outcomes) == {"invitation_invalid": 4}
    assert AuditEntry.objects.filter(action="member.joined").count() == 1
    membership.user.refresh_from_db()
    assert sum(membership.user.check_password(f"chosen-password-{n}") for n in range(5)) == 1


def test_two_admins_inviting_one_address_at_once_add_one_member(organizer, admin):
    second = team.set_member(organizer, email="second@museum.test", role="admin")
    outcomes = run_together([
        lambda actor=actor: team.invite_member(organizer, email="new@museum.test", role="viewer", actor=actor, link_base="x/")
        for actor in (admin, second, admin)
    ])  # fmt: skip
    assert len(successes(outcomes)) == 1 and error_codes(outcomes) == {"already_member": 2}
    assert Membership.objects.filter(user__username="new@museum.test").count() == 1
