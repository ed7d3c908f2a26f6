"""Set-up under concurrency, on PostgreSQL: one invitation link accepted once, one email
invited once, one series of time blocks made once, whatever arrives at the same moment."""

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


def test_one_series_submitted_three_times_at_once_is_made_once(event, admin):
    from datetime import date, time

    from boxoffice.core.models import Timeslot
    from boxoffice.core.services import setup

    series = setup.DailySeries(first_day=date(2027, 5, 3), last_day=date(2027, 5, 9), start_time=time(10), end_time=time(11),
                               capacity=30, last_start=time(16))  # fmt: skip
    outcomes = run_together([lambda: setup.create_timeslot_series(event, series, actor=admin) for _ in range(3)])
    assert len(successes(outcomes)) == 1 and error_codes(outcomes) == {"validation_error": 2}
    assert Timeslot.objects.filter(event=event).count() == 49
