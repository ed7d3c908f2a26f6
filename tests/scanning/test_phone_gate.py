"""What the gate on a phone needs from the server: answers told apart (green in and out, amber,
red), door notes, undo of the last admit (same device, within minutes, once), today's count,
late scans from a gate that was offline, and pairing links that work once."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from boxoffice.core.errors import NotFound
from boxoffice.core.models import Scan, Ticket
from boxoffice.core.selectors.timeline import order_timeline
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import pairing
from boxoffice.core.services import tickets as ticket_services
from boxoffice.core.services import team
from boxoffice.core.services.gate_undo import undo_admit

from .conftest import API, barcodes

pytestmark = pytest.mark.django_db


def test_each_answer_has_its_level(gate_a, sell_now, operator, slot_at):
    order = sell_now(3)
    first, blocked, _ = barcodes(order)
    later = sell_now(1, slot=slot_at(start=timedelta(hours=5)))
    ticket_services.set_ticket_states(order, barcodes=[blocked], state="blacklisted", actor=operator)
    assert gate_a.scan(first)["level"] == "admit-in"
    assert gate_a.scan(first)["level"] == "talk"  # already inside: a person to talk to
    assert gate_a.scan(first, "out")["level"] == "admit-out"
    assert gate_a.scan(barcodes(later)[0])["level"] == "talk"  # not yet: wrong time block
    assert gate_a.scan(blocked)["level"] == "stop"
    assert gate_a.scan("ZZZZZZZZZZZZZZZZZZZZ")["level"] == "stop"


def test_door_notes_show_at_every_scan_of_the_order(gate_a, sell_now, operator):
    order = sell_now(1)
    order_services.add_comment(order, scope="buyer", text="Wheelchair: open the side gate", show_at_gate=True, actor=operator)
    order_services.add_comment(order, scope="purchase", text="Paid by the school", actor=operator)  # not for the gate
    answer = gate_a.scan(barcodes(order)[0])
    assert answer["door_notes"] == ["Wheelchair: open the side gate"]
    assert gate_a.scan(barcodes(order)[0])["door_notes"] == ["Wheelchair: open the side gate"]  # on a rejection too


def undo(scanner, scan_id: str, reason: str = "The turnstile did not turn"):
    return scanner.client.post(f"{API}/scan/undo", json.dumps({"scan_id": scan_id, "reason": reason}),
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {scanner.token}")  # fmt: skip


def test_undo_puts_the_ticket_back_once_and_only_on_the_same_device(gate_a, gate_b, sell_now):
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode, scan_id="a-1")
    assert undo(gate_b, "a-1").status_code == 404  # another device cannot undo it
    with pytest.raises(NotFound):  # nor by the admit's own id, as the gate page sends it
        undo_admit(gate_b.device, scan_pk=Scan.objects.get(scan_id="a-1").pk, reason="Wrong person")
    answer = undo(gate_a, "a-1")
    assert answer.status_code == 200 and answer.json()["state"] == "unscanned"
    assert Ticket.objects.get(barcode=barcode).state == "unscanned"
    assert undo(gate_a, "a-1").json()["code"] == "invalid_transition"  # once
    assert list(Scan.objects.order_by("pk").values_list("verdict", "reason")) == [("admit", "admitted"), ("undone", "undone")]
    assert gate_a.scan(barcode)["level"] == "admit-in"  # the visitor goes through at the next scan


def test_undo_is_refused_later_or_after_the_ticket_changed(gate_a, gate_b, sell_now):
    first, second = barcodes(sell_now(2))
    gate_a.scan(first, scan_id="a-1")
    admit = Scan.objects.get(scan_id="a-1")
    with pytest.raises(Exception) as late:
        undo_admit(gate_a.device, scan_pk=admit.pk, reason="Wrong person", now=timezone.now() + timedelta(minutes=4))
    assert late.value.code == "invalid_transition" and "Too late" in late.value.message
    gate_a.scan(second, scan_id="a-2")
    assert undo(gate_a, "a-1").json()["code"] == "invalid_transition"  # not the last admit any more
    gate_b.scan(second, "out")  # another gate moved the ticket on
    assert undo(gate_a, "a-2").json()["code"] == "invalid_transition"
    assert Ticket.objects.get(barcode=second).state == "scanned_out"


def test_undo_of_an_exit_puts_the_visitor_back_inside(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode)
    gate_a.scan(barcode, "out", scan_id="out-1")
    assert undo(gate_a, "out-1").json()["state"] == "scanned_in"
    ticket = Ticket.objects.get(barcode=barcode)
    assert ticket.state == "scanned_in" and ticket.last_scan_gate == "Gate A" and ticket.state_changed_at is not None


def test_todays_count_after_ins_outs_and_an_undo(gate_a, gate_b, sell_now, now_slot):
    a, b, c = barcodes(sell_now(3))
    gate_a.scan(a), gate_b.scan(b), gate_a.scan(c, scan_id="c")
    undo(gate_a, "c")
    gate_a.scan(a, "out")
    found = gate_a.client.get(f"{API}/scan/counts", HTTP_AUTHORIZATION=f"Bearer {gate_a.token}").json()
    assert (found["inside"], found["admitted"], found["per_gate"]) == (1, 2, {"Gate A": 1, "Gate B": 1})
    (block,) = [row for row in found["blocks"] if row["timeslot"] == now_slot.pk]
    assert (block["sold"], block["admitted"], block["inside"]) == (3, 2, 1)


def test_a_late_scan_is_decided_as_of_when_it_was_made_and_keeps_both_times(gate_a, sell_now, slot_at):
    ended = slot_at(start=timedelta(hours=-3), length=timedelta(hours=2))  # ended an hour ago, admits 30 min after
    order = sell_now(1, slot=ended)
    (barcode,) = barcodes(order)
    made = timezone.now() - timedelta(minutes=70)  # during the block, while the network was down
    answer = gate_a.post({"barcode": barcode, "direction": "in", "scan_id": "late-1", "made_at": made.isoformat()}).json()
    assert answer["level"] == "admit-in"
    scan = Scan.objects.get(scan_id="late-1")
    assert abs((scan.made_at - made).total_seconds()) < 1 and scan.at > scan.made_at
    assert Ticket.objects.get(barcode=barcode).state_changed_at == scan.made_at
    (entry,) = [e for e in order_timeline(order) if e.kind == "scan"]  # the history shows it as late
    assert (entry.at, entry.details["received_at"]) == (scan.made_at, scan.at)
    again = gate_a.post({"barcode": barcode, "direction": "in", "scan_id": "late-1", "made_at": made.isoformat()}).json()
    assert again["level"] == "admit-in" and Scan.objects.count() == 1  # sent twice: recorded once
    too_old = gate_a.post({"barcode": barcode, "scan_id": "x", "made_at": (timezone.now() - timedelta(days=3)).isoformat()})
    assert too_old.status_code == 422


def test_a_pairing_link_works_once_and_not_for_a_revoked_device(gate_a, admin, operator):
    token = pairing.pairing_token(gate_a.device, actor=admin)
    assert pairing.pair(token).pk == gate_a.device.pk
    assert pairing.pair(token) is None  # used
    second, third = pairing.pairing_token(gate_a.device, actor=admin), pairing.pairing_token(gate_a.device, actor=admin)
    assert pairing.pair(second) is None  # replaced by the newer one
    team.revoke_device(gate_a.device, actor=admin)
    assert pairing.pair(third) is None
    assert pairing.pair("garbage") is None
    with pytest.raises(Exception) as denied:
        pairing.pairing_token(gate_a.device, actor=operator)
    assert denied.value.code == "permission_denied"
