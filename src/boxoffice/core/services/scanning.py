"""A scan at the gate (§4): the verdict, the state change and the log row.

Exactly once: an admit is a conditional UPDATE from the state the decision was made on, done
together with the insert of its log row (one statement on PostgreSQL, one transaction on
SQLite). Of two gates scanning one ticket at the same instant exactly one changes it; the
other reads the ticket again, locked this time, and is told why not. A rejection changes
nothing but the log.

This is the gate's hot path, so each statement is written out in SQL instead of being built
by the ORM on every request, and a scan that admits takes two of them: one SELECT of the
ticket with everything the verdict and the gate screen need (and the device's events; through
the API also the device itself, found by its token), then the UPDATE with the INSERT. On
PostgreSQL they run as prepared statements of the connection: planning the six-table SELECT
costs several times more than running it. bench/README.md
("Gate scanning") has the figures."""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from boxoffice.core import sql
from boxoffice.core.errors import Unauthenticated
from boxoffice.core.models import Buyer, Device, Event, Order, Scan, Ticket, TicketType, Timeslot
from boxoffice.core.rules.codes import normalize_barcode
from boxoffice.core.rules.scanning import ADMIT, TicketFacts, answer_level, decide, reject
from boxoffice.core.services.team import (
    DEVICE_COLUMNS,
    DEVICE_FIELDS,
    authenticate_device_token,
    device_from_row,
    token_digest,
)


@dataclass(frozen=True)
class ScanResult:
    verdict: str
    reason: str
    message: str
    ticket: Ticket | None
    scan: Scan

    @property
    def level(self) -> str:
        """How the gate shows it: admit-in, admit-out, talk (amber) or stop (red)."""
        return answer_level(self.verdict, self.reason, self.scan.direction)


def scan_ticket(device: Device, *, barcode: str, direction: str, scan_id: str | None = None, now: datetime | None = None,
                made_at: datetime | None = None) -> ScanResult:  # fmt: skip
    """Admit or reject one scan, log it, and move the ticket's state on an admit. With a
    `scan_id` already used by this device, the first answer comes back and nothing changes.
    `made_at`: when a gate that was offline made the scan; it is decided as of then (the
    visitor's time block) and logged with both times."""
    _check_direction(direction)
    received = now or timezone.now()
    now = When(received, _made_at(made_at, received))
    scan_id = scan_id or None

    def attempt() -> ScanResult:
        normalized = normalize_barcode(barcode)
        if normalized is None:
            return _answer(device, barcode, None, direction, reject("malformed_barcode"), scan_id, now)
        ticket, decision = _load_and_decide(device, normalized, direction, now)
        return _carry_out(device, barcode, normalized, ticket, decision, direction, scan_id, now)

    return _once_per_scan_id(device, scan_id, attempt)


def scan_with_token(token: str, *, barcode: str, direction: str, scan_id: str | None = None, now: datetime | None = None,
                    made_at: datetime | None = None) -> ScanResult:  # fmt: skip
    """scan_ticket for a device that sends its token with every scan (the API). The device is
    checked by the statement that reads the ticket: one round trip fewer per scan, a sixth of
    its cost (bench/README.md). An unknown or revoked token raises Unauthenticated and
    leaves nothing behind."""
    _check_direction(direction)
    received = now or timezone.now()
    now = When(received, _made_at(made_at, received))
    scan_id = scan_id or None
    normalized = normalize_barcode(barcode)
    if normalized is None:  # no ticket to read: the device is checked on its own
        device = authenticate_device_token(token)
        if device is None:
            raise Unauthenticated("A valid device token is required.")
        return scan_ticket(device, barcode=barcode, direction=direction, scan_id=scan_id, now=received, made_at=made_at)
    device, ticket, decision = _load_by_token_and_decide(token_digest(token), normalized, direction, now)
    if device is None:
        raise Unauthenticated("A valid device token is required.")
    attempt = partial(_carry_out, device, barcode, normalized, ticket, decision, direction, scan_id, now)
    return _once_per_scan_id(device, scan_id, attempt)


@dataclass(frozen=True)
class When:
    """A scan's times: received by the server, and made at the gate when that was earlier
    (sent late by a gate that was offline)."""

    at: datetime
    made_at: datetime | None = None

    @property
    def decided_at(self) -> datetime:
        return self.made_at or self.at


OFFLINE_LIMIT = timedelta(hours=48)


def _made_at(made_at: datetime | None, now: datetime) -> datetime | None:
    """Only a gate that kept a scan sends when it was made; a time after ours is a clock
    running ahead. Raises ValueError for a scan older than a gate can have kept (a wrong
    clock, a replayed request)."""
    if made_at is None:
        return None
    if made_at.tzinfo is None:
        raise ValueError("made_at needs a time zone")
    if made_at < now - OFFLINE_LIMIT:
        raise ValueError("made_at is more than 48 hours ago")
    return made_at if made_at < now else None  # a clock ahead of ours: it reached us at once


def _check_direction(direction: str) -> None:
    if direction not in ("in", "out"):
        raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")


def _once_per_scan_id(device: Device, scan_id: str | None, attempt) -> ScanResult:
    try:
        return attempt()
    except IntegrityError:
        # The log row's (device, scan_id) exists: this is a retry, and the failed statement
        # (or transaction) undid whatever this attempt changed. The first answer stands.
        earlier = _earlier_answer(device, scan_id) if scan_id else None
        if earlier is None:
            raise
        return earlier


def _carry_out(device, text, barcode, ticket, decision, direction, scan_id, now) -> ScanResult:
    """Log a rejection, or admit: move the ticket's state and log it, atomically."""
    if decision.verdict != ADMIT:
        return _answer(device, text, ticket, direction, decision, scan_id, now)
    if scan := _admit(device, text, ticket, direction, decision, scan_id, now):
        return ScanResult(decision.verdict, decision.reason, decision.message, ticket, scan)
    # Another gate changed the ticket since it was read: read it again, locked this time, and
    # decide on what that gate did.
    with transaction.atomic():
        ticket, decision = _load_and_decide(device, barcode, direction, now, lock=True)
        if decision.verdict != ADMIT:
            return _answer(device, text, ticket, direction, decision, scan_id, now)
        if scan := _admit(device, text, ticket, direction, decision, scan_id, now):
            return ScanResult(decision.verdict, decision.reason, decision.message, ticket, scan)
        raise RuntimeError(f"ticket {barcode} changed while locked")


def _answer(device, text, ticket, direction, decision, scan_id, now) -> ScanResult:
    """A rejection: only the log row."""
    with _one_statement():
        ((pk,),) = sql.execute(_LOG_SQL, _log_params(device, text, ticket, direction, decision, scan_id, now))
    scan = _scan_row(pk, device, text, ticket, direction, decision, scan_id, now)
    return ScanResult(decision.verdict, decision.reason, decision.message, ticket, scan)


# The ticket and everything the verdict and the answer need, in one SELECT; the join of
# core_device_events adds one row per event the device is limited to (none: it may scan every
# event of its organizer).
_TICKET_COLUMNS = """t."id", t."order_id", t."event_id", t."timeslot_id", t."ticket_type_id", t."barcode", t."state",
       t."void_reason", t."attendee_name", t."state_changed_at", t."last_scan_gate",
       o."organizer_id", o."code", o."status", o."buyer_id", b."name",
       s."start", s."end", e."name", e."timezone", e."reentry_allowed", e."admit_before_minutes",
       e."admit_after_minutes", tt."name"
"""
_TICKET_TABLES = """"core_ticket" t
JOIN "core_order" o ON o."id" = t."order_id"
JOIN "core_buyer" b ON b."id" = o."buyer_id"
JOIN "core_timeslot" s ON s."id" = t."timeslot_id"
JOIN "core_event" e ON e."id" = t."event_id"
JOIN "core_tickettype" tt ON tt."id" = t."ticket_type_id"
"""
_LOAD_SQL = f"""
SELECT {_TICKET_COLUMNS}, de."event_id"
FROM {_TICKET_TABLES}
LEFT JOIN "core_device_events" de ON de."device_id" = %s
WHERE t."barcode" = %s AND o."organizer_id" = %s
"""
# The same for a device known by its token only: no row if the token is unknown or revoked;
# rows without a ticket if the barcode is not one of the device's organizer's tickets.
_LOAD_BY_TOKEN_SQL = f"""
SELECT {DEVICE_COLUMNS}, {_TICKET_COLUMNS}, de."event_id"
FROM "core_device" d
LEFT JOIN "core_device_events" de ON de."device_id" = d."id"
LEFT JOIN ({_TICKET_TABLES}) ON t."barcode" = %s AND o."organizer_id" = d."organizer_id"
WHERE d."digest" = %s AND d."revoked_at" IS NULL
"""


def _load_and_decide(device: Device, barcode: str, direction: str, now: "When", lock: bool = False):
    statement = _LOAD_SQL + (" FOR UPDATE OF t" if lock and connection.features.has_select_for_update_of else "")
    # Another organizer's ticket is unknown here: the device learns nothing about it.
    rows = sql.execute(statement, [device.pk, barcode, device.organizer_id])
    if rows:
        device._event_ids = frozenset(row[-1] for row in rows if row[-1] is not None)  # see device_event_ids
    return _decided(device, rows[0][:-1] if rows else None, direction, now.decided_at)


def _load_by_token_and_decide(digest: str, barcode: str, direction: str, now: "When"):
    """(device, ticket, decision), or (None, None, None) for a token of no device."""
    rows = sql.execute(_LOAD_BY_TOKEN_SQL, [barcode, digest])
    if not rows:
        return None, None, None
    device = device_from_row(rows[0])
    device._event_ids = frozenset(row[-1] for row in rows if row[-1] is not None)  # see device_event_ids
    ticket_row = rows[0][len(DEVICE_FIELDS) : -1]
    return device, *_decided(device, ticket_row if ticket_row[0] is not None else None, direction, now.decided_at)


def _decided(device: Device, ticket_row, direction: str, now: datetime):
    if ticket_row is None:
        return None, decide(None, direction=direction, now=now, device_event_ids=frozenset())
    ticket, facts = _ticket_and_facts(ticket_row)
    return ticket, decide(facts, direction=direction, now=now, device_event_ids=device_event_ids(device))


def _ticket_and_facts(row) -> tuple[Ticket, TicketFacts]:
    (ticket_id, order_id, event_id, timeslot_id, ticket_type_id, barcode, state, void_reason, attendee_name,
     state_changed_at, last_scan_gate, organizer_id, code, status, buyer_id, buyer_name, start, end, event_name,
     tz, reentry_allowed, admit_before, admit_after, ticket_type_name) = row  # fmt: skip
    start, end, state_changed_at = sql.aware(start), sql.aware(end), sql.aware(state_changed_at)
    facts = TicketFacts(
        state=state,
        void_reason=void_reason,
        order_status=status,
        event_id=event_id,
        event_name=event_name,
        timezone=tz,
        start=start,
        end=end,
        admit_before=timedelta(minutes=admit_before),
        admit_after=timedelta(minutes=admit_after),
        reentry_allowed=bool(reentry_allowed),
        state_changed_at=state_changed_at,
        last_scan_gate=last_scan_gate,
    )
    # Model instances with only these fields loaded (any other field is fetched if read), as
    # select_related would give them, for the API's and the gate page's answer.
    event = sql.loaded(Event, id=event_id, name=event_name, timezone=tz, reentry_allowed=bool(reentry_allowed),
                    admit_before_minutes=admit_before, admit_after_minutes=admit_after)  # fmt: skip
    order = sql.loaded(Order, id=order_id, organizer_id=organizer_id, code=code, status=status, buyer_id=buyer_id)
    order.buyer = sql.loaded(Buyer, id=buyer_id, name=buyer_name)
    ticket = sql.loaded(
        Ticket, id=ticket_id, order_id=order_id, event_id=event_id, timeslot_id=timeslot_id,
        ticket_type_id=ticket_type_id, barcode=barcode, state=state, void_reason=void_reason,
        attendee_name=attendee_name, state_changed_at=state_changed_at, last_scan_gate=last_scan_gate,
    )  # fmt: skip
    ticket.order, ticket.event = order, event
    ticket.timeslot = sql.loaded(Timeslot, id=timeslot_id, event_id=event_id, start=start, end=end)
    ticket.ticket_type = sql.loaded(TicketType, id=ticket_type_id, event_id=event_id, name=ticket_type_name)
    return ticket, facts


def device_event_ids(device: Device) -> frozenset[int]:
    """The events the device is limited to; empty: every event of its organizer."""
    if getattr(device, "_event_ids", None) is None:
        device._event_ids = frozenset(device.events.values_list("pk", flat=True))
    return device._event_ids


# The conditional UPDATE, only from the state the decision was made on ({states}: one %s per
# state), and the log row of the admit.
_APPLY_SQL = """
UPDATE "core_ticket" SET "state" = %s, "state_changed_at" = %s, "last_scan_gate" = %s
WHERE "id" = %s AND "state" IN ({states})
"""
_LOG_COLUMNS = ("organizer_id", "device_id", "gate", "ticket_id", "order_id", "barcode", "direction", "verdict",
                "reason", "message", "scan_id", "at", "made_at")  # fmt: skip
_COLUMN_LIST = ", ".join(f'"{c}"' for c in _LOG_COLUMNS)
_VALUE_LIST = ", ".join(["%s"] * len(_LOG_COLUMNS))
_LOG_SQL = f'INSERT INTO "core_scan" ({_COLUMN_LIST}) VALUES ({_VALUE_LIST}) RETURNING "id"'
# PostgreSQL: both in one statement; the log row is written only if the UPDATE changed the ticket.
_ADMIT_SQL = f"""
WITH changed AS ({_APPLY_SQL} RETURNING "id")
INSERT INTO "core_scan" ({_COLUMN_LIST}) SELECT {_VALUE_LIST} FROM changed RETURNING "id"
"""


def _admit(device, text, ticket, direction, decision, scan_id, now) -> Scan | None:
    """Move the ticket to its new state and log the admit, atomically; None, and nothing
    changed, if the ticket is no longer in the state the decision was made on."""
    states = sorted(decision.from_states)
    gate = device.gate or device.name
    update = [decision.new_state, connection.ops.adapt_datetimefield_value(now.decided_at), gate, ticket.pk, *states]
    log = _log_params(device, text, ticket, direction, decision, scan_id, now)
    placeholders = ", ".join(["%s"] * len(states))
    if connection.vendor == "postgresql":
        with _one_statement():
            rows = sql.execute(_ADMIT_SQL.format(states=placeholders), update + log)
        pk = rows[0][0] if rows else None
    else:
        with transaction.atomic():
            changed = sql.execute(_APPLY_SQL.format(states=placeholders), update, rows=False) == 1
            pk = sql.execute(_LOG_SQL, log)[0][0] if changed else None
    if pk is None:
        return None
    ticket.state, ticket.state_changed_at, ticket.last_scan_gate = decision.new_state, now.decided_at, gate
    return _scan_row(pk, device, text, ticket, direction, decision, scan_id, now)


def _one_statement():
    """Nothing around a single statement, which is atomic by itself; inside a caller's
    transaction, a savepoint, so that a refused insert (a retried scan_id) leaves it usable."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _log_values(device, text, ticket, direction, decision, scan_id, now) -> dict:
    return {
        "organizer_id": device.organizer_id,
        "device_id": device.pk,
        "gate": device.gate,
        "ticket_id": ticket.pk if ticket else None,
        "order_id": ticket.order_id if ticket else None,
        "barcode": text.strip()[:64],
        "direction": direction,
        "verdict": decision.verdict,
        "reason": decision.reason,
        "message": decision.message,
        "scan_id": scan_id,
        "at": now.at,
        "made_at": now.made_at,
    }


def _log_params(*args) -> list:
    values = _log_values(*args)
    for moment in ("at", "made_at"):
        values[moment] = connection.ops.adapt_datetimefield_value(values[moment])
    return [values[c] for c in _LOG_COLUMNS]


def _scan_row(pk, device, text, ticket, direction, decision, scan_id, now) -> Scan:
    """The Scan just inserted, as the ORM would have returned it."""
    scan = Scan(id=pk, **_log_values(device, text, ticket, direction, decision, scan_id, now))
    scan._state.adding, scan._state.db = False, connection.alias
    if ticket is not None:
        scan.ticket = ticket
    scan.device = device
    return scan


def _earlier_answer(device: Device, scan_id: str) -> ScanResult | None:
    scan = (
        Scan.objects.select_related("ticket__order__buyer", "ticket__timeslot", "ticket__event", "ticket__ticket_type")
        .filter(device=device, scan_id=scan_id)
        .first()
    )
    if scan is None:
        return None
    return ScanResult(scan.verdict, scan.reason, scan.message, scan.ticket, scan)

