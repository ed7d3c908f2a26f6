"""Undo last admit (§4): the turnstile did not turn, or it was the wrong person. Only the
device that admitted, only its last admit, only within a few minutes, and only while the
ticket is still as that admit left it; the ticket goes back to its state before, and the undo
is a scan row of its own, so the ticket's history shows both."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from boxoffice.core.errors import InvalidTransition, NotFound
from boxoffice.core.models import Device, Scan, Ticket, Verdict
from boxoffice.core.rules import inputs

UNDO_WINDOW = timedelta(minutes=3)
# An admit's reason -> (the state it left the ticket in, the state it came from)
STATES = {"admitted": ("scanned_in", "unscanned"), "readmitted": ("scanned_in", "scanned_out"),
          "exited": ("scanned_out", "scanned_in")}  # fmt: skip
UNDO_REASONS = ("The turnstile did not turn", "Wrong person")


def undo_admit(device: Device, *, scan_pk: int, reason: str, now=None) -> Scan:
    """Raises NotFound (no admit of this device with that id), InvalidTransition (not the
    device's last admit, undone already, too late, or the ticket changed since)."""
    reason = inputs.single_line(reason, field="reason", label="The reason", max_length=100)
    now = now or timezone.now()
    with transaction.atomic():
        admit = Scan.objects.select_for_update().filter(pk=scan_pk, device=device, verdict=Verdict.ADMIT).first()
        if admit is None:
            raise NotFound("This device made no such admit: only the device that admitted can undo it.")
        last = Scan.objects.filter(device=device, verdict__in=[Verdict.ADMIT, Verdict.UNDONE]).order_by("-at", "-pk").first()
        if last.pk != admit.pk:
            raise InvalidTransition("Only this device's last admit can be undone, once.")
        if now - admit.at > UNDO_WINDOW:
            raise InvalidTransition(f"Too late to undo: it is more than {UNDO_WINDOW.seconds // 60} minutes ago. "
                                    "Set the ticket's state on its order page.")  # fmt: skip
        left, before = STATES[admit.reason]
        earlier = (
            Scan.objects.filter(ticket_id=admit.ticket_id, verdict=Verdict.ADMIT, at__lt=admit.at).order_by("-at", "-pk").first()
        )
        changed = Ticket.objects.filter(pk=admit.ticket_id, state=left).update(
            state=before, state_changed_at=earlier.at if earlier else None, last_scan_gate=earlier.gate if earlier else ""
        )
        if not changed:
            raise InvalidTransition("The ticket changed since (another gate or the desk): nothing was undone.")
        return Scan.objects.create(
            organizer_id=admit.organizer_id, device=device, gate=admit.gate, ticket_id=admit.ticket_id,
            order_id=admit.order_id, barcode=admit.barcode, direction=admit.direction, verdict=Verdict.UNDONE,
            reason="undone", message=f"admit undone: {reason}", at=now,
        )  # fmt: skip
