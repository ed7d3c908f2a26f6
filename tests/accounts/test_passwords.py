"""Passwords: Forgot password by email link, changing one's own, and sessions that end with
it; the same validators everywhere."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from boxoffice.core.models import AuditEntry, Message

from .conftest import PASSWORD, link_in, queued_emails, sign_in, signed_in

NEW_PASSWORD = "a-brand-new-secret"


def _forgot(client: Client, email: str):
    return client.post("/password/forgot/", {"email": email})


def _without_csrf(html: str) -> str:
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)


def _reset_link(email: str) -> str:
    (message,) = queued_emails(to=email)
    return link_in(message, "/password/reset/")


def test_forgot_password_emails_a_one_time_link(museum_admin):
    page = _forgot(Client(), "ADMIN@museum.test")
    assert page.status_code == 200 and b"Check your email" in page.content
    link = _reset_link(museum_admin.label)
    client = Client()
    form = client.get(link, follow=True)  # Django moves the token out of the URL first
    assert b"Choose a new password" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/login/"
    museum_admin.user.refresh_from_db()
    assert museum_admin.user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="password.reset", organizer=museum_admin.organizer).count() == 1
    again = Client().get(link, follow=True)
    assert b"This link no longer works" in again.content


def test_forgot_password_looks_the_same_for_an_unknown_address(museum_admin):
    known = _forgot(Client(), museum_admin.label).content.decode().replace(museum_admin.label, "EMAIL")
    unknown = _forgot(Client(), "nobody@museum.test").content.decode().replace("nobody@museum.test", "EMAIL")
    assert _without_csrf(known) == _without_csrf(unknown)
    assert not Message.objects.filter(to="nobody@museum.test").exists()


def test_a_reset_ends_every_session(museum_admin):
    desk = Client()
    sign_in(desk, museum_admin.label)
    _forgot(Client(), museum_admin.label)
    client = Client()
    url = client.get(_reset_link(museum_admin.label), follow=True).redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert desk.get("/o/museum/").status_code == 302  # signed out


@pytest.mark.parametrize("password", ["password", "12345678", "1234567890", "admin@museum.test", "short-1"])
def test_a_reset_refuses_a_weak_password(museum_admin, password):
    _forgot(Client(), museum_admin.label)
    client = Client()
    url = client.get(_reset_link(museum_admin.label), follow=True).redirect_chain[-1][0]
    assert client.post(url, {"new_password1": password, "new_password2": password}).status_code == 200
    museum_admin.user.refresh_from_db()
    assert museum_admin.user.check_password(PASSWORD)


def test_changing_the_password_keeps_this_session_and_ends_the_others(museum_admin):
    here, elsewhere = Client(), Client()
    sign_in(here, museum_admin.label)
    sign_in(elsewhere, museum_admin.label)
    response = here.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })  # fmt: skip
    assert response.status_code == 302
    assert here.get("/o/museum/").status_code == 200
    assert elsewhere.get("/o/museum/").status_code == 302
    assert AuditEntry.objects.filter(action="password.changed").count() == 1


def test_sign_out_everywhere_ends_every_session_this_one_too(museum_admin):
    here, elsewhere = Client(), Client()
    sign_in(here, museum_admin.label)
    sign_in(elsewhere, museum_admin.label)
    assert here.post("/account/sign-out-everywhere/", {"password": "wrong"}).status_code == 422
    assert elsewhere.get("/o/museum/").status_code == 200
    assert here.post("/account/sign-out-everywhere/", {"password": PASSWORD}).status_code == 302
    assert here.get("/o/museum/").status_code == 302 and elsewhere.get("/o/museum/").status_code == 302
    assert sign_in(Client(), museum_admin.label).status_code == 302  # the password itself still works
    assert AuditEntry.objects.filter(action="sessions.ended").count() == 1


def test_removing_a_member_ends_their_access_at_once(museum_admin, operator):
    from boxoffice.core.services import team

    team.set_member(operator.organizer, email=operator.label, role="operator", password=PASSWORD)
    token = team.create_api_token(operator)
    desk = Client()
    sign_in(desk, operator.label)
    assert desk.get("/o/museum/").status_code == 200
    team.remove_member(operator, actor=museum_admin)
    assert desk.get("/o/museum/").status_code == 404
    api = Client().get("/api/v1/organizers/museum/events", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401


@pytest.mark.parametrize("password", ["a", "password", "12345678", "desk@museum.test"])
def test_the_command_line_refuses_a_weak_password(organizer, password):
    with pytest.raises(CommandError, match="validation_error"):
        call_command("createoperator", organizer="museum", email="desk@museum.test", password=password, role="operator")


def test_the_command_line_sets_a_good_password(organizer):
    call_command("createoperator", organizer="museum", email="Desk@Museum.test", password=NEW_PASSWORD, role="operator")
    client = Client()
    sign_in(client, "desk@museum.test", NEW_PASSWORD)
    assert signed_in(client)
