"""Reports: an event's sales over a range of sale days (admins), the figures of the portal's
Reports page."""

from datetime import date

from ninja import Router, Schema

from boxoffice.api.auth import membership_for
from boxoffice.db.replicas import reads_from_replica
from boxoffice.api.schemas.common import Id, Money
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.catalogue import get_event
from boxoffice.core.selectors.reports import sales_report
from boxoffice.core.services.permissions import require

router = Router(tags=["reports"])


class FiguresOut(Schema):
    sold: int
    removed: int
    revenue: Money
    vat: Money


class NamedFiguresOut(FiguresOut):
    name: str


class DayOut(FiguresOut):
    day: date


class BlockOut(Schema):
    timeslot: int
    start: str
    capacity: int
    sold: int
    admitted: int


class SalesReportOut(Schema):
    event: int
    date_from: date
    date_to: date
    total: FiguresOut
    per_day: list[DayOut]
    per_ticket_type: list[NamedFiguresOut]
    per_channel: list[NamedFiguresOut]
    per_method: list[NamedFiguresOut]
    per_block: list[BlockOut]


def _named(rows):
    return [{"name": name, **vars(f)} for name, f in rows]


@router.get("organizers/{org}/reports/sales", response=SalesReportOut)
@reads_from_replica
def sales(request, org: str, event: Id, date_from: date, date_to: date):
    """Valid and removed tickets, revenue and VAT of the orders sold on these days (the
    event's time zone, both days included, at most 366), and attendance per time block."""
    membership = membership_for(request, org)
    require(membership, Permission.REPORTS, organizer_id=membership.organizer_id)
    report = sales_report(get_event(membership.organizer, event), date_from=date_from, date_to=date_to)
    return {
        "event": report.event.pk, "date_from": report.date_from, "date_to": report.date_to, "total": vars(report.total),
        "per_day": [{"day": day, **vars(f)} for day, f in report.per_day],
        "per_ticket_type": _named(report.per_ticket_type), "per_channel": _named(report.per_channel),
        "per_method": _named(report.per_method),
        "per_block": [{"timeslot": b.timeslot.pk, "start": b.timeslot.start.isoformat(), "capacity": b.capacity,
                       "sold": b.sold, "admitted": b.admitted} for b in report.per_block],
    }  # fmt: skip
