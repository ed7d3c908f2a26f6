"""No admin touches another organizer's users: an admin adds a member by email and role, and
neither the answer nor anything stored tells or changes anything beyond their organizer."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from boxoffice.api.main import api
from boxoffice.core.models import AuditEntry, Membership, Message
from boxoffice.core.services import team

from .conftest import PASSWORD, queued_emails, sign_in, signed_in
from .test_two_factor import turn_on

User = get_user_model()


def _team_post(client: Client, org: str, **data):
    return client.post(f"/o/{org}/setup/team/", data, follow=True)


def _as_attacker(theatre) -> Client:
    client = Client()
    assert sign_in(client, theatre[1].label).status_code == 302
    return client


def _flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("victim", ["museum_admin", "operator", "loner"])
def test_another_organizers_admin_cannot_take_over_an_account(victim, request, theatre, museum_admin, operator):
    if victim == "loner":
        target = team.set_member(museum_admin.organizer, email="loner@elsewhere.test", role="viewer", password=PASSWORD)
        Membership.objects.filter(pk=target.pk).delete()  # a user of no organizer
        user = User.objects.get(username="loner@elsewhere.test")
    else:
        member = request.getfixturevalue(victim)
        user = team.set_member(member.organizer, email=member.label, role=member.role, password=PASSWORD).user
    user.refresh_from_db()
    museum_roles = list(Membership.objects.filter(user=user).values_list("organizer_id", "role"))
    hash_before = user.password
    museum_audit = list(AuditEntry.objects.filter(organizer=museum_admin.organizer).values_list("pk", flat=True))
    attacker = _as_attacker(theatre)

    response = _team_post(attacker, "theatre", email=user.email.upper(), role="admin", password="chosen-by-the-attacker")

    user.refresh_from_db()
    assert user.password == hash_before
    assert not user.check_password("chosen-by-the-attacker")
    assert sign_in(Client(), "chosen-by-the-attacker@x.test").status_code == 200  # nothing to sign in with
    victim_client = Client()
    sign_in(victim_client, user.email)
    assert signed_in(victim_client)
    assert list(AuditEntry.objects.filter(organizer=museum_admin.organizer).values_list("pk", flat=True)) == museum_audit
    assert list(Membership.objects.filter(user=user).exclude(organizer=theatre[0]).values_list("organizer_id", "role")) == museum_roles
    # The attacker's own organizer gained a member who was told by email; no password moved.
    assert Membership.objects.filter(user=user, organizer=theatre[0]).exists()
    assert response.status_code == 200


def test_the_answer_is_the_same_for_an_existing_account_and_a_new_address(theatre, museum_admin):
    turn_on(museum_admin.user)  # not even whether the account uses two-factor shows
    attacker = _as_attacker(theatre)
    existing = _team_post(attacker, "theatre", email=museum_admin.label, role="operator")
    new = _team_post(attacker, "theatre", email="nobody-yet@x.test", role="operator")
    assert existing.status_code == new.status_code == 200
    assert _flash(existing).replace(museum_admin.label, "EMAIL") == _flash(new).replace("nobody-yet@x.test", "EMAIL")
    rows = {m.user.email: m for m in Membership.objects.filter(organizer=theatre[0]).select_related("user")}
    assert rows[museum_admin.label].joined_at is None and rows["nobody-yet@x.test"].joined_at is None
    page = attacker.get("/o/theatre/setup/team/").content.decode()
    assert "City Museum" not in page and "museum" not in page.replace(museum_admin.label, "")
    rows = re.findall(r'<tr id="member-\d+">.*?</tr>', page, re.S)
    existing_row, new_row = (
        re.sub(r"\d+", "N", next(r for r in rows if email in r).replace(email, "EMAIL"))
        for email in (museum_admin.label, "nobody-yet@x.test")
    )
    assert existing_row == new_row  # the same row, to the letter: invited, no two-factor shown


def test_an_existing_account_is_told_it_was_added_and_keeps_its_password(theatre, museum_admin):
    team.invite_member(theatre[0], email=museum_admin.label, role="viewer", actor=theatre[1], link_base="http://t/")
    (email,) = queued_emails(to=museum_admin.label)
    assert "Harbour Theatre" in email.subject
    assert "/invitation/" not in email.body and "/login/" in email.body
    assert not Message.objects.filter(kind="invitation").exists()


def test_no_api_operation_takes_a_password():
    schema = api.get_openapi_schema()
    assert "password" not in str(schema).lower()
    assert not any("member" in path or "team" in path for path in schema["paths"])


def test_the_team_form_has_no_password_field(client, museum_admin):
    sign_in(client, museum_admin.label)
    page = client.get("/o/museum/setup/team/").content.decode()
    assert 'type="password"' not in page
