"""The gate's verdict as a pure rule (rules/scanning.py): no database, a fixed `now`."""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.rules.scanning import ADMIT, REASONS, REJECT, TicketFacts, decide

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2027, 3, 1, 15, 0, tzinfo=AMS)
END = START + timedelta(hours=1)
DURING = START + timedelta(minutes=20)

FACTS = TicketFacts(
    state="unscanned",
    void_reason="",
    order_status="paid",
    event_id=1,
    event_name="Old Masters",
    timezone="Europe/Amsterdam",
    start=START,
    end=END,
    admit_before=timedelta(minutes=30),
    admit_after=timedelta(minutes=15),
    reentry_allowed=False,
    state_changed_at=None,
    last_scan_gate="",
)


def verdict(facts=FACTS, *, direction="in", now=DURING, events=frozenset()):
    return decide(facts, direction=direction, now=now, device_event_ids=frozenset(events))


def test_unscanned_ticket_is_admitted_and_moves_to_scanned_in():
    decision = verdict()
    assert (decision.verdict, decision.reason, decision.message) == (ADMIT, "admitted", "welcome")
    assert decision.new_state == "scanned_in"
    assert decision.from_states == {"unscanned"}


def test_scan_out_of_a_ticket_inside_moves_it_to_scanned_out():
    decision = verdict(replace(FACTS, state="scanned_in"), direction="out")
    assert (decision.verdict, decision.reason, decision.new_state) == (ADMIT, "exited", "scanned_out")
    assert decision.from_states == {"scanned_in"}


@pytest.mark.parametrize("state", ["unscanned", "scanned_out"])
def test_scan_out_of_a_ticket_that_is_not_inside_is_refused(state):
    decision = verdict(replace(FACTS, state=state), direction="out")
    assert (decision.verdict, decision.reason, decision.new_state) == (REJECT, "not_inside", None)


def test_reentry_after_an_exit_is_admitted_when_the_event_allows_it():
    decision = verdict(replace(FACTS, state="scanned_out", reentry_allowed=True))
    assert (decision.verdict, decision.reason, decision.message) == (ADMIT, "readmitted", "welcome back")
    assert decision.from_states == {"scanned_out"} and decision.new_state == "scanned_in"


def test_reentry_after_an_exit_is_refused_when_the_event_does_not_allow_it():
    decision = verdict(replace(FACTS, state="scanned_out", reentry_allowed=False))
    assert (decision.verdict, decision.reason) == (REJECT, "reentry_not_allowed")


def test_already_inside_tells_when_and_at_which_gate_in_the_event_timezone():
    scanned = datetime(2027, 3, 1, 14, 2, tzinfo=ZoneInfo("UTC"))  # 15:02 in Amsterdam
    facts = replace(FACTS, state="scanned_in", state_changed_at=scanned, last_scan_gate="Gate A")
    decision = verdict(facts)
    assert (decision.verdict, decision.reason) == (REJECT, "already_inside")
    assert decision.message == "already scanned in at 15:02 (Gate A)"


def test_already_inside_set_by_hand_names_the_box_office():
    facts = replace(FACTS, state="scanned_in", state_changed_at=START, last_scan_gate="")
    assert verdict(facts).message == "already scanned in at 15:00 (box office)"


def test_blacklisted_ticket_is_refused_with_the_gate_message():
    decision = verdict(replace(FACTS, state="blacklisted"))
    assert (decision.verdict, decision.reason, decision.message) == (REJECT, "blacklisted", "ticket is blacklisted")


def test_blacklisted_ticket_cannot_scan_out_either():
    assert verdict(replace(FACTS, state="blacklisted"), direction="out").reason == "blacklisted"


@pytest.mark.parametrize(
    "void_reason,reason", [("reissued", "reissued"), ("removed", "purchase_removed")]
)
def test_void_ticket_is_refused_with_why_it_is_void(void_reason, reason):
    decision = verdict(replace(FACTS, state="void", void_reason=void_reason))
    assert (decision.verdict, decision.reason, decision.message) == (REJECT, reason, REASONS[reason])


def test_removed_purchase_is_refused_before_anything_else_about_the_ticket():
    decision = verdict(replace(FACTS, state="blacklisted", order_status="removed"))
    assert decision.reason == "purchase_removed"


@pytest.mark.parametrize("direction", ["in", "out"])
def test_unpaid_order_is_refused(direction):
    decision = verdict(replace(FACTS, order_status="pending", state="scanned_in"), direction=direction)
    assert (decision.verdict, decision.reason) == (REJECT, "unpaid")


def test_device_limited_to_other_events_refuses_the_ticket_and_names_its_event():
    decision = verdict(events={2, 3})
    assert (decision.verdict, decision.reason, decision.message) == (REJECT, "wrong_event", "ticket is for Old Masters")


def test_device_limited_to_the_ticket_event_admits_it():
    assert verdict(events={1, 2}).verdict == ADMIT


def test_device_without_event_limit_admits_every_event_of_its_organizer():
    assert verdict(events=set()).verdict == ADMIT


def test_unknown_ticket_is_refused():
    decision = decide(None, direction="in", now=DURING, device_event_ids=frozenset())
    assert (decision.verdict, decision.reason, decision.message) == (REJECT, "unknown_ticket", "unknown ticket")


@pytest.mark.parametrize(
    "now,admitted",
    [
        (START - timedelta(minutes=31), False),
        (START - timedelta(minutes=30), True),  # the earliest moment the event lets people in
        (START, True),
        (END, True),
        (END + timedelta(minutes=15), True),  # the latest moment
        (END + timedelta(minutes=16), False),
    ],
)
def test_scan_in_is_admitted_only_within_the_event_admission_window(now, admitted):
    decision = verdict(now=now)
    assert decision.verdict == (ADMIT if admitted else REJECT)
    if not admitted:
        assert (decision.reason, decision.message) == ("wrong_timeslot", "ticket is for 15:00–16:00")


def test_wrong_timeslot_on_another_day_names_the_day():
    decision = verdict(now=START + timedelta(days=1))
    assert decision.message == "ticket is for Mon 01 Mar 15:00–16:00"


def test_wrong_timeslot_shows_the_times_in_the_event_timezone():
    facts = replace(FACTS, timezone="Europe/London")
    assert verdict(facts, now=START - timedelta(hours=2)).message == "ticket is for 14:00–15:00"


def test_timeslot_is_not_checked_on_the_way_out():
    late = END + timedelta(hours=3)
    assert verdict(replace(FACTS, state="scanned_in"), direction="out", now=late).reason == "exited"


def test_every_reason_has_a_gate_message():
    assert all(isinstance(message, str) and message for message in REASONS.values())
    assert REASONS["blacklisted"] == "ticket is blacklisted"
    assert REASONS["unknown_ticket"] == "unknown ticket"
