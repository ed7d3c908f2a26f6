"""Which ticket states an operator may set by hand (rules/tickets.py)."""

import pytest

from boxoffice.core.rules.tickets import BULK_ACTIONS, LIVE_STATES, MANUAL_TRANSITIONS, manual_transition_allowed

LIVE = ["unscanned", "scanned_in", "scanned_out", "blacklisted"]

# (current, target): allowed? — the whole table, written out.
EXPECTED = {
    ("unscanned", "unscanned"): True,
    ("unscanned", "scanned_in"): True,
    ("unscanned", "scanned_out"): True,
    ("unscanned", "blacklisted"): True,
    ("scanned_in", "unscanned"): True,
    ("scanned_in", "scanned_in"): True,
    ("scanned_in", "scanned_out"): True,
    ("scanned_in", "blacklisted"): True,
    ("scanned_out", "unscanned"): True,
    ("scanned_out", "scanned_in"): True,
    ("scanned_out", "scanned_out"): True,
    ("scanned_out", "blacklisted"): True,
    ("blacklisted", "unscanned"): True,
    ("blacklisted", "scanned_in"): False,
    ("blacklisted", "scanned_out"): False,
    ("blacklisted", "blacklisted"): True,
}


@pytest.mark.parametrize("current,target", sorted(EXPECTED))
def test_manual_transition_table(current, target):
    assert manual_transition_allowed(current, target) is EXPECTED[(current, target)]


@pytest.mark.parametrize("target", LIVE)
def test_void_ticket_can_never_be_revived(target):
    assert manual_transition_allowed("void", target) is False


@pytest.mark.parametrize("current", LIVE + ["void"])
@pytest.mark.parametrize("target", ["void", "reissue", "deleted", ""])
def test_void_and_reissue_are_not_states_set_by_hand(current, target):
    assert manual_transition_allowed(current, target) is False


def test_bulk_actions_are_the_four_states_and_reissue():
    assert BULK_ACTIONS == ("unscanned", "scanned_in", "scanned_out", "blacklisted", "reissue")
    assert set(MANUAL_TRANSITIONS) == set(LIVE) == set(LIVE_STATES)
    assert "void" not in LIVE_STATES
