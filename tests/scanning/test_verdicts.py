"""Every verdict of POST /api/v1/scan (§4): the reason code, the gate message, the ticket's
context, the ticket's state afterwards and the Scan row that logs the attempt."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.models import Scan, Ticket
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import setup
from boxoffice.core.services import tickets as ticket_services

from .conftest import barcodes

AMS = ZoneInfo("Europe/Amsterdam")


def state(barcode: str) -> str:
    return Ticket.objects.get(barcode=barcode).state


def last_scan() -> Scan:
    return Scan.objects.order_by("pk").last()


def assert_answer(answer: dict, verdict: str, reason: str, message: str | None = None) -> None:
    assert (answer["verdict"], answer["reason"]) == (verdict, reason), answer
    if message is not None:
        assert answer["message"] == message, answer


def assert_logged(scanner, answer: dict, barcode: str, direction: str = "in") -> Scan:
    scan = last_scan()
    assert (scan.device_id, scan.gate, scan.barcode, scan.direction) == (scanner.device.pk, "Gate A", barcode, direction)
    assert (scan.verdict, scan.reason, scan.message) == (answer["verdict"], answer["reason"], answer["message"])
    return scan


def test_unscanned_ticket_is_admitted_with_its_context(gate_a, sell_now, now_slot, adult):
    order = sell_now(1, name="Ann Buyer")
    (barcode,) = barcodes(order)
    answer = gate_a.scan(barcode)
    assert_answer(answer, "admit", "admitted", "welcome")
    assert answer["gate"] == "Gate A"
    ticket = answer["ticket"]
    assert (ticket["barcode"], ticket["state"], ticket["ticket_type"]) == (barcode, "scanned_in", "Adult")
    assert (ticket["order_code"], ticket["attendee_name"], ticket["event"]) == (order.code, "Ann Buyer", "Old Masters")
    assert ticket["timeslot"] == now_slot.pk
    assert datetime.fromisoformat(ticket["timeslot_start"]) == now_slot.start
    assert datetime.fromisoformat(ticket["timeslot_start"]).utcoffset() == now_slot.start.astimezone(AMS).utcoffset()
    assert state(barcode) == "scanned_in"
    scan = assert_logged(gate_a, answer, barcode)
    assert (scan.ticket.barcode, scan.order_id, scan.organizer_id) == (barcode, order.pk, order.organizer_id)
    assert abs(datetime.fromisoformat(answer["scanned_at"]) - scan.at) < timedelta(milliseconds=1)


def test_scan_out_of_a_ticket_inside_says_goodbye(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode)
    answer = gate_a.scan(barcode, "out")
    assert_answer(answer, "admit", "exited", "goodbye")
    assert state(barcode) == answer["ticket"]["state"] == "scanned_out"
    assert_logged(gate_a, answer, barcode, "out")


def test_reentry_is_admitted_when_the_event_allows_it(gate_a, sell_now, event, admin):
    setup.update_event(event, reentry_allowed=True, actor=admin)
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode)
    gate_a.scan(barcode, "out")
    answer = gate_a.scan(barcode)
    assert_answer(answer, "admit", "readmitted", "welcome back")
    assert state(barcode) == "scanned_in"


def test_reentry_is_refused_when_the_event_does_not_allow_it(gate_a, sell_now, event):
    assert event.reentry_allowed is False
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode)
    gate_a.scan(barcode, "out")
    answer = gate_a.scan(barcode)
    assert_answer(answer, "reject", "reentry_not_allowed")
    assert state(barcode) == "scanned_out"
    assert_logged(gate_a, answer, barcode)


def test_second_scan_in_tells_when_and_where_the_ticket_went_in(gate_a, gate_b, sell_now):
    (barcode,) = barcodes(sell_now(1))
    first = gate_a.scan(barcode)
    at = datetime.fromisoformat(first["scanned_at"]).astimezone(AMS)
    answer = gate_b.scan(barcode)
    assert_answer(answer, "reject", "already_inside", f"already scanned in at {at:%H:%M} (Gate A)")
    assert answer["gate"] == "Gate B"
    assert answer["ticket"]["state"] == "scanned_in"
    assert Scan.objects.filter(ticket__barcode=barcode, verdict="admit").count() == 1


@pytest.mark.parametrize("earlier", [None, "out"])
def test_scan_out_of_a_ticket_that_is_not_inside_is_refused(gate_a, sell_now, earlier):
    (barcode,) = barcodes(sell_now(1))
    if earlier:
        gate_a.scan(barcode)
        gate_a.scan(barcode, "out")
    before = state(barcode)
    answer = gate_a.scan(barcode, "out")
    assert_answer(answer, "reject", "not_inside", "ticket is not scanned in")
    assert state(barcode) == before
    assert_logged(gate_a, answer, barcode, "out")


def test_blacklisted_ticket_is_refused_with_ticket_is_blacklisted(gate_a, sell_now, operator):
    order = sell_now(2)
    blocked, fine = barcodes(order)
    ticket_services.set_ticket_states(order, barcodes=[blocked], state="blacklisted", actor=operator)
    answer = gate_a.scan(blocked)
    assert_answer(answer, "reject", "blacklisted", "ticket is blacklisted")
    assert answer["ticket"]["order_code"] == order.code
    assert state(blocked) == "blacklisted"
    assert_logged(gate_a, answer, blocked)
    assert gate_a.scan(fine)["verdict"] == "admit"


def test_reissued_ticket_is_refused_and_its_replacement_admitted(gate_a, sell_now, operator):
    order = sell_now(1)
    (old,) = barcodes(order)
    (new,) = [t.barcode for t in ticket_services.reissue_tickets(order, actor=operator)]
    answer = gate_a.scan(old)
    assert_answer(answer, "reject", "reissued", "ticket was reissued")
    assert state(old) == "void"
    assert_logged(gate_a, answer, old)
    assert_answer(gate_a.scan(new), "admit", "admitted")


def test_a_reissue_replaces_barcodes_not_entitlement(gate_a, gate_b, sell_now, operator):
    """Each new ticket is what its old one was: inside stays inside (a second entry on the new
    barcode is refused, naming the gate the first one used), blacklisted stays blacklisted,
    scanned out stays out (and may not come back without re-entry), unused stays unused."""
    order = sell_now(4)
    inside, left, stopped, unused = barcodes(order)
    gate_a.scan(inside)
    gate_a.scan(left)
    gate_b.scan(left, "out")
    ticket_services.set_ticket_states(order, barcodes=[stopped], state="blacklisted", actor=operator)
    before = {t.barcode: (t.state, t.state_changed_at, t.last_scan_gate) for t in order.tickets.all()}

    new = {t.replaces.barcode: t for t in ticket_services.reissue_tickets(order, actor=operator)}

    for old_barcode, ticket in new.items():
        ticket.refresh_from_db()
        assert (ticket.state, ticket.state_changed_at, ticket.last_scan_gate) == before[old_barcode]
        assert state(old_barcode) == "void"
    answer = gate_b.scan(new[inside].barcode)
    at = before[inside][1].astimezone(AMS)
    assert_answer(answer, "reject", "already_inside", f"already scanned in at {at:%H:%M} (Gate A)")
    assert_answer(gate_a.scan(new[stopped].barcode), "reject", "blacklisted", "ticket is blacklisted")
    assert_answer(gate_a.scan(new[left].barcode), "reject", "reentry_not_allowed")
    assert_answer(gate_a.scan(new[unused].barcode), "admit", "admitted")
    assert_answer(gate_a.scan(inside), "reject", "reissued", "ticket was reissued")


def test_ticket_of_a_removed_purchase_is_refused(gate_a, sell_now, operator):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    order_services.remove_order(order, actor=operator, reason="The buyer cannot come")
    answer = gate_a.scan(barcode)
    assert_answer(answer, "reject", "purchase_removed", "purchase was removed")
    assert state(barcode) == "void"
    assert_logged(gate_a, answer, barcode)


def test_ticket_of_an_unpaid_invoice_order_is_refused(gate_a, sell_now):
    order = sell_now(1, payment_method="invoice")
    assert order.status == "pending"
    (barcode,) = barcodes(order)
    answer = gate_a.scan(barcode)
    assert_answer(answer, "reject", "unpaid", "ticket is not paid")
    assert state(barcode) == "unscanned"
    assert_logged(gate_a, answer, barcode)


def test_device_limited_to_another_event_refuses_the_ticket(make_scanner, concert, sell_now):
    concert_event, _, _ = concert
    scanner = make_scanner("Garden scanner", gate="Gate A", events=[concert_event])
    (barcode,) = barcodes(sell_now(1))
    answer = scanner.scan(barcode)
    assert_answer(answer, "reject", "wrong_event", "ticket is for Old Masters")
    assert state(barcode) == "unscanned"
    assert_logged(scanner, answer, barcode)


def test_device_limited_to_the_ticket_event_admits_it(make_scanner, event, concert, sell_now):
    scanner = make_scanner("Both", gate="Gate A", events=[event, concert[0]])
    (barcode,) = barcodes(sell_now(1))
    assert_answer(scanner.scan(barcode), "admit", "admitted")


def slot_times(slot) -> tuple[str, str]:
    return f"{slot.start.astimezone(AMS):%H:%M}", f"{slot.end.astimezone(AMS):%H:%M}"


@pytest.mark.parametrize(
    "starts_in,admit_before,verdict",
    [(timedelta(minutes=20), 30, "admit"), (timedelta(minutes=20), 10, "reject"), (timedelta(hours=3), 30, "reject")],
)
def test_early_arrival_is_admitted_only_within_the_event_admit_before_minutes(
    gate_a, sell, slot_at, event, admin, starts_in, admit_before, verdict
):
    setup.update_event(event, admit_before_minutes=admit_before, actor=admin)
    slot = slot_at(start=starts_in, length=timedelta(hours=1))
    (barcode,) = barcodes(sell(1, slot=slot))
    answer = gate_a.scan(barcode)
    assert answer["verdict"] == verdict
    if verdict == "reject":
        start, end = slot_times(slot)
        assert answer["reason"] == "wrong_timeslot"
        assert answer["message"].startswith("ticket is for ") and f"{start}–" in answer["message"]
        assert end in answer["message"]
        assert state(barcode) == "unscanned"
        assert_logged(gate_a, answer, barcode)


@pytest.mark.parametrize(
    "ended_ago,admit_after,verdict",
    [(timedelta(minutes=10), 15, "admit"), (timedelta(minutes=10), 0, "reject"), (timedelta(hours=2), 60, "reject")],
)
def test_late_arrival_is_admitted_only_within_the_event_admit_after_minutes(
    gate_a, sell, slot_at, event, admin, ended_ago, admit_after, verdict
):
    setup.update_event(event, admit_after_minutes=admit_after, actor=admin)
    slot = slot_at(start=-ended_ago - timedelta(hours=1), length=timedelta(hours=1))
    (barcode,) = barcodes(sell(1, slot=slot))
    answer = gate_a.scan(barcode)
    assert answer["verdict"] == verdict
    if verdict == "reject":
        start, end = slot_times(slot)
        assert answer["reason"] == "wrong_timeslot"
        assert f"{start}–" in answer["message"] and end in answer["message"]
        assert answer["ticket"]["timeslot"] == slot.pk
        assert state(barcode) == "unscanned"


@pytest.mark.parametrize("barcode", ["Z" * 20, "ABCDEFGHJKMNPQRSTUVW"])
def test_well_formed_barcode_that_no_ticket_has_is_unknown(gate_a, sell_now, barcode):
    sell_now(1)
    answer = gate_a.scan(barcode)
    assert_answer(answer, "reject", "unknown_ticket", "unknown ticket")
    assert answer["ticket"] is None
    scan = assert_logged(gate_a, answer, barcode)
    assert (scan.ticket_id, scan.order_id) == (None, None)


@pytest.mark.parametrize("text", ["hello", "ABC", "https://example.test/t/1", "I" * 20, "A" * 21, "   "])
def test_text_that_cannot_be_a_barcode_is_malformed(gate_a, text):
    answer = gate_a.scan(text)
    assert_answer(answer, "reject", "malformed_barcode", "not a ticket barcode")
    assert answer["ticket"] is None
    assert (last_scan().reason, last_scan().barcode) == ("malformed_barcode", text.strip())


def test_scanner_input_is_read_case_and_space_insensitively(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    assert_answer(gate_a.scan(f"  {barcode.lower()}\r\n"), "admit", "admitted")
    assert state(barcode) == "scanned_in"


def test_direction_other_than_in_or_out_is_a_validation_error(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    response = gate_a.post({"barcode": barcode, "direction": "sideways"})
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert state(barcode) == "unscanned" and not Scan.objects.exists()
