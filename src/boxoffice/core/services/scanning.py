"""A scan at the gate (§4): one decision and one state change in one transaction. An admit is
a conditional UPDATE from the state the decision was made on, so of two gates scanning one
ticket at the same instant exactly one changes it; the other re-reads and is told why not."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from boxoffice.core.models import Device, Scan, Ticket
from boxoffice.core.rules.codes import normalize_barcode
from boxoffice.core.rules.scanning import ADMIT, Decision, TicketFacts, decide, reject

MAX_RACE_RETRIES = 3


@dataclass(frozen=True)
class ScanResult:
    verdict: str
    reason: str
    message: str
    ticket: Ticket | None
    scan: Scan


def scan_ticket(device: Device, *, barcode: str, direction: str, scan_id: str | None = None, now: datetime | None = None) -> ScanResult:
    """Admit or reject one scan, log it, and move the ticket's state on an admit. With a
    `scan_id` already used by this device, the first answer comes back and nothing changes."""
    if direction not in ("in", "out"):
        raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
    if scan_id and (earlier := _earlier_answer(device, scan_id)):
        return earlier
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _scan(device, barcode, direction, scan_id, now)
    except IntegrityError:
        # The same scan_id arrived twice at once: the other request's answer stands.
        earlier = _earlier_answer(device, scan_id) if scan_id else None
        if earlier is None:
            raise
        return earlier


def _scan(device: Device, text: str, direction: str, scan_id: str | None, now: datetime) -> ScanResult:
    barcode = normalize_barcode(text)
    ticket = _load(device, barcode) if barcode else None
    decision = reject("malformed_barcode") if barcode is None else _decide(device, ticket, direction, now)
    for _ in range(MAX_RACE_RETRIES):
        if decision.verdict != ADMIT or _apply(ticket, decision, device, now):
            break
        ticket = _load(device, barcode)  # another gate changed it first: decide again on what it did
        decision = _decide(device, ticket, direction, now)
    scan = Scan.objects.create(
        organizer_id=device.organizer_id,
        device=device,
        gate=device.gate,
        ticket=ticket,
        order_id=ticket.order_id if ticket else None,
        barcode=text.strip()[:64],
        direction=direction,
        verdict=decision.verdict,
        reason=decision.reason,
        message=decision.message,
        scan_id=scan_id or None,
        at=now,
    )
    return ScanResult(decision.verdict, decision.reason, decision.message, ticket, scan)


def _load(device: Device, barcode: str) -> Ticket | None:
    # Another organizer's ticket is unknown here: the device learns nothing about it.
    return (
        Ticket.objects.select_related("order__buyer", "timeslot", "event", "ticket_type")
        .filter(barcode=barcode, order__organizer_id=device.organizer_id)
        .first()
    )


def _decide(device: Device, ticket: Ticket | None, direction: str, now: datetime) -> Decision:
    return decide(_facts(ticket), direction=direction, now=now, device_event_ids=device_event_ids(device))


def device_event_ids(device: Device) -> frozenset[int]:
    if not hasattr(device, "_event_ids"):
        device._event_ids = frozenset(device.events.values_list("pk", flat=True))
    return device._event_ids


def _facts(ticket: Ticket | None) -> TicketFacts | None:
    if ticket is None:
        return None
    event = ticket.event
    return TicketFacts(
        state=ticket.state,
        void_reason=ticket.void_reason,
        order_status=ticket.order.status,
        event_id=event.pk,
        event_name=event.name,
        timezone=event.timezone,
        start=ticket.timeslot.start,
        end=ticket.timeslot.end,
        admit_before=timedelta(minutes=event.admit_before_minutes),
        admit_after=timedelta(minutes=event.admit_after_minutes),
        reentry_allowed=event.reentry_allowed,
        state_changed_at=ticket.state_changed_at,
        last_scan_gate=ticket.last_scan_gate,
    )


def _apply(ticket: Ticket, decision: Decision, device: Device, now: datetime) -> bool:
    changed = Ticket.objects.filter(pk=ticket.pk, state__in=decision.from_states).update(
        state=decision.new_state, state_changed_at=now, last_scan_gate=device.gate or device.name
    )
    if changed:
        ticket.state, ticket.state_changed_at = decision.new_state, now
    return bool(changed)


def _earlier_answer(device: Device, scan_id: str) -> ScanResult | None:
    scan = (
        Scan.objects.select_related("ticket__order__buyer", "ticket__timeslot", "ticket__event", "ticket__ticket_type")
        .filter(device=device, scan_id=scan_id)
        .first()
    )
    if scan is None:
        return None
    return ScanResult(scan.verdict, scan.reason, scan.message, scan.ticket, scan)
