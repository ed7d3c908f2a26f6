from ninja import Router

from boxoffice.api.auth import DeviceToken, ScanDeviceToken, membership_for
from boxoffice.api.schemas.common import in_timezone
from boxoffice.api.schemas.scans import OccupancyOut, ScanIn, ScanOut
from boxoffice.core.errors import NotFound
from boxoffice.core.models import Event
from boxoffice.core.selectors.catalogue import get_event
from boxoffice.core.selectors.occupancy import occupancy
from boxoffice.core.services.scanning import device_event_ids, scan_with_token

router = Router(tags=["scanning"])


@router.post("scan", response=ScanOut, auth=ScanDeviceToken())
def scan(request, payload: ScanIn):
    """A gate scan with a device token. A verdict is an answer, not an error: admit and reject
    both come back as 200."""
    result = scan_with_token(request.auth, barcode=payload.barcode, direction=payload.direction, scan_id=payload.scan_id)
    return {
        "verdict": result.verdict,
        "reason": result.reason,
        "message": result.message,
        "scanned_at": result.scan.at,
        "gate": result.scan.gate,
        "ticket": result.ticket,
    }


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
