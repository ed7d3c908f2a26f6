"""Which ticket state changes an operator may make by hand (Ticket operations)."""

LIVE_STATES = frozenset({"unscanned", "scanned_in", "scanned_out", "blacklisted"})
BULK_ACTIONS = ("unscanned", "scanned_in", "scanned_out", "blacklisted", "reissue")

# target state -> states it may be set from. A blacklisting is lifted only by "unscanned",
# so a ticket cannot slip from blacklisted to used by a misclick.
MANUAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "unscanned": LIVE_STATES,
    "scanned_in": frozenset({"unscanned", "scanned_in", "scanned_out"}),
    "scanned_out": frozenset({"unscanned", "scanned_in", "scanned_out"}),
    "blacklisted": LIVE_STATES,
}


def manual_transition_allowed(current: str, target: str) -> bool:
    return current in MANUAL_TRANSITIONS.get(target, frozenset())


def reissued_state(state: str) -> str:
    """The state a reissued ticket's replacement starts in: its predecessor's. A reissue
    replaces barcodes, never entitlement: a blacklisted ticket stays blacklisted, one that is
    inside stays inside (its next entry is refused), one that left may come back only where
    re-entry is allowed."""
    if state not in LIVE_STATES:
        raise ValueError(f"Only a live ticket is reissued, not a {state} one")
    return state
