from datetime import datetime
from zoneinfo import ZoneInfo


def in_timezone(moment: datetime | None, tz_name: str) -> datetime | None:
    return moment.astimezone(ZoneInfo(tz_name)) if moment else None
