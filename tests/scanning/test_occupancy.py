"""How many are inside now, per timeslot (scanned in minus scanned out), through the
operator's and the gate device's occupancy endpoints."""

from datetime import datetime, timedelta

import pytest

from .conftest import barcodes


@pytest.fixture
def read_both(operator_api, gate_a):
    """read_both(event) -> {timeslot id: row}, checking both endpoints give the same rows."""

    def read(event) -> dict:
        operator_rows = operator_api(f"events/{event.pk}/occupancy")
        device_rows = gate_a.occupancy(event.pk)
        assert operator_rows.status_code == device_rows.status_code == 200
        assert operator_rows.json() == device_rows.json()
        return {row["timeslot"]: row for row in operator_rows.json()}

    return read


def test_inside_counts_scans_in_minus_scans_out_per_timeslot(gate_a, gate_b, sell, now_slot, slot_at, event, read_both):
    later = slot_at(start=timedelta(minutes=10), capacity=30)
    now_codes = barcodes(sell(3, slot=now_slot)) + barcodes(sell(1, slot=now_slot, email="bo@example.test"))
    later_codes = barcodes(sell(2, slot=later, email="cy@example.test"))
    for barcode in now_codes[:3] + later_codes:
        assert gate_a.scan(barcode)["verdict"] == "admit"
    assert gate_b.scan(now_codes[0], "out")["verdict"] == "admit"
    assert gate_b.scan(now_codes[3], "out")["reason"] == "not_inside"  # a refused exit changes nothing

    rows = read_both(event)
    assert (rows[now_slot.pk]["sold"], rows[now_slot.pk]["inside"]) == (4, 2)
    assert (rows[later.pk]["sold"], rows[later.pk]["inside"], rows[later.pk]["capacity"]) == (2, 2, 30)
    assert datetime.fromisoformat(rows[now_slot.pk]["start"]) == now_slot.start
    assert datetime.fromisoformat(rows[later.pk]["end"]) == later.end


def test_rejected_scans_do_not_count_as_inside(gate_a, sell_now, now_slot, event, read_both):
    (barcode,) = barcodes(sell_now(1))
    gate_a.scan(barcode)
    gate_a.scan(barcode)  # already inside
    gate_a.scan(barcode, "out")
    gate_a.scan(barcode)  # re-entry not allowed
    assert read_both(event)[now_slot.pk]["inside"] == 0


def test_readmitted_ticket_counts_once(gate_a, sell_now, now_slot, event, admin, read_both):
    from boxoffice.core.services import setup

    setup.update_event(event, reentry_allowed=True, actor=admin)
    (barcode,) = barcodes(sell_now(1))
    for direction in ("in", "out", "in"):
        assert gate_a.scan(barcode, direction)["verdict"] == "admit"
    assert read_both(event)[now_slot.pk]["inside"] == 1


def test_timeslots_without_sales_are_left_out(gate_a, sell_now, slot_at, now_slot, event, read_both):
    empty = slot_at(start=timedelta(hours=3))
    sell_now(1)
    rows = read_both(event)
    assert now_slot.pk in rows and empty.pk not in rows


def test_device_reads_only_the_events_it_may_scan(make_scanner, concert, event, sell_now):
    scanner = make_scanner("Garden scanner", gate="Garden", events=[concert[0]])
    sell_now(1)
    assert scanner.occupancy(concert[0].pk).status_code == 200
    response = scanner.occupancy(event.pk)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_occupancy_needs_a_token_of_the_organizer(client, event, gate_a):
    assert client.get(f"/api/v1/organizers/museum/events/{event.pk}/occupancy").status_code == 401
    # A device token is not an operator token.
    response = client.get(
        f"/api/v1/organizers/museum/events/{event.pk}/occupancy", HTTP_AUTHORIZATION=f"Bearer {gate_a.token}"
    )
    assert response.status_code == 401
