"""Organizers, their members and credentials. `actor=None` is the command line, run by
whoever administers the installation; otherwise the actor must be an admin of the organizer."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from boxoffice.core import audit, sql
from boxoffice.core.errors import InvalidInput, LastAdmin, NotFound
from boxoffice.core.models import ApiToken, Device, Event, Membership, Organizer, Role
from boxoffice.core.rules.contact import normalize_email
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require
from boxoffice.core.services.setup import _check_timezone

User = get_user_model()

API_TOKEN_PREFIX = "bo_"
DEVICE_TOKEN_PREFIX = "bod_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(prefix: str) -> tuple[str, str]:
    token = prefix + secrets.token_urlsafe(32)
    return token, token_digest(token)


def _require_admin(actor, organizer: Organizer) -> None:
    if actor is not None:
        require(actor, Permission.MANAGE_TEAM, organizer_id=organizer.pk)


def create_organizer(*, slug: str, name: str, timezone_name: str = "Europe/Amsterdam", currency: str = "EUR") -> Organizer:
    _check_timezone(timezone_name)
    if not name.strip():
        raise InvalidInput("An organizer needs a name.")
    try:
        with transaction.atomic():
            organizer = Organizer.objects.create(slug=slug, name=name.strip(), timezone=timezone_name, currency=currency.upper())
            audit.record(None, "organizer.created", organizer=organizer, target=slug, after={"name": name})
    except IntegrityError:
        raise InvalidInput(f"An organizer with slug {slug!r} already exists.", field="slug") from None
    return organizer


def set_member(organizer: Organizer, *, email: str, role: str, actor=None, password: str | None = None) -> Membership:
    """Create or update a user and their role in the organizer."""
    _require_admin(actor, organizer)
    if role not in Role.values:
        raise InvalidInput(f"Role must be one of {', '.join(Role.values)}.", field="role")
    email = normalize_email(email)
    if "@" not in email:
        raise InvalidInput("An operator is identified by an email address.", field="email")
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email})
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        membership, created = Membership.objects.get_or_create(user=user, organizer=organizer, defaults={"role": role})
        before = None if created else {"role": membership.role}
        if not created and membership.role != role:
            _keep_an_admin(membership)
            membership.role = role
            membership.save(update_fields=["role"])
        audit.record(actor, "member.set", organizer=organizer, target=email, before=before, after={"role": role})
    return membership


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
    if not name.strip():
        raise InvalidInput("A device needs a name.", field="name")
    events = events or []
    if any(event.organizer_id != organizer.pk for event in events):
        raise InvalidInput("A device can only be limited to events of its organizer.", field="events")
    token, digest = _new_token(DEVICE_TOKEN_PREFIX)
    with transaction.atomic():
        device = Device.objects.create(organizer=organizer, name=name.strip(), gate=gate.strip(), digest=digest, prefix=token[:10])
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
