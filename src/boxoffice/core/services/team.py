"""Organizers, their members and credentials. `actor=None` is the command line, run by
whoever administers the installation; otherwise the actor must be an admin of the organizer."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from boxoffice.core import audit, sql
from boxoffice.core.errors import AlreadyMember, InvalidInput, InvalidTransition, InvitationInvalid, LastAdmin, NotFound
from boxoffice.core.models import ApiToken, Device, Event, Invitation, Membership, Message, Organizer, Role, TwoFactorPolicy
from boxoffice.core.rules import inputs
from boxoffice.core.rules.contact import normalize_email
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services import messages
from boxoffice.core.services.permissions import require
from boxoffice.core.services.setup import _check_timezone

User = get_user_model()

_INVITATION_SALT = "boxoffice.invitation"
_INVITATION_GONE = (
    "This invitation link is no longer valid: it was used, replaced by a newer one, or has expired. "
    "Ask an admin of the team to send a new one."
)

API_TOKEN_PREFIX = "bo_"
DEVICE_TOKEN_PREFIX = "bod_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(prefix: str) -> tuple[str, str]:
    token = prefix + secrets.token_urlsafe(32)
    return token, token_digest(token)


def _require_admin(actor, organizer: Organizer) -> None:
    """`actor=None` is whoever runs the server; anyone else must be an admin of the organizer."""
    if actor is not None:
        require(actor, Permission.MANAGE_TEAM, organizer_id=organizer.pk)


def create_organizer(
    *, slug: str, name: str, timezone_name: str = "Europe/Amsterdam", currency: str = "EUR", desk_shifts: bool = True
) -> Organizer:
    _check_timezone(timezone_name)
    name = inputs.single_line(name, field="name", label="An organizer's name")
    currency = inputs.currency_code(currency)
    try:
        with transaction.atomic():
            organizer = Organizer.objects.create(
                slug=slug, name=name, timezone=timezone_name, currency=currency, desk_shifts=desk_shifts
            )
            audit.record(None, "organizer.created", organizer=organizer, target=slug, after={"name": name})
    except IntegrityError:
        raise InvalidInput(f"An organizer with slug {slug!r} already exists.", field="slug") from None
    return organizer


def set_member(organizer: Organizer, *, email: str, role: str, password: str | None = None) -> Membership:
    """For whoever runs the server (the command line, the demo, set-up scripts): create or
    update a user and their role, and set their password when given. Organizer admins add
    people with invite_member, which never touches a password. Raises InvalidInput for a
    password the validators refuse."""
    role, email = _checked_role(role), _checked_email(email)
    with transaction.atomic():
        # Without a password, a new user has none until they choose one (Forgot password).
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email, "password": make_password(None)})
        if password:
            _validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        membership, created = Membership.objects.get_or_create(
            user=user, organizer=organizer, defaults={"role": role, "joined_at": timezone.now()}
        )
        before = None if created else {"role": membership.role}
        if not created and membership.role != role:
            _keep_an_admin(membership)
            membership.role = role
            membership.save(update_fields=["role"])
        audit.record(None, "member.set", organizer=organizer, target=email, before=before, after={"role": role})
    return membership


def invite_member(organizer: Organizer, *, email: str, role: str, actor: Membership, link_base: str) -> Membership:
    """Add someone to the team by email and role. Someone new gets an invitation to set their
    own password; someone who already has an account gets a notice and keeps their password.
    The admin sees the same answer either way: nothing about other organizers leaks. Raises
    AlreadyMember, InvalidInput."""
    _require_admin(actor, organizer)
    role, email = _checked_role(role), _checked_email(email)
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email, "password": make_password(None)})
        membership, created = Membership.objects.get_or_create(user=user, organizer=organizer, defaults={"role": role})
        if not created:
            raise AlreadyMember(f"{email} is already in the team; change their role in the list above.", field="email")
        _send_welcome(membership, actor=actor, link_base=link_base)
        audit.record(actor, "member.invited", organizer=organizer, target=email, after={"role": role})
    return membership


def resend_invitation(membership: Membership, *, actor: Membership, link_base: str) -> None:
    """Send a member who has not joined yet a new link; earlier links stop working. Raises
    InvalidTransition for a member who has joined."""
    _require_admin(actor, membership.organizer)
    with transaction.atomic():
        current = Membership.objects.select_for_update(of=("self",)).filter(pk=membership.pk).select_related("user").first()
        if current is None:
            raise NotFound(f"{membership.label} is no longer a member.")
        if current.joined_at is not None:
            raise InvalidTransition(f"{current.label} has joined already.")
        _send_welcome(current, actor=actor, link_base=link_base)
        audit.record(actor, "member.invitation_resent", organizer=current.organizer, target=current.label)


def _send_welcome(membership: Membership, *, actor: Membership, link_base: str) -> None:
    """An invitation with a new one-time link for a user without a password, a notice for one
    who has an account. Called in the caller's transaction."""
    user = membership.user
    if user.has_usable_password():
        messages.queue_account_email(
            user, kind=Message.Kind.MEMBERSHIP, organizer=membership.organizer, link_base=link_base, actor=actor
        )
        return
    expires = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    invitation, _ = Invitation.objects.update_or_create(
        membership=membership,
        defaults={"nonce": secrets.token_hex(16), "created_by": actor, "expires_at": expires, "accepted_at": None},
    )
    messages.queue_account_email(
        user, kind=Message.Kind.INVITATION, organizer=membership.organizer, invitation=invitation,
        link_base=link_base, actor=actor,
    )  # fmt: skip


def invitation_token(invitation: Invitation) -> str:
    """The secret part of an invitation link: the invitation and its nonce, signed."""
    return signing.dumps([invitation.pk, invitation.nonce], salt=_INVITATION_SALT, compress=False)


def find_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The pending invitation a link is for (its row locked, in a transaction, with `lock`).
    Raises InvitationInvalid for a link that was tampered with, replaced by a newer one, used,
    expired, or whose member was removed."""
    try:
        pk, nonce = signing.loads(token, salt=_INVITATION_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationInvalid(_INVITATION_GONE) from None
    invitations = Invitation.objects.select_related("membership__user", "membership__organizer")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=pk, nonce=nonce, accepted_at__isnull=True, expires_at__gt=timezone.now()).first()
    if invitation is None:
        raise InvitationInvalid(_INVITATION_GONE)
    return invitation


def accept_invitation(token: str, *, password: str | None) -> Membership:
    """Join the organizer through the invitation link, setting the password when the user has
    none yet (a user who set one since, through another organizer's invitation, keeps it and
    signs in). Raises InvitationInvalid, InvalidInput (a password the validators refuse)."""
    with transaction.atomic():
        invitation = find_invitation(token, lock=True)  # one accept per link
        membership, user = invitation.membership, invitation.membership.user
        if not user.has_usable_password():
            if not password:
                raise InvalidInput("Choose a password.", field="new_password1")
            _validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
        _join(membership, now)
    return membership


def note_joined(membership: Membership) -> None:
    """A member who already had an account joins when they first open the organizer."""
    if membership.joined_at is None:
        with transaction.atomic():
            _join(membership, timezone.now())


def _join(membership: Membership, now) -> None:
    if Membership.objects.filter(pk=membership.pk, joined_at__isnull=True).update(joined_at=now):
        membership.joined_at = now
        audit.record(membership, "member.joined", organizer=membership.organizer, target=membership.label)


def change_role(membership: Membership, *, role: str, actor: Membership) -> Membership:
    """Raises LastAdmin when the only admin would be demoted, InvalidInput for an unknown role."""
    _require_admin(actor, membership.organizer)
    role = _checked_role(role)
    with transaction.atomic():
        current = Membership.objects.select_for_update(of=("self",)).filter(pk=membership.pk).select_related("user").first()
        if current is None:
            raise NotFound(f"{membership.label} is no longer a member.")
        before = current.role
        if before != role:
            _keep_an_admin(current)
            current.role = role
            current.save(update_fields=["role"])
            audit.record(
                actor, "member.role_changed", organizer=current.organizer, target=current.label,
                before={"role": before}, after={"role": role},
            )  # fmt: skip
    return current


def _checked_role(role: str) -> str:
    if role not in Role.values:
        raise InvalidInput(f"Role must be one of {', '.join(Role.values)}.", field="role")
    return role


def _checked_email(email: str) -> str:
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("A member is identified by their email address.", field="email") from None
    return email


def _validate_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None


def remove_member(membership: Membership, *, actor=None) -> None:
    """Take the user out of the organizer; their API tokens go with the membership. Orders,
    comments and history they made keep their name. Raises LastAdmin for the only admin,
    InvalidInput for removing oneself (another admin does that)."""
    _require_admin(actor, membership.organizer)
    if actor is not None and actor.pk == membership.pk:
        raise InvalidInput("You cannot remove yourself; ask another admin.", field="member")
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if current is None:
            raise NotFound(f"{membership.label} is no longer a member.")
        _keep_an_admin(current)
        current.delete()
        audit.record(actor, "member.removed", organizer=current.organizer, target=current.label, before={"role": current.role})


def _keep_an_admin(membership: Membership) -> None:
    """Called in a transaction before an admin membership is demoted or removed; locks the
    organizer's admins so that two admins cannot demote each other at the same moment."""
    if membership.role != Role.ADMIN:
        return
    admins = list(
        Membership.objects.select_for_update().filter(organizer_id=membership.organizer_id, role=Role.ADMIN).order_by("pk")
    )
    if all(admin.pk == membership.pk for admin in admins):
        raise LastAdmin(f"{membership.label} is the only admin; make someone else admin first.")


def create_api_token(membership: Membership, *, actor=None, name: str = "") -> str:
    """A new API token for the member; the plain token is returned once and never stored."""
    _require_admin(actor, membership.organizer)
    name = inputs.single_line(name, field="name", label="A token's name", max_length=100, required=False)
    token, digest = _new_token(API_TOKEN_PREFIX)
    with transaction.atomic():
        ApiToken.objects.create(membership=membership, digest=digest, prefix=token[:10], name=name)
        audit.record(actor, "token.created", organizer=membership.organizer, target=membership.label, after={"prefix": token[:10]})
    return token


def revoke_api_token(api_token: ApiToken, *, actor=None) -> None:
    _require_admin(actor, api_token.membership.organizer)
    with transaction.atomic():
        ApiToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record(actor, "token.revoked", organizer=api_token.membership.organizer, target=api_token.prefix)


def create_device(
    organizer: Organizer, *, name: str, actor=None, gate: str = "", events: list[Event] | None = None
) -> tuple[Device, str]:
    """A scanner device, optionally limited to some events; returns it and its plain token."""
    _require_admin(actor, organizer)
    name = inputs.single_line(name, field="name", label="A device's name", max_length=100)
    gate = inputs.single_line(gate, field="gate", label="The gate", max_length=100, required=False)
    events = events or []
    if any(event.organizer_id != organizer.pk for event in events):
        raise InvalidInput("A device can only be limited to events of its organizer.", field="events")
    token, digest = _new_token(DEVICE_TOKEN_PREFIX)
    with transaction.atomic():
        device = Device.objects.create(organizer=organizer, name=name, gate=gate, digest=digest, prefix=token[:10])
        device.events.set(events)
        audit.record(
            actor, "device.created", organizer=organizer, target=device.name,
            after={"gate": device.gate, "events": [e.pk for e in events]},
        )
    return device, token


def revoke_device(device: Device, *, actor=None) -> None:
    _require_admin(actor, device.organizer)
    with transaction.atomic():
        Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit.record(actor, "device.revoked", organizer=device.organizer, target=device.name)


# Every API request and every gate scan starts with one of these: written out and prepared
# (core/sql.py), they cost a fraction of the ORM's query.
_MEMBERSHIP_COLUMNS, _MEMBERSHIP_FIELDS = sql.columns(Membership, "m")
_ORGANIZER_COLUMNS, _ORGANIZER_FIELDS = sql.columns(Organizer, "o")
_USER_COLUMNS, _USER_FIELDS = sql.columns(User, "u", ("id", "username", "email", "first_name", "last_name", "is_active"))
_API_TOKEN_SQL = f"""
SELECT {_MEMBERSHIP_COLUMNS}, {_ORGANIZER_COLUMNS}, {_USER_COLUMNS}
FROM "core_apitoken" t
JOIN "core_membership" m ON m."id" = t."membership_id"
JOIN "core_organizer" o ON o."id" = m."organizer_id"
JOIN "{User._meta.db_table}" u ON u."id" = m."user_id"
WHERE t."digest" = %s AND t."revoked_at" IS NULL AND u."is_active"
"""
# The device's columns under the alias d, for this lookup and for the gate scan's (scanning.py).
DEVICE_COLUMNS, DEVICE_FIELDS = sql.columns(Device, "d", ("id", "organizer_id", "name", "gate", "digest", "prefix", "revoked_at"))
_DEVICE_SQL = f'SELECT {DEVICE_COLUMNS} FROM "core_device" d WHERE d."digest" = %s AND d."revoked_at" IS NULL'


def authenticate_api_token(token: str) -> Membership | None:
    """The membership of an API token, with its organizer and user, unless the token is
    revoked or the user deactivated."""
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    rows = sql.execute(_API_TOKEN_SQL, [token_digest(token)])
    if not rows:
        return None
    row = rows[0]
    membership_end = len(_MEMBERSHIP_FIELDS)
    organizer_end = membership_end + len(_ORGANIZER_FIELDS)
    membership = sql.loaded_from_row(Membership, _MEMBERSHIP_FIELDS, row[:membership_end])
    membership.organizer = sql.loaded_from_row(Organizer, _ORGANIZER_FIELDS, row[membership_end:organizer_end])
    membership.user = sql.loaded_from_row(User, _USER_FIELDS, row[organizer_end:])
    return membership


def authenticate_device_token(token: str) -> Device | None:
    """The device of a scanner token, unless revoked."""
    if not token.startswith(DEVICE_TOKEN_PREFIX):
        return None
    rows = sql.execute(_DEVICE_SQL, [token_digest(token)])
    return device_from_row(rows[0]) if rows else None


def device_from_row(row) -> Device:
    """A Device from the DEVICE_COLUMNS of a row."""
    return sql.loaded_from_row(Device, DEVICE_FIELDS, row[: len(DEVICE_FIELDS)])


def set_two_factor_policy(organizer: Organizer, *, policy: str, actor) -> Organizer:
    """Who of the team must sign in with a second factor. Members it newly applies to are taken
    through set-up at their next sign-in. Raises InvalidInput for an unknown policy."""
    _require_admin(actor, organizer)
    if policy not in TwoFactorPolicy.values:
        raise InvalidInput(f"Choose one of {', '.join(TwoFactorPolicy.values)}.", field="two_factor")
    with transaction.atomic():
        current = Organizer.objects.select_for_update().get(pk=organizer.pk)
        before = current.two_factor
        if before != policy:
            Organizer.objects.filter(pk=organizer.pk).update(two_factor=policy)
            audit.record(
                actor, "organizer.two_factor", organizer=organizer, target=organizer.slug,
                before={"two_factor": before}, after={"two_factor": policy},
            )  # fmt: skip
    organizer.two_factor = policy
    return organizer
