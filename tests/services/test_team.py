"""Organizers, members, API tokens and scanner devices."""

import pytest

from boxoffice.core.models import ApiToken, AuditEntry, Device, Membership
from boxoffice.core.services import team


def _audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


# --- organizers ------------------------------------------------------------------------------

def test_create_organizer_with_timezone_and_currency(db):
    organizer = team.create_organizer(slug="zoo", name=" City Zoo ", timezone_name="Europe/London", currency="gbp")
    assert (organizer.name, organizer.timezone, organizer.currency) == ("City Zoo", "Europe/London", "GBP")
    entry = _audit("organizer.created")
    assert (entry.organizer, entry.actor_label) == (organizer, "system")


def test_organizer_slug_is_unique(organizer, refused):
    with refused("validation_error") as info:
        team.create_organizer(slug="museum", name="Another museum")
    assert info.value.details["field"] == "slug"


def test_organizer_with_an_unknown_timezone_is_refused(db, refused):
    with refused("validation_error"):
        team.create_organizer(slug="zoo", name="Zoo", timezone_name="Nowhere/Town")


# --- members ---------------------------------------------------------------------------------

def test_invite_member_adds_a_membership_with_the_role(organizer, admin):
    member = team.invite_member(organizer, email=" New@Museum.test ", role="operator", actor=admin, link_base="http://x/")
    assert (member.organizer, member.role, member.user.email, member.label, member.joined_at) == (
        organizer, "operator", "new@museum.test", "new@museum.test", None
    )
    assert not member.user.has_usable_password()  # they choose it through the invitation
    entry = _audit("member.invited")
    assert (entry.actor_label, entry.target, entry.before, entry.after) == (
        "admin@museum.test", "new@museum.test", None, {"role": "operator"}
    )


def test_inviting_a_member_twice_is_refused(organizer, admin, operator, refused):
    with refused("already_member"):
        team.invite_member(organizer, email="DESK@museum.test", role="admin", actor=admin, link_base="http://x/")
    operator.refresh_from_db()
    assert operator.role == "operator"


def test_change_role_updates_the_role(organizer, admin, operator):
    updated = team.change_role(operator, role="admin", actor=admin)
    operator.refresh_from_db()
    assert updated.pk == operator.pk and operator.role == "admin"
    assert Membership.objects.filter(organizer=organizer, user=operator.user).count() == 1
    entry = _audit("member.role_changed")
    assert (entry.before, entry.after) == ({"role": "operator"}, {"role": "admin"})


def test_one_user_can_have_a_different_role_in_another_organizer(organizer, operator, other_org):
    elsewhere = team.invite_member(
        other_org.organizer, email="desk@museum.test", role="viewer", actor=other_org.admin, link_base="http://x/"
    )
    operator.refresh_from_db()
    assert (elsewhere.user_id, elsewhere.role, operator.role) == (operator.user_id, "viewer", "operator")


def test_set_member_from_the_server_sets_the_password(organizer):
    member = team.set_member(organizer, email="pw@museum.test", role="viewer", password="s3cret-pass")
    assert member.user.check_password("s3cret-pass")
    assert member.joined_at is not None


@pytest.mark.parametrize("password", ["a", "password", "12345678", "1234567890", "pw@museum.test", "museum.test1"])
def test_set_member_refuses_a_weak_password(organizer, password, refused):
    with refused("validation_error"):
        team.set_member(organizer, email="pw@museum.test", role="viewer", password=password)
    assert not Membership.objects.filter(user__username="pw@museum.test").exists()


@pytest.mark.parametrize("email,role", [("x@museum.test", "owner"), ("not-an-email", "viewer"), ("a b@x.test", "viewer")])
def test_invite_member_needs_a_known_role_and_an_email(organizer, admin, email, role, refused):
    with refused("validation_error"):
        team.invite_member(organizer, email=email, role=role, actor=admin, link_base="http://x/")


@pytest.mark.parametrize("actor_fixture", ["operator", "viewer"])
def test_only_admins_manage_the_team(organizer, actor_fixture, request, refused):
    actor = request.getfixturevalue(actor_fixture)
    with refused("permission_denied"):
        team.change_role(actor, role="admin", actor=actor)
    with refused("permission_denied"):
        team.invite_member(organizer, email="mole@x.test", role="admin", actor=actor, link_base="http://x/")
    actor.refresh_from_db()
    assert actor.role == actor_fixture
    assert not Membership.objects.filter(user__username="mole@x.test").exists()


# --- API tokens ------------------------------------------------------------------------------

def test_api_token_authenticates_as_its_membership(operator, admin):
    token = team.create_api_token(operator, name="till 1", actor=admin)
    assert team.authenticate_api_token(token) == operator
    assert _audit("token.created").actor_label == "admin@museum.test"


def test_api_token_is_stored_only_as_a_digest(operator):
    token = team.create_api_token(operator)
    stored = ApiToken.objects.get(membership=operator)
    assert stored.digest != token and token not in stored.digest
    assert stored.digest == team.token_digest(token)
    assert token.startswith(stored.prefix)


def test_every_api_token_is_new(operator):
    assert team.create_api_token(operator) != team.create_api_token(operator)


def test_revoked_api_token_no_longer_authenticates(operator, admin):
    token = team.create_api_token(operator)
    team.revoke_api_token(ApiToken.objects.get(membership=operator), actor=admin)
    assert team.authenticate_api_token(token) is None
    assert _audit("token.revoked").actor_label == "admin@museum.test"


def test_api_token_of_a_deactivated_user_no_longer_authenticates(operator):
    token = team.create_api_token(operator)
    operator.user.is_active = False
    operator.user.save()
    assert team.authenticate_api_token(token) is None


@pytest.mark.parametrize("guess", ["", "bo_", "bo_wrong", "bod_wrong", "Bearer x"])
def test_unknown_api_token_authenticates_nobody(operator, guess):
    team.create_api_token(operator)
    assert team.authenticate_api_token(guess) is None


def test_operator_cannot_create_api_tokens(operator, viewer, refused):
    with refused("permission_denied"):
        team.create_api_token(viewer, actor=operator)


# --- scanner devices -------------------------------------------------------------------------

def test_device_token_authenticates_as_its_device(organizer, admin, event):
    device, token = team.create_device(organizer, name="Scanner 1", gate="Gate A", events=[event], actor=admin)
    found = team.authenticate_device_token(token)
    assert found == device
    assert (found.organizer, found.label, list(found.events.all())) == (organizer, "device Scanner 1 (Gate A)", [event])
    assert team.authenticate_api_token(token) is None  # a device token is no operator token
    entry = _audit("device.created")
    assert (entry.actor_label, entry.after) == ("admin@museum.test", {"gate": "Gate A", "events": [event.pk]})


def test_operator_token_is_no_device_token(operator):
    assert team.authenticate_device_token(team.create_api_token(operator)) is None


def test_revoked_device_no_longer_authenticates(organizer, admin):
    device, token = team.create_device(organizer, name="Scanner 1")
    team.revoke_device(device, actor=admin)
    assert team.authenticate_device_token(token) is None
    assert Device.objects.get(pk=device.pk).revoked_at is not None


def test_device_cannot_be_limited_to_another_organizers_event(organizer, admin, other_org, refused):
    with refused("validation_error"):
        team.create_device(organizer, name="Scanner 1", events=[other_org.event], actor=admin)
    assert not Device.objects.exists()


def test_device_needs_a_name(organizer, admin, refused):
    with refused("validation_error"):
        team.create_device(organizer, name=" ", actor=admin)


def test_operator_cannot_create_devices(organizer, operator, refused):
    with refused("permission_denied"):
        team.create_device(organizer, name="Scanner 1", actor=operator)
    assert not Device.objects.exists()
