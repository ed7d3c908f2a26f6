"""Two-factor authentication (django-otp: an authenticator app, recovery codes): any member
may turn it on, an organizer may require it, and it is asked for before any portal page."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from boxoffice.accounts import services
from boxoffice.core.errors import TwoFactorRequired, WrongCode, WrongPassword
from boxoffice.core.models import AuditEntry
from boxoffice.core.services import team

from .conftest import PASSWORD, sign_in


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def turn_on(user) -> list[str]:
    device = services.pending_app_device(user)
    return services.turn_on_two_factor(user, device=device, code=code_for(device))


def _location(response) -> str:
    return response.headers.get("Location", "")


@pytest.fixture
def admins_must(organizer, admin):
    team.set_two_factor_policy(organizer, policy="admins", actor=admin)


def test_an_admin_without_it_is_sent_to_set_up_when_the_organizer_requires_it(museum_admin, admins_must):
    client = Client()
    sign_in(client, museum_admin.label)
    response = client.get("/o/museum/")
    assert response.status_code == 302 and _location(response).startswith("/account/two-factor/?next=/o/museum/")
    assert client.get("/o/museum/setup/team/").status_code == 302
    page = client.get("/account/two-factor/")
    assert page.status_code == 200 and b"requires a second factor of you" in page.content
    device = TOTPDevice.objects.get(user=museum_admin.user, confirmed=False)
    wrong = client.post("/account/two-factor/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and b"not right" in wrong.content
    assert client.get("/o/museum/").status_code == 302
    time.sleep(1.1)  # django-otp makes the device wait a second after a wrong code
    done = client.post("/account/two-factor/", {"code": code_for(device), "next": "/o/museum/"})
    assert done.status_code == 200 and done.content.count(b'<li class="code">') == 10
    assert client.get("/o/museum/").status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enabled", organizer=museum_admin.organizer).count() == 1


def test_an_operator_is_not_asked_when_only_admins_must(operator, admins_must):
    team.set_member(operator.organizer, email=operator.label, role="operator", password=PASSWORD)
    client = Client()
    sign_in(client, operator.label)
    assert client.get("/o/museum/").status_code == 200


def test_everyone_must_when_the_organizer_says_so(organizer, admin, operator):
    team.set_two_factor_policy(organizer, policy="everyone", actor=admin)
    team.set_member(organizer, email=operator.label, role="operator", password=PASSWORD)
    client = Client()
    sign_in(client, operator.label)
    assert _location(client.get("/o/museum/")).startswith("/account/two-factor/")


def test_signing_in_with_it_asks_for_the_code_before_any_page(museum_admin):
    turn_on(museum_admin.user)
    device = TOTPDevice.objects.get(user=museum_admin.user, confirmed=True)
    client = Client()
    assert _location(sign_in(client, museum_admin.label)) == "/"
    response = client.get("/o/museum/orders/XXXXXXX/")
    assert _location(response) == "/login/code/?next=/o/museum/orders/XXXXXXX/"
    assert client.get("/account/").status_code == 302
    wrong = client.post("/login/code/", {"code": "12345"})
    assert wrong.status_code == 422
    time.sleep(1.1)
    right = client.post("/login/code/?next=/o/museum/", {"code": code_for(device, steps_ahead=1), "next": "/o/museum/"})
    assert _location(right) == "/o/museum/"
    assert client.get("/o/museum/").status_code == 200


def test_a_code_is_not_accepted_twice(museum_admin):
    turn_on(museum_admin.user)
    device = TOTPDevice.objects.get(user=museum_admin.user, confirmed=True)
    code = code_for(device, steps_ahead=1)
    services.verify_second_factor(museum_admin.user, code)
    with pytest.raises(WrongCode):
        services.verify_second_factor(museum_admin.user, code)


def test_a_recovery_code_works_once(museum_admin):
    codes = turn_on(museum_admin.user)
    first = Client()
    sign_in(first, museum_admin.label)
    assert _location(first.post("/login/code/", {"code": codes[0].upper()})) == "/"
    assert first.get("/o/museum/").status_code == 200
    assert services.recovery_codes_left(museum_admin.user) == 9
    again = Client()
    sign_in(again, museum_admin.label)
    assert again.post("/login/code/", {"code": codes[0]}).status_code == 422
    assert again.get("/o/museum/").status_code == 302
    assert AuditEntry.objects.filter(action="two_factor.recovery_code_used").count() == 1


def test_new_recovery_codes_replace_the_old_ones(museum_admin):
    old = turn_on(museum_admin.user)
    with pytest.raises(WrongPassword):
        services.new_recovery_codes(museum_admin.user, password="not-it")
    new = services.new_recovery_codes(museum_admin.user, password=PASSWORD)
    assert set(old).isdisjoint(new)
    with pytest.raises(WrongCode):
        services.verify_second_factor(museum_admin.user, old[1])
    assert services.verify_second_factor(museum_admin.user, new[1]).used_recovery_code


def test_it_cannot_be_turned_off_where_it_is_required(museum_admin, admins_must):
    turn_on(museum_admin.user)
    with pytest.raises(TwoFactorRequired):
        services.turn_off_two_factor(museum_admin.user, password=PASSWORD)
    assert services.has_two_factor(museum_admin.user)


def test_new_recovery_codes_on_the_account_page_need_the_password(museum_admin):
    turn_on(museum_admin.user)
    client = Client()
    sign_in(client, museum_admin.label)
    client.post("/login/code/", {"code": code_for(TOTPDevice.objects.get(user=museum_admin.user), steps_ahead=1)})
    wrong = client.post("/account/two-factor/recovery-codes/", {"password": "not-it"})
    assert wrong.status_code == 422 and b"That is not your password" in wrong.content
    right = client.post("/account/two-factor/recovery-codes/", {"password": PASSWORD})
    assert right.status_code == 200 and right.content.count(b'<li class="code">') == 10
    assert "no-store" in right.headers["Cache-Control"]


def test_turning_it_off_needs_the_password(museum_admin):
    turn_on(museum_admin.user)
    client = Client()
    sign_in(client, museum_admin.label)
    client.post("/login/code/", {"code": code_for(TOTPDevice.objects.get(user=museum_admin.user), steps_ahead=1)})
    assert client.post("/account/two-factor/off/", {"password": "not-it"}).status_code == 422
    assert services.has_two_factor(museum_admin.user)
    assert client.post("/account/two-factor/off/", {"password": PASSWORD}).status_code == 302
    assert not services.has_two_factor(museum_admin.user)
    assert AuditEntry.objects.filter(action="two_factor.disabled").count() == 1


def test_api_tokens_are_not_affected(client, museum_admin, admins_must):
    token = team.create_api_token(museum_admin)
    response = client.get("/api/v1/organizers/museum/events", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
