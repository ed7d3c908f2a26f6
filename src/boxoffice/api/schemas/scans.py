from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from boxoffice.api.schemas.common import in_timezone


class ScanIn(Schema):
    barcode: str = Field(min_length=1, max_length=200)
    direction: Literal["in", "out"] = "in"
    scan_id: str | None = Field(None, min_length=1, max_length=64, description="client id; a retry with the same id gets the first answer")
    made_at: datetime | None = Field(
        None, description="When the scan was made, for one sent late (the gate was offline): decided as of then, "
        "logged with both times; at most 48 hours ago"
    )


class UndoIn(Schema):
    scan_id: str = Field(min_length=1, max_length=64, description="The client id of this device's last admit")
    reason: str = Field(min_length=1, max_length=100, description="e.g. The turnstile did not turn, Wrong person")


class UndoOut(Schema):
    ticket: str
    state: str = Field(description="The ticket's state now, as before the admit")
    undone_at: datetime


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
    level: Literal["admit-in", "admit-out", "talk", "stop"] = Field(
        description="How to show it: green in, green out, amber (talk to the visitor), red (do not admit)"
    )
    reason: str
    message: str
    scanned_at: datetime
    made_at: datetime | None = Field(description="When it was made, for a scan sent late")
    gate: str
    ticket: ScanTicketOut | None
    door_notes: list[str] = Field(description="What the desk marked to show at the gate for this purchase or buyer")


class BlockCountOut(Schema):
    timeslot: int
    event: str
    start: datetime
    end: datetime
    sold: int
    admitted: int
    inside: int


class CountsOut(Schema):
    inside: int
    admitted: int
    blocks: list[BlockCountOut]
    per_gate: dict[str, int]


class OccupancyOut(Schema):
    timeslot: int
    start: datetime
    end: datetime
    capacity: int
    sold: int
    inside: int
