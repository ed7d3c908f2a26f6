"""Accounts as people use them, in Chromium: an admin invites a colleague, who sets their own
password and second factor from the emailed link; signing in then asks for the code; a
forgotten password is reset by email. Emails go through a real SMTP server."""

import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect
from smtp_server import smtp, smtp_down  # noqa: F401 — fixtures

from boxoffice.core.models import Membership
from boxoffice.core.services import team
from boxoffice.delivery.worker import run_until_empty

pytestmark = pytest.mark.django_db(transaction=True)
COLLEAGUE = "new.colleague@museum.test"
PASSWORD = "my-own-long-secret"


def _totp(secret: str, *, steps_ahead: int = 0) -> str:
    from base64 import b32decode

    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _link(received, prefix: str) -> str:
    found = re.search(rf"(https?://\S+{prefix}\S+)", received.email.get_body(("plain",)).get_content())
    assert found
    return found.group(1)


def _one_top_bar(page):
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)


def test_an_invited_colleague_sets_their_own_password_and_second_factor(portal, admin, organizer, page, browser, smtp):
    team.set_two_factor_policy(organizer, policy="everyone", actor=admin)
    portal.login(admin, lands="/account/two-factor/**")  # the admin sets up their own second factor first
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill(_totp(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()

    portal.go("o/museum/setup/team/")
    form = page.get_by_role("region", name="Add a member")
    form.get_by_label("Email").fill(COLLEAGUE)
    form.get_by_label("Role", exact=True).select_option("operator")
    form.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text(f"{COLLEAGUE} was added as operator")
    run_until_empty()
    (invitation,) = [m for m in smtp.received if m.rcpt_tos == [COLLEAGUE]]
    assert "City Museum" in invitation.email["Subject"]

    colleague = browser.new_page(viewport={"width": 390, "height": 844})
    colleague.goto(_link(invitation, "/invitation/"))
    expect(colleague.get_by_role("heading", name="Join City Museum")).to_be_visible()
    colleague.get_by_label("New password", exact=True).fill("password")
    colleague.get_by_label("New password confirmation").fill("password")
    colleague.get_by_role("button", name="Set password and join").click()
    expect(colleague.get_by_role("alert").filter(has_text="too common")).to_be_visible()
    colleague.get_by_label("New password", exact=True).fill(PASSWORD)
    colleague.get_by_label("New password confirmation").fill(PASSWORD)
    colleague.get_by_role("button", name="Set password and join").click()
    expect(colleague.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(colleague.get_by_text("City Museum requires a second factor of you")).to_be_visible()
    colleague_secret = colleague.locator("#totp-secret").inner_text()
    colleague.get_by_role("textbox", name="Code").fill(_totp(colleague_secret))
    colleague.get_by_role("button", name="Turn on").click()
    recovery = colleague.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    colleague.get_by_role("link", name="Continue").click()
    expect(colleague).to_have_url(re.compile(r"/o/museum/$"))
    _one_top_bar(colleague)
    member = Membership.objects.get(user__username=COLLEAGUE)
    assert member.joined_at is not None and member.user.check_password(PASSWORD)

    # Next time: password, then the code (here a recovery code, which works once).
    colleague.get_by_role("button", name="Sign out").click()
    colleague.get_by_label("Email").fill(COLLEAGUE.upper())
    colleague.get_by_label("Password").fill(PASSWORD)
    colleague.get_by_role("button", name="Sign in").click()
    expect(colleague.get_by_role("heading", name="Your code")).to_be_visible()
    colleague.get_by_role("textbox", name="Code").fill(recovery[0])
    colleague.get_by_role("button", name="Continue").click()
    expect(colleague.get_by_role("status")).to_contain_text("recovery code; 9 left")
    expect(colleague).to_have_url(re.compile(r"/o/museum/$"))
    colleague.close()

    portal.go("o/museum/setup/team/")
    expect(page.locator(f"#member-{member.pk}")).not_to_contain_text("Invited")
    portal.go("o/museum/setup/security/")
    expect(page.get_by_role("region", name="Team and sign-in activity")).to_contain_text("joined the team")


def test_forgot_password_by_email(portal, operator, page, smtp):
    page.goto(f"{portal.url}/login/")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill(operator.label)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    run_until_empty()
    (mail,) = smtp.received
    page.goto(_link(mail, "/password/reset/"))
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password was changed")
    page.get_by_label("Email").fill(operator.label)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/o/museum/$"))
    page.goto(_link(mail, "/password/reset/"))
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_the_account_page_turns_two_factor_on_and_off(portal, operator, page):
    portal.login(operator)
    page.get_by_role("link", name=re.compile(operator.label)).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_role("link", name="Turn on two-factor authentication").click()
    page.get_by_role("textbox", name="Code").fill(_totp(page.locator("#totp-secret").inner_text()))
    page.get_by_role("button", name="Turn on").click()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("region", name="Two-factor authentication")).to_contain_text("10 recovery codes left")
    turn_off = page.locator("form", has=page.get_by_role("button", name="Turn off two-factor authentication"))
    turn_off.get_by_label("Your password").fill("portal-pass-1")
    turn_off.get_by_role("button", name="Turn off two-factor authentication").click()
    expect(page.get_by_role("status")).to_contain_text("Two-factor authentication is off")
