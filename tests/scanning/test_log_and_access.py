"""What the gate may know and what it leaves behind: device tokens, retries by scan_id, the
scan log, the order's history, and tickets set by hand in the back office."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.models import AuditEntry, Scan, Ticket
from boxoffice.core.services import team
from boxoffice.core.services import tickets as ticket_services
from boxoffice.core.services.scanning import scan_ticket

from .conftest import barcodes

AMS = ZoneInfo("Europe/Amsterdam")


def ticket(barcode: str) -> Ticket:
    return Ticket.objects.get(barcode=barcode)


# Retries


def test_retry_with_the_same_scan_id_gets_the_first_answer_and_changes_nothing(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    first = gate_a.scan(barcode, scan_id="hand-1-0001")
    changed_at = ticket(barcode).state_changed_at
    retry = gate_a.scan(barcode, scan_id="hand-1-0001")
    assert first["verdict"] == "admit" and retry == first
    assert Scan.objects.filter(scan_id="hand-1-0001").count() == 1
    assert Scan.objects.count() == 1
    assert (ticket(barcode).state, ticket(barcode).state_changed_at) == ("scanned_in", changed_at)


def test_retry_of_a_scan_in_after_the_ticket_went_out_still_answers_admitted(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    first = gate_a.scan(barcode, scan_id="a")
    gate_a.scan(barcode, "out", scan_id="b")
    retry = gate_a.scan(barcode, scan_id="a")
    assert {k: retry[k] for k in ("verdict", "reason", "message", "scanned_at", "gate")} == {
        k: first[k] for k in ("verdict", "reason", "message", "scanned_at", "gate")
    }
    # The ticket context is the ticket as it is now.
    assert retry["ticket"]["state"] == ticket(barcode).state == "scanned_out"
    assert Scan.objects.count() == 2


def test_a_new_scan_id_is_a_new_scan(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode, scan_id="a")
    assert gate_a.scan(barcode, scan_id="b")["reason"] == "already_inside"
    assert Scan.objects.count() == 2


def test_scan_ids_belong_to_their_device(gate_a, gate_b, sell_now):
    (barcode,) = barcodes(sell_now(1))
    assert gate_a.scan(barcode, scan_id="same")["reason"] == "admitted"
    assert gate_b.scan(barcode, scan_id="same")["reason"] == "already_inside"
    assert Scan.objects.filter(scan_id="same").count() == 2


def test_retried_rejection_is_the_same_rejection(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    first = gate_a.scan(barcode, "out", scan_id="x")
    assert first["reason"] == "not_inside"
    assert gate_a.scan(barcode, "out", scan_id="x") == first
    assert Scan.objects.count() == 1


# Device tokens and organizers


def test_device_of_another_organizer_learns_nothing_about_the_ticket(make_scanner, sell_now, operator_api):
    theatre = team.create_organizer(slug="theatre", name="Harbour Theatre")
    scanner = make_scanner("Theatre door", gate="Stage door", owner=theatre)
    order = sell_now(1)
    (barcode,) = barcodes(order)
    answer = scanner.scan(barcode)
    assert (answer["verdict"], answer["reason"], answer["message"]) == ("reject", "unknown_ticket", "unknown ticket")
    assert answer["ticket"] is None
    assert ticket(barcode).state == "unscanned"
    scan = Scan.objects.get()
    assert (scan.organizer_id, scan.ticket_id, scan.order_id) == (theatre.pk, None, None)
    # The museum's order shows nothing of it.
    assert [h["kind"] for h in operator_api(f"orders/{order.code}").json()["history"]] == ["audit"]
    # The same device cannot scan it out either, nor read the museum's occupancy.
    assert scanner.scan(barcode, "out")["reason"] == "unknown_ticket"
    assert scanner.occupancy(order.event_id).status_code == 404


@pytest.mark.parametrize("how", ["revoked", "unknown", "operator token", "none"])
def test_scan_without_a_valid_device_token_is_unauthenticated(gate_a, sell_now, operator, how):
    (barcode,) = barcodes(sell_now(1))
    if how == "revoked":
        team.revoke_device(gate_a.device)
    elif how == "unknown":
        gate_a.token = "bod_" + "x" * 43
    elif how == "operator token":
        gate_a.token = team.create_api_token(operator)
    response = (
        gate_a.client.post("/api/v1/scan", {"barcode": barcode}, content_type="application/json")
        if how == "none"
        else gate_a.post({"barcode": barcode})
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert ticket(barcode).state == "unscanned"
    assert not Scan.objects.exists()


@pytest.mark.parametrize("barcode", ["not a barcode", "AAAAAAAAAAAAAAAAAAAA"])
def test_revoked_device_scanning_a_malformed_or_unknown_barcode_is_refused_and_logs_nothing(gate_a, barcode):
    team.revoke_device(gate_a.device)
    response = gate_a.post({"barcode": barcode})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert not Scan.objects.exists()


def test_revoking_a_device_is_recorded_and_stops_its_next_scan(gate_a, gate_b, sell_now, admin):
    order = sell_now(2)
    first, second = barcodes(order)
    assert gate_a.scan(first)["verdict"] == "admit"
    team.revoke_device(gate_a.device, actor=admin)
    assert AuditEntry.objects.filter(action="device.revoked", target="Scanner 1").exists()
    assert gate_a.post({"barcode": second}).status_code == 401
    assert gate_b.scan(second)["verdict"] == "admit"  # other devices go on


# The log and the order's history


def test_every_attempt_is_logged_with_device_gate_direction_verdict_and_reason(gate_a, gate_b, sell_now):
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode)
    gate_b.scan(barcode)
    gate_b.scan(barcode, "out")
    gate_a.scan(barcode, "out")
    gate_a.scan("nonsense")
    rows = list(Scan.objects.order_by("pk").values_list("device__name", "gate", "direction", "verdict", "reason"))
    assert rows == [
        ("Scanner 1", "Gate A", "in", "admit", "admitted"),
        ("Scanner 2", "Gate B", "in", "reject", "already_inside"),
        ("Scanner 2", "Gate B", "out", "admit", "exited"),
        ("Scanner 1", "Gate A", "out", "reject", "not_inside"),
        ("Scanner 1", "Gate A", "in", "reject", "malformed_barcode"),
    ]
    assert all(s.at is not None for s in Scan.objects.all())


def test_order_history_in_the_api_shows_every_scan_of_its_tickets(gate_a, gate_b, sell_now, operator_api):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    gate_a.scan(barcode)
    gate_b.scan(barcode)
    history = operator_api(f"orders/{order.code}").json()["history"]
    assert [(h["kind"], h["action"], h["actor"]) for h in history] == [
        ("audit", "order.sold", "desk@museum.test"),
        ("scan", "scan.admit", "Gate A"),
        ("scan", "scan.reject", "Gate B"),
    ]
    admitted, refused = history[1]["details"], history[2]["details"]
    assert admitted == {"barcode": barcode, "direction": "in", "reason": "admitted", "message": "welcome"}
    assert (refused["reason"], refused["message"].startswith("already scanned in at ")) == ("already_inside", True)
    times = [datetime.fromisoformat(h["at"]) for h in history]
    assert times == sorted(times)


def test_ticket_detail_in_the_api_lists_its_scans_newest_first(gate_a, gate_b, sell_now, operator_api):
    order = sell_now(2)
    first, second = barcodes(order)
    gate_a.scan(first)
    gate_b.scan(first)
    gate_a.scan(second)
    response = operator_api(f"orders/{order.code}/tickets/{first.lower()}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["barcode"], body["order_code"], body["state"], body["last_scan_gate"]) == (
        first, order.code, "scanned_in", "Gate A"
    )
    assert [(s["gate"], s["device"], s["direction"], s["verdict"], s["reason"]) for s in body["scans"]] == [
        ("Gate B", "Scanner 2", "in", "reject", "already_inside"),
        ("Gate A", "Scanner 1", "in", "admit", "admitted"),
    ]
    assert body["scans"][1]["message"] == "welcome"
    admitted_at = datetime.fromisoformat(body["scans"][1]["at"])  # in the event's time zone
    assert admitted_at.utcoffset() == admitted_at.astimezone(AMS).utcoffset()
    assert admitted_at == datetime.fromisoformat(body["state_changed_at"])
    assert abs(admitted_at - ticket(first).state_changed_at) < timedelta(milliseconds=1)  # JSON keeps ms


def test_ticket_detail_of_a_never_scanned_ticket_has_no_scans(sell_now, operator_api):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    body = operator_api(f"orders/{order.code}/tickets/{barcode}").json()
    assert (body["state"], body["scans"], body["state_changed_at"]) == ("unscanned", [], None)


def test_ticket_detail_answers_404_for_a_ticket_of_another_order_or_an_unknown_barcode(sell_now, operator_api):
    order, other = sell_now(1), sell_now(1, email="other@example.test")
    (barcode,) = barcodes(other)
    for path in (f"orders/{order.code}/tickets/{barcode}", f"orders/{order.code}/tickets/AAAAAAAAAAAAAAAAAAAA",
                 f"orders/NOSUCH7/tickets/{barcode}"):  # fmt: skip
        response = operator_api(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path


def test_ticket_detail_of_another_organizers_order_answers_404(make_scanner, sell_now, client):
    theatre = team.create_organizer(slug="theatre", name="Theatre")
    their_token = team.create_api_token(team.set_member(theatre, email="boss@theatre.test", role="admin"))
    order = sell_now(1)
    (barcode,) = barcodes(order)
    for org in ("museum", "theatre"):
        response = client.get(
            f"/api/v1/organizers/{org}/orders/{order.code}/tickets/{barcode}", HTTP_AUTHORIZATION=f"Bearer {their_token}"
        )
        assert response.status_code == 404


def test_scans_and_back_office_actions_interleave_in_the_history_by_time(gate_a, sell_now, operator, operator_api):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    gate_a.scan(barcode)
    ticket_services.set_ticket_states(order, barcodes=[barcode], state="blacklisted", actor=operator)
    gate_a.scan(barcode)
    actions = [h["action"] for h in operator_api(f"orders/{order.code}").json()["history"]]
    assert actions == ["order.sold", "scan.admit", "tickets.blacklisted", "scan.reject"]


# Back office states and the gate


ANSWERS = {  # state set in the back office -> (scan in, scan out)
    "unscanned": ("admitted", "not_inside"),
    "scanned_in": ("already_inside", "exited"),
    "scanned_out": ("reentry_not_allowed", "not_inside"),
    "blacklisted": ("blacklisted", "blacklisted"),
}


@pytest.mark.parametrize("state", sorted(ANSWERS))
@pytest.mark.parametrize("direction", ["in", "out"])
def test_gate_obeys_the_ticket_state_set_in_the_back_office(gate_a, sell_now, operator, state, direction):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    if state != "unscanned":
        ticket_services.set_ticket_states(order, barcodes=[barcode], state=state, actor=operator)
    answer = gate_a.scan(barcode, direction)
    assert answer["reason"] == ANSWERS[state][0 if direction == "in" else 1]
    if answer["reason"] == "already_inside":
        at = ticket(barcode).state_changed_at.astimezone(AMS)
        assert answer["message"] == f"already scanned in at {at:%H:%M} (box office)"


def test_gate_admits_again_once_the_back_office_lifts_a_blacklisting(gate_a, sell_now, operator):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    ticket_services.set_ticket_states(order, barcodes=[barcode], state="blacklisted", actor=operator)
    assert gate_a.scan(barcode)["reason"] == "blacklisted"
    ticket_services.set_ticket_states(order, barcodes=[barcode], state="unscanned", actor=operator)
    assert gate_a.scan(barcode)["reason"] == "admitted"


def test_gate_scan_in_and_back_office_scanned_in_leave_the_same_ticket_state(gate_a, sell_now, operator, operator_api, now_slot):
    order = sell_now(2)
    at_gate, at_desk = barcodes(order)
    assert gate_a.scan(at_gate)["verdict"] == "admit"
    ticket_services.set_ticket_states(order, barcodes=[at_desk], state="scanned_in", actor=operator)
    tickets = {t["barcode"]: t for t in operator_api(f"orders/{order.code}").json()["tickets"]}
    assert tickets[at_gate]["state"] == tickets[at_desk]["state"] == "scanned_in"
    (row,) = [r for r in operator_api(f"events/{order.event_id}/occupancy").json() if r["timeslot"] == now_slot.pk]
    assert row["inside"] == 2
    # Both are inside for the gate: neither gets in twice, both may leave.
    assert {gate_a.scan(b)["reason"] for b in (at_gate, at_desk)} == {"already_inside"}
    assert {gate_a.scan(b, "out")["reason"] for b in (at_gate, at_desk)} == {"exited"}


def test_scan_service_takes_the_moment_of_the_scan(gate_a, sell, timeslot):
    """The service decides on the `now` it is given (the fixture's timeslot is in 2027)."""
    (barcode,) = barcodes(sell(1, slot=timeslot))
    device = gate_a.device
    early = scan_ticket(device, barcode=barcode, direction="in", now=datetime(2027, 3, 1, 9, 0, tzinfo=AMS))
    assert (early.verdict, early.reason, early.message) == ("reject", "wrong_timeslot", "ticket is for 10:00–11:00")
    on_time = scan_ticket(device, barcode=barcode, direction="in", now=datetime(2027, 3, 1, 9, 45, tzinfo=AMS))
    assert (on_time.verdict, on_time.scan.at) == ("admit", datetime(2027, 3, 1, 9, 45, tzinfo=AMS))
    assert ticket(barcode).state_changed_at == datetime(2027, 3, 1, 9, 45, tzinfo=AMS)
