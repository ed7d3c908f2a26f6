"""Pairing a phone with a scanner device by QR code (§4): an admin shows a short-lived link
(as a QR code) on the device's page; the phone opens it and its gate page is signed in as that
device, with no token typed. A link works once and for PAIRING_MINUTES; asking for a new one
ends the old; revoking the device signs the phone out (the gate checks it at every request)."""

import secrets

from django.core import signing
from django.db import transaction

from boxoffice.core import audit
from boxoffice.core.models import Device
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require

PAIRING_MINUTES = 10
_SALT = "boxoffice.gate.pairing"


def pairing_token(device: Device, *, actor) -> str:
    """A new one-time pairing token for the device (its link: /gate/pair/<token>/)."""
    require(actor, Permission.MANAGE_TEAM, organizer_id=device.organizer_id)
    nonce = secrets.token_hex(16)
    with transaction.atomic():
        Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(pairing_nonce=nonce)
        audit.record(actor, "device.pairing_link", organizer=device.organizer, target=device.name)
    return signing.dumps([device.pk, nonce], salt=_SALT, compress=True)


def pair(token: str) -> Device | None:
    """The device a pairing token signs in as, once; None when it is unknown, expired,
    used, replaced, or the device was revoked."""
    try:
        device_id, nonce = signing.loads(token, salt=_SALT, max_age=PAIRING_MINUTES * 60)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    with transaction.atomic():
        used = Device.objects.filter(pk=device_id, pairing_nonce=nonce, revoked_at__isnull=True).exclude(pairing_nonce="")
        if not used.update(pairing_nonce=""):
            return None
        device = Device.objects.select_related("organizer").get(pk=device_id)
        audit.record(None, "device.paired", organizer=device.organizer, target=device.name)
    return device
