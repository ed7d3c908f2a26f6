"""Organizers, their members and credentials. `actor=None` is the command line, run by
whoever administers the installation; otherwise the actor must be an admin of the organizer."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput, LastAdmin, NotFound
from boxoffice.core.models import ApiToken, Device, Event, Membership, Organizer, Role
from boxoffice.core.rules.contact import normalize_email
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require
from boxoffice.core.services.setup import _check_timezone

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
    User = get_user_model()
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


def authenticate_api_token(token: str) -> Membership | None:
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    found = (
        ApiToken.objects.select_related("membership__organizer", "membership__user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, membership__user__is_active=True)
        .first()
    )
    return found.membership if found else None


_DEVICE_FIELDS = ("id", "organizer_id", "name", "gate", "digest", "prefix")


def authenticate_device_token(token: str) -> Device | None:
    """The device of a scanner token, unless revoked. Every gate scan starts here, so the
    statement is written out instead of being built by the ORM on each request."""
    if not token.startswith(DEVICE_TOKEN_PREFIX):
        return None
    columns = ", ".join(f'"{name}"' for name in _DEVICE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {columns} FROM "core_device" WHERE "digest" = %s AND "revoked_at" IS NULL', [token_digest(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    return Device.from_db(connection.alias, [*_DEVICE_FIELDS, "revoked_at"], [*row, None])
