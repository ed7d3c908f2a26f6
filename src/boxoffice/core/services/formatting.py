"""How things are named in operator-facing messages."""

from zoneinfo import ZoneInfo

from boxoffice.core.models import Timeslot


def timeslot_label(timeslot: Timeslot) -> str:
    """A time block in the event's time zone: "Fri 11 Dec 2026 14:00–15:00"."""
    return block_label(timeslot.start, timeslot.end, timeslot.event.timezone)


def block_label(start, end, tz_name: str, *, year: bool = True) -> str:
    """A time block for people: "Fri 11 Dec 2026 14:00–15:00", both days for one that runs
    over several."""
    tz = ZoneInfo(tz_name)
    start, end = start.astimezone(tz), end.astimezone(tz)
    day = f"{start:%a} {start.day} {start:%b}" + (f" {start:%Y}" if year else "")
    if start.date() == end.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {end:%a} {end.day} {end:%b}" + (f" {end:%Y}" if year else "") + f" {end:%H:%M}"
