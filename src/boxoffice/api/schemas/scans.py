from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from boxoffice.api.schemas.common import in_timezone


class ScanIn(Schema):
    barcode: str = Field(min_length=1, max_length=200)
    direction: Literal["in", "out"] = "in"
    scan_id: str | None = Field(None, min_length=1, max_length=64, description="client id; a retry with the same id gets the first answer")


class ScanTicketOut(Schema):
    barcode: str
    state: str
    ticket_type: str = Field(alias="ticket_type.name")
    timeslot: int = Field(alias="timeslot_id")
    timeslot_start: datetime
    timeslot_end: datetime
    order_code: str = Field(alias="order.code")
    attendee_name: str
    event: str = Field(alias="event.name")

    @staticmethod
    def resolve_timeslot_start(obj):
        return in_timezone(obj.timeslot.start, obj.event.timezone)

    @staticmethod
    def resolve_timeslot_end(obj):
        return in_timezone(obj.timeslot.end, obj.event.timezone)

    @staticmethod
    def resolve_attendee_name(obj):
        return obj.attendee_name or obj.order.buyer.name


class ScanOut(Schema):
    verdict: Literal["admit", "reject"]
    reason: str
    message: str
    scanned_at: datetime
    gate: str
    ticket: ScanTicketOut | None


class OccupancyOut(Schema):
    timeslot: int
    start: datetime
    end: datetime
    capacity: int
    sold: int
    inside: int
