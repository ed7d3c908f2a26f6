"""How things are named in operator-facing messages."""

from zoneinfo import ZoneInfo

from boxoffice.core.models import Timeslot


def timeslot_label(timeslot: Timeslot) -> str:
    tz = ZoneInfo(timeslot.event.timezone)
    start, end = timeslot.start.astimezone(tz), timeslot.end.astimezone(tz)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
