"""What the purchase wizard remembers between its steps: kept server-side in the session,
one entry per wizard instance (two tabs selling at once never share one). It holds only
ids and typed values; the service checks all of it again when the sale is made."""

import secrets
from dataclasses import asdict, dataclass, field

SELL = "sell"
EDIT = "edit"
_KEY = "wizard:"
_INDEX = "wizards"
# Abandoned wizards are forgotten, oldest first, once a session holds more than this.
MAX_OPEN = 12


@dataclass
class WizardState:
    wid: str
    kind: str  # SELL or EDIT
    organizer_id: int
    event_id: int
    order_code: str = ""  # EDIT: the order being changed
    quantities: dict[str, int] = field(default_factory=dict)  # ticket type id -> quantity
    timeslot_id: int | None = None
    from_timeslot_id: int | None = None  # EDIT: move only the tickets of this time block
    email: str = ""
    name: str = ""
    phone: str = ""
    language: str = "en"
    payment_method: str = "card"
    cash_tendered: str = ""  # as typed, so that a failed Finish purchase shows it again
    send_tickets: bool = True
    send_receipt: bool = False
    reviewed: bool = False
    moves: list[dict] = field(default_factory=list)  # EDIT: {"tickets": n, "to": label} per reschedule

    @property
    def is_edit(self) -> bool:
        return self.kind == EDIT

    @property
    def ticket_count(self) -> int:
        return sum(self.quantities.values())

    @property
    def has_tickets(self) -> bool:
        return self.ticket_count > 0 and self.timeslot_id is not None

    @property
    def has_buyer(self) -> bool:
        return bool(self.name)  # a walk-in has no email

    @property
    def walk_in(self) -> bool:
        return bool(self.name) and not self.email


def start(session, **fields) -> WizardState:
    state = WizardState(wid=secrets.token_urlsafe(6), **fields)
    index = [wid for wid in session.get(_INDEX, []) if _KEY + wid in session]
    while len(index) >= MAX_OPEN:
        session.pop(_KEY + index.pop(0), None)
    session[_INDEX] = [*index, state.wid]
    save(session, state)
    return state


def load(session, wid: str, *, organizer_id: int) -> WizardState | None:
    """The wizard with this id, if this session opened it for this organizer."""
    data = session.get(_KEY + wid)
    if not isinstance(data, dict) or data.get("organizer_id") != organizer_id:
        return None
    try:
        return WizardState(**data)
    except TypeError:  # stored by an older version of this module
        return None


def save(session, state: WizardState) -> None:
    session[_KEY + state.wid] = asdict(state)


def discard(session, state: WizardState) -> None:
    session.pop(_KEY + state.wid, None)
    session[_INDEX] = [wid for wid in session.get(_INDEX, []) if wid != state.wid]
