from ninja import Router

from boxoffice.api.auth import DeviceToken, ScanDeviceToken, membership_for
from boxoffice.api.schemas.common import in_timezone
from boxoffice.api.schemas.scans import CountsOut, OccupancyOut, ScanIn, ScanOut, UndoIn, UndoOut
from boxoffice.core.errors import InvalidInput, NotFound
from boxoffice.core.models import Event, Scan
from boxoffice.core.selectors.catalogue import get_event
from boxoffice.core.selectors.occupancy import door_notes, gate_counts, occupancy
from boxoffice.core.services.gate_undo import undo_admit
from boxoffice.core.services.scanning import device_event_ids, scan_with_token

router = Router(tags=["scanning"])


@router.post("scan", response=ScanOut, auth=ScanDeviceToken())
def scan(request, payload: ScanIn):
    """A gate scan with a device token. A verdict is an answer, not an error: admit and reject
    both come back as 200."""
    try:
        result = scan_with_token(request.auth, barcode=payload.barcode, direction=payload.direction,
                                 scan_id=payload.scan_id, made_at=payload.made_at)  # fmt: skip
    except ValueError as exc:
        raise InvalidInput(f"This scan cannot be checked: {exc}.", field="made_at") from None
    return {
        "verdict": result.verdict,
        "level": result.level,
        "reason": result.reason,
        "message": result.message,
        "scanned_at": result.scan.at,
        "made_at": result.scan.made_at,
        "gate": result.scan.gate,
        "ticket": result.ticket,
        "door_notes": door_notes(result.ticket),
    }


@router.post("scan/undo", response=UndoOut, auth=DeviceToken())
def undo(request, payload: UndoIn):
    """Undo this device's last admit, within a few minutes (the turnstile did not turn, the
    wrong person): the ticket goes back to its state before. Refused for another device's
    admit (404), or later, or once the ticket changed (409)."""
    device = request.auth
    admit = Scan.objects.filter(device=device, scan_id=payload.scan_id).first()
    if admit is None:
        raise NotFound("This device made no scan with that scan_id.")
    undone = undo_admit(device, scan_pk=admit.pk, reason=payload.reason)
    undone.ticket.refresh_from_db(fields=["state"])
    return {"ticket": undone.barcode, "state": undone.ticket.state, "undone_at": undone.at}


@router.get("scan/counts", response=CountsOut, auth=DeviceToken())
def counts(request):
    """Today's count for the events this device may scan: inside now, admitted so far, per
    time block and per gate."""
    device = request.auth
    found = gate_counts(device.organizer, event_ids=device_event_ids(device))
    return {
        "inside": found.inside, "admitted": found.admitted, "per_gate": dict(found.per_gate),
        "blocks": [{"timeslot": b.timeslot.pk, "event": b.timeslot.event.name,
                    "start": in_timezone(b.timeslot.start, b.timeslot.event.timezone),
                    "end": in_timezone(b.timeslot.end, b.timeslot.event.timezone),
                    "sold": b.sold, "admitted": b.admitted, "inside": b.inside} for b in found.blocks],
    }  # fmt: skip


def _occupancy_rows(event: Event) -> list[dict]:
    return [
        {
            "timeslot": row["timeslot"].pk,
            "start": in_timezone(row["timeslot"].start, event.timezone),
            "end": in_timezone(row["timeslot"].end, event.timezone),
            "capacity": row["timeslot"].capacity,
            "sold": row["sold"],
            "inside": row["inside"],
        }
        for row in occupancy(event)
    ]


@router.get("organizers/{org}/events/{id:event}/occupancy", response=list[OccupancyOut])
def event_occupancy(request, org: str, event: int):
    """Per timeslot with tickets: sold, and inside now (scanned in minus scanned out)."""
    return _occupancy_rows(get_event(membership_for(request, org).organizer, event))


@router.get("scan/occupancy/{id:event}", response=list[OccupancyOut], auth=DeviceToken())
def device_occupancy(request, event: int):
    """The same for a gate device, for the events it may scan."""
    device = request.auth
    found = get_event(device.organizer, event)
    allowed = device_event_ids(device)
    if allowed and found.pk not in allowed:
        raise NotFound(f"No event {event}.")
    return _occupancy_rows(found)
