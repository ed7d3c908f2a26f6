"""The gate's verdict on one scan, as a pure function of what is known about the ticket.
The service turns an admit into one conditional UPDATE from `from_states` to `new_state`."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

ADMIT, REJECT = "admit", "reject"

# reason code -> what the gate screen says (some get details filled in)
REASONS = {
    "admitted": "welcome",
    "readmitted": "welcome back",
    "exited": "goodbye",
    "already_inside": "already scanned in",
    "not_inside": "ticket is not scanned in",
    "reentry_not_allowed": "ticket was already used; re-entry is not allowed",
    "blacklisted": "ticket is blacklisted",
    "reissued": "ticket was reissued",
    "purchase_removed": "purchase was removed",
    "unpaid": "ticket is not paid",
    "wrong_event": "ticket is for another event",
    "wrong_timeslot": "ticket is for another time",
    "unknown_ticket": "unknown ticket",
    "malformed_barcode": "not a ticket barcode",
}


# How the gate shows a verdict. A rejection with one of these reasons is a person to talk to
# (amber): the ticket is good but not now, not here or not again. Every other rejection is a
# ticket that must not pass (red): blacklisted, void, removed, unknown.
TALK_TO_REASONS = frozenset({
    "already_inside", "not_inside", "reentry_not_allowed", "wrong_timeslot", "wrong_event", "unpaid",
})  # fmt: skip
ADMIT_IN, ADMIT_OUT, TALK, STOP = "admit-in", "admit-out", "talk", "stop"


def answer_level(verdict: str, reason: str, direction: str) -> str:
    """admit-in / admit-out (green, told apart), talk (amber), stop (red)."""
    if verdict == ADMIT:
        return ADMIT_OUT if direction == "out" else ADMIT_IN
    return TALK if reason in TALK_TO_REASONS else STOP


@dataclass(frozen=True)
class TicketFacts:
    state: str
    void_reason: str
    order_status: str
    event_id: int
    event_name: str
    timezone: str
    start: datetime
    end: datetime
    admit_before: timedelta
    admit_after: timedelta
    reentry_allowed: bool
    state_changed_at: datetime | None
    last_scan_gate: str


@dataclass(frozen=True)
class Decision:
    verdict: str
    reason: str
    message: str
    new_state: str | None = None
    from_states: frozenset[str] = frozenset()


def reject(reason: str, message: str | None = None) -> Decision:
    return Decision(REJECT, reason, message or REASONS[reason])


def decide(facts: TicketFacts | None, *, direction: str, now: datetime, device_event_ids: frozenset[int]) -> Decision:
    """`device_event_ids` empty means the device may scan every event of its organizer."""
    if facts is None:
        return reject("unknown_ticket")
    if device_event_ids and facts.event_id not in device_event_ids:
        return reject("wrong_event", f"ticket is for {facts.event_name}")
    if facts.state == "void":
        return reject("reissued" if facts.void_reason == "reissued" else "purchase_removed")
    if facts.order_status == "removed":
        return reject("purchase_removed")
    if facts.state == "blacklisted":
        return reject("blacklisted")
    if facts.order_status != "paid":
        return reject("unpaid")
    return _scan_in(facts, now) if direction == "in" else _scan_out(facts)


def _scan_in(facts: TicketFacts, now: datetime) -> Decision:
    if now < facts.start - facts.admit_before or now > facts.end + facts.admit_after:
        return reject("wrong_timeslot", f"ticket is for {slot_text(facts, now)}")
    if facts.state == "unscanned":
        return Decision(ADMIT, "admitted", REASONS["admitted"], "scanned_in", frozenset({"unscanned"}))
    if facts.state == "scanned_in":
        return reject("already_inside", already_inside_text(facts))
    if facts.reentry_allowed:
        return Decision(ADMIT, "readmitted", REASONS["readmitted"], "scanned_in", frozenset({"scanned_out"}))
    return reject("reentry_not_allowed")


def _scan_out(facts: TicketFacts) -> Decision:
    if facts.state == "scanned_in":
        return Decision(ADMIT, "exited", REASONS["exited"], "scanned_out", frozenset({"scanned_in"}))
    return reject("not_inside")


def slot_text(facts: TicketFacts, now: datetime) -> str:
    """"15:00–16:00" today, "Sat 14 Mar 15:00–16:00" on another day, in the event's time."""
    tz = ZoneInfo(facts.timezone)
    start, end = facts.start.astimezone(tz), facts.end.astimezone(tz)
    times = f"{start:%H:%M}–{end:%H:%M}" if start.date() == end.date() else f"{start:%H:%M}–{end:%a %d %b %H:%M}"
    return times if start.date() == now.astimezone(tz).date() else f"{start:%a %d %b} {times}"


def already_inside_text(facts: TicketFacts) -> str:
    if facts.state_changed_at is None:
        return REASONS["already_inside"]
    at = facts.state_changed_at.astimezone(ZoneInfo(facts.timezone))
    where = facts.last_scan_gate or "box office"
    return f"already scanned in at {at:%H:%M} ({where})"
