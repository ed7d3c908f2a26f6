from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AwareDatetime

from boxoffice.api.schemas.common import Money, ObjectBody, in_timezone, money_in
from boxoffice.core.services.sales import MAX_TICKETS_PER_ORDER
from boxoffice.core.services.setup import MAX_QUOTA


class EventIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    venue: str = Field("", max_length=200)
    address: str = Field("", max_length=500)
    timezone: str | None = Field(None, description="IANA name; the organizer's by default")
    currency: str | None = Field(None, min_length=3, max_length=3)
    reentry_allowed: bool = False
    admit_before_minutes: int = Field(30, ge=0, le=24 * 60)
    admit_after_minutes: int = Field(0, ge=0, le=24 * 60)


class EventPatch(ObjectBody):
    name: str | None = Field(None, min_length=1, max_length=200)
    venue: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    timezone: str | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    reentry_allowed: bool | None = None
    admit_before_minutes: int | None = Field(None, ge=0, le=24 * 60)
    admit_after_minutes: int | None = Field(None, ge=0, le=24 * 60)


class EventOut(Schema):
    id: int
    name: str
    venue: str
    address: str
    timezone: str
    currency: str
    reentry_allowed: bool
    admit_before_minutes: int
    admit_after_minutes: int


class TimeslotIn(Schema):
    start: AwareDatetime
    end: AwareDatetime
    capacity: int = Field(ge=0, le=10_000_000)


class TimeslotPatch(ObjectBody):
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    capacity: int | None = Field(None, ge=0, le=10_000_000)
    closed: bool | None = Field(None, description="Closed for sale: its tickets stay valid, nothing more is sold into it")


class TimeslotOut(Schema):
    id: int
    event: int = Field(alias="event_id")
    start: datetime
    end: datetime
    capacity: int
    sold: int
    available: int
    closed: bool

    @staticmethod
    def resolve_start(obj):
        return in_timezone(obj.start, obj.event.timezone)

    @staticmethod
    def resolve_end(obj):
        return in_timezone(obj.end, obj.event.timezone)


class TicketTypeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    price: Annotated[Decimal, money_in("Including VAT, e.g. \"17.50\"")] = Field(ge=0, max_digits=10, decimal_places=2)
    vat_rate: Annotated[Decimal, money_in("Percent, e.g. \"9\"")] = Field(
        Decimal("0"), ge=0, le=100, max_digits=5, decimal_places=2
    )
    quota: int | None = Field(None, ge=1, le=MAX_QUOTA)
    max_per_order: int | None = Field(None, ge=1, le=MAX_TICKETS_PER_ORDER)


class TicketTypeOut(Schema):
    id: int
    event: int = Field(alias="event_id")
    name: str
    price: Money
    vat_rate: Money
    quota: int | None
    sold: int
    max_per_order: int | None
