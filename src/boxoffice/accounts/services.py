"""Every change to a person's own account: password, two-factor authentication, sessions.
Each is one transaction with its audit entry in every organizer the person belongs to
(core.audit.record_for_user). Devices and codes are django-otp's: a TOTP device for the
authenticator app, a static device whose tokens are the recovery codes."""

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from boxoffice.accounts.forms import user_with_email
from boxoffice.core import audit
from boxoffice.core.errors import TwoFactorRequired, WrongCode, WrongPassword
from boxoffice.core.models import Membership, Message
from boxoffice.core.services.messages import queue_account_email

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@dataclass(frozen=True)
class SecondFactor:
    device: object
    used_recovery_code: bool


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def members_with_two_factor(memberships) -> set[int]:
    """Which of these members sign in with a second factor (an organizer's team page shows it,
    so an admin can see who still has to set it up). Only of members who have joined: of an
    account added but not yet here, the organizer learns nothing."""
    joined = [m for m in memberships if m.joined_at is not None]
    users = TOTPDevice.objects.filter(user_id__in=[m.user_id for m in joined], confirmed=True).values("user_id")
    with_device = {row["user_id"] for row in users}
    return {m.pk for m in joined if m.user_id in with_device}


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def organizers_requiring_two_factor(user) -> list[str]:
    """Names of the organizers whose policy requires a second factor of this member."""
    memberships = Membership.objects.filter(user=user).select_related("organizer")
    return [m.organizer.name for m in memberships if m.organizer.requires_two_factor(m.role)]


def pending_app_device(user) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept until it is confirmed with a
    code (or replaced by the next set-up)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def turn_on_two_factor(user, *, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a code it shows; returns the recovery codes, shown once. Raises
    WrongCode."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None or not device.verify_token(_digits(code)):
            raise WrongCode("That code is not right. Check the time on your phone and type the 6 digits again.")
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit.record_for_user(user, "two_factor.enabled")
    return codes


def new_recovery_codes(user, *, password: str) -> list[str]:
    """Replaces the recovery codes; the old ones stop working. Raises WrongPassword."""
    _check_password(user, password)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record_for_user(user, "two_factor.recovery_codes_replaced")
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(user, code: str) -> SecondFactor:
    """A code from the app (6 digits) or a recovery code, which works once. Repeated wrong
    codes make the device wait (django-otp's throttling). Raises WrongCode."""
    digits = _digits(code)
    with transaction.atomic():
        if digits.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            recovery = False
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            digits, recovery = digits.lower(), True
        allowed, _ = device.verify_is_allowed() if device else (False, None)
        if device is not None and not allowed:
            raise WrongCode("Too many wrong codes: wait a minute, then try again.")
        if device is None or not device.verify_token(digits):
            raise WrongCode("That code is not right. Type the 6 digits your app shows now, or a recovery code.")
        if recovery:
            audit.record_for_user(user, "two_factor.recovery_code_used", after={"left": device.token_set.count()})
    return SecondFactor(device=device, used_recovery_code=recovery)


def turn_off_two_factor(user, *, password: str) -> None:
    """Raises WrongPassword, TwoFactorRequired (an organizer of the member requires it)."""
    _check_password(user, password)
    if required := organizers_requiring_two_factor(user):
        raise TwoFactorRequired(f"{', '.join(required)} requires two-factor authentication of you; it stays on.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record_for_user(user, "two_factor.disabled")


def change_password(user, *, new_password: str, reset: bool = False) -> None:
    """Set a password the forms have validated. Every session of the user ends with it
    (Django ties sessions to the password's hash); the view keeps the current one for a
    change, not for a reset by email link."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record_for_user(user, "password.reset" if reset else "password.changed")


def sign_out_everywhere(user, *, password: str) -> None:
    """Ends every session of the user, this one too: the password is hashed anew (a new salt),
    which is what Django checks every session against. Raises WrongPassword."""
    _check_password(user, password)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record_for_user(user, "sessions.ended")


def _check_password(user, password: str) -> None:
    if not user.check_password(password):
        raise WrongPassword("That is not your password.", field="password")


def _digits(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def request_password_reset(email: str, *, link_base: str) -> None:
    """Email a one-time link to set a new password, if the address has an account with a
    password (an invited member who has not chosen one uses their invitation). Says nothing
    either way: the page looks the same for any address."""
    user = user_with_email(email)
    if user is None or not user.has_usable_password():
        return
    with transaction.atomic():
        queue_account_email(user, kind=Message.Kind.PASSWORD_RESET, link_base=link_base)
