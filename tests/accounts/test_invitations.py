"""A new member is invited by email and sets their own password through a one-time link that
expires, is bound to their address, and dies with their membership."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from boxoffice.core.errors import InvitationInvalid
from boxoffice.core.models import AuditEntry, Invitation, Membership
from boxoffice.core.services import team

from .conftest import PASSWORD, link_in, queued_emails, sign_in, signed_in

User = get_user_model()
NEW_PASSWORD = "first-day-at-the-desk"


@pytest.fixture
def invited(organizer, admin):
    membership = team.invite_member(organizer, email="new.desk@museum.test", role="operator", actor=admin,
                                    link_base="http://testserver/")  # fmt: skip
    (email,) = queued_emails(to="new.desk@museum.test")
    return membership, link_in(email, "/invitation/")


def _accept(client: Client, link: str, password: str = NEW_PASSWORD, **extra):
    return client.post(link, {"new_password1": password, "new_password2": password, **extra})


def test_the_invitation_email_has_a_link_to_choose_a_password(invited):
    membership, link = invited
    (email,) = queued_emails()
    assert email.to == ["new.desk@museum.test"]
    assert "City Museum" in email.subject and "admin@museum.test invited you" in email.body
    assert not membership.user.has_usable_password()
    assert Client().get(link).status_code == 200


def test_accepting_sets_the_password_signs_in_and_joins(client, invited):
    membership, link = invited
    response = _accept(client, link)
    assert response.status_code == 302 and response["Location"] == "/o/museum/"
    assert signed_in(client) and client.get("/o/museum/").status_code == 200
    membership.refresh_from_db()
    assert membership.joined_at is not None and membership.user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="member.joined")
    assert (entry.actor_label, entry.target) == ("new.desk@museum.test", "new.desk@museum.test")
    assert sign_in(Client(), "New.Desk@museum.test", NEW_PASSWORD).status_code == 302


def test_the_link_works_once(client, invited):
    membership, link = invited
    _accept(client, link)
    second = _accept(Client(), link, "someone-elses-choice")
    assert second.status_code == 404 and b"no longer works" in second.content
    membership.user.refresh_from_db()
    assert membership.user.check_password(NEW_PASSWORD)


def test_the_link_expires(invited):
    membership, link = invited
    Invitation.objects.filter(membership=membership).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _accept(Client(), link).status_code == 404
    membership.user.refresh_from_db()
    assert not membership.user.has_usable_password()


def test_a_member_removed_before_accepting_cannot_accept(invited, admin):
    membership, link = invited
    team.remove_member(membership, actor=admin)
    assert _accept(Client(), link).status_code == 404
    assert not User.objects.get(username="new.desk@museum.test").has_usable_password()


def test_resending_makes_earlier_links_stop_working(invited, admin):
    membership, old_link = invited
    team.resend_invitation(membership, actor=admin, link_base="http://testserver/")
    new_link = link_in(queued_emails(to="new.desk@museum.test")[-1], "/invitation/")
    assert new_link != old_link
    assert _accept(Client(), old_link).status_code == 404
    assert _accept(Client(), new_link).status_code == 302


def test_the_link_cannot_be_used_for_another_email(invited, operator):
    membership, link = invited
    operator_hash = operator.user.password
    _accept(Client(), link, username=operator.label, email=operator.label)
    operator.user.refresh_from_db()
    assert operator.user.password == operator_hash  # only the invited address gets the password
    membership.user.refresh_from_db()
    assert membership.user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + "xx", lambda t: t.replace(":", ":1", 1), lambda t: "garbage"])
def test_a_tampered_link_is_refused(invited, tamper):
    membership, link = invited
    token = link.removeprefix("/invitation/").rstrip("/")
    assert _accept(Client(), f"/invitation/{tamper(token)}/").status_code == 404
    with pytest.raises(InvitationInvalid):
        team.find_invitation(tamper(token))


def test_another_invitations_token_points_at_its_own_member_only(invited, admin, organizer):
    other = team.invite_member(organizer, email="second@museum.test", role="viewer", actor=admin, link_base="http://x/")
    other_link = link_in(queued_emails(to="second@museum.test")[0], "/invitation/")
    _accept(Client(), other_link)
    assert User.objects.get(username="second@museum.test").check_password(NEW_PASSWORD)
    assert not User.objects.get(username="new.desk@museum.test").has_usable_password()
    assert Membership.objects.get(pk=other.pk).joined_at is not None


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "new.desk@museum.test"])
def test_the_invitation_refuses_a_weak_password(client, invited, password):
    membership, link = invited
    response = _accept(client, link, password)
    assert response.status_code == 422
    membership.user.refresh_from_db()
    assert not membership.user.has_usable_password() and not signed_in(client)


def test_an_existing_user_joins_when_they_first_open_the_organizer(client, admin, theatre):
    theatre_org, theatre_admin = theatre
    membership = team.invite_member(theatre_org, email=admin.label, role="viewer", actor=theatre_admin, link_base="x")
    assert membership.joined_at is None
    team.set_member(admin.organizer, email=admin.label, role="admin", password=PASSWORD)
    sign_in(client, admin.label)
    assert client.get("/o/theatre/").status_code == 200
    membership.refresh_from_db()
    assert membership.joined_at is not None
    assert AuditEntry.objects.filter(action="member.joined", organizer=theatre_org).count() == 1
