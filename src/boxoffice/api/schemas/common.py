from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, PlainSerializer, StrictInt, WithJsonSchema, model_validator

# Money and percentages leave the API as decimal strings with two places ("12.50", "9.00"),
# whether the value was read from the database or just parsed from a request ("12.5").
MONEY_PATTERN = r"^-?\d{1,10}\.\d{2}$"
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["17.50"]}),
]
# ...and come in as decimal strings too (a JSON number is taken as well): "17.50", "9", "0.5".
MONEY_IN_PATTERN = r"^\d{1,10}(\.\d{1,2})?$"


def money_in(description: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": MONEY_IN_PATTERN, "description": description, "examples": ["17.50"]})


# An id sent in a body or a query: a number the database can hold (a bigger one is a 422).
MAX_ID = 10**18
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
StrictId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


def in_timezone(moment: datetime | None, tz_name: str) -> datetime | None:
    """The moment in the event's time zone, or in UTC where that zone's offset then had
    seconds (local mean time before 1900: "+00:19:32" is no valid ISO 8601 offset)."""
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(tz_name))
    return local if local.utcoffset().seconds % 60 == 0 else moment.astimezone(UTC)


class ObjectBody(Schema):
    """A request body that must be a JSON object. Ninja reads schemas from any value's
    attributes, so without this a body of `[]` or `null` would pass as an empty update."""

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, data):
        raw = data._obj if isinstance(data, DjangoGetter) else data  # ninja wraps the value first
        if not isinstance(raw, dict):
            raise ValueError("The request body must be a JSON object.")
        return data
