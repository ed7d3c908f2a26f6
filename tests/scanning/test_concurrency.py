"""Two gates scanning one ticket at the same instant admit it once (§4). Every thread scans
through the service with its own database connection and its own copy of the device, as
separate requests would; all are released together on a barrier."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from boxoffice.core.models import Device, Scan, Ticket
from boxoffice.core.services.scanning import scan_ticket

from .conftest import barcodes

BARRIER_TIMEOUT = 60  # seconds; a thread that never arrives fails the test instead of hanging it


def scan_together(requests: list[tuple[int, str, str, str | None]]) -> list:
    """requests: (device id, barcode, direction, scan_id), all sent at once.
    Returns the ScanResults in the order given; any exception fails the test."""
    barrier = threading.Barrier(len(requests), timeout=BARRIER_TIMEOUT)

    def worker(request):
        device_id, barcode, direction, scan_id = request
        try:
            device = Device.objects.get(pk=device_id)
            barrier.wait()
            return scan_ticket(device, barcode=barcode, direction=direction, scan_id=scan_id)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(worker, requests))


def assert_admitted_once(results, barcode: str) -> None:
    reasons = Counter(r.reason for r in results)
    assert reasons == {"admitted": 1, "already_inside": len(results) - 1}, reasons
    assert Ticket.objects.get(barcode=barcode).state == "scanned_in"
    assert Scan.objects.filter(barcode=barcode).count() == len(results)
    assert Scan.objects.filter(barcode=barcode, verdict="admit").count() == 1


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_scans_of_one_ticket_admit_it_once(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    results = scan_together([(gate_a.device.pk, barcode, "in", None)] * 20)
    assert_admitted_once(results, barcode)
    admitted_at = Ticket.objects.get(barcode=barcode).state_changed_at
    assert {r.scan.at for r in results if r.verdict == "admit"} == {admitted_at}


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_gates_scanning_one_ticket_at_once_admit_it_once_and_name_the_winner(gate_a, gate_b, sell_now):
    (barcode,) = barcodes(sell_now(1))
    results = scan_together([(gate_a.device.pk, barcode, "in", None), (gate_b.device.pk, barcode, "in", None)] * 10)
    assert_admitted_once(results, barcode)
    (winner,) = [r for r in results if r.verdict == "admit"]
    assert {r.message.endswith(f"({winner.scan.gate})") for r in results if r.verdict == "reject"} == {True}


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_exits_of_one_ticket_let_it_out_once(gate_a, gate_b, sell_now):
    (barcode,) = barcodes(sell_now(1))
    assert scan_ticket(gate_a.device, barcode=barcode, direction="in").verdict == "admit"
    results = scan_together([(gate_a.device.pk, barcode, "out", None), (gate_b.device.pk, barcode, "out", None)] * 5)
    assert Counter(r.reason for r in results) == {"exited": 1, "not_inside": 9}
    assert Ticket.objects.get(barcode=barcode).state == "scanned_out"


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_scan_id_are_one_scan(gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    results = scan_together([(gate_a.device.pk, barcode, "in", "retry-1")] * 8)
    assert {(r.verdict, r.reason, r.scan.pk) for r in results} == {("admit", "admitted", results[0].scan.pk)}
    assert Scan.objects.count() == 1
    assert Ticket.objects.get(barcode=barcode).state == "scanned_in"


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_scans_of_different_tickets_all_admit(gate_a, gate_b, sell_now):
    codes = barcodes(sell_now(10))
    devices = [gate_a.device.pk, gate_b.device.pk]
    results = scan_together([(devices[i % 2], code, "in", None) for i, code in enumerate(codes)])
    assert {r.reason for r in results} == {"admitted"}
    assert set(Ticket.objects.filter(barcode__in=codes).values_list("state", flat=True)) == {"scanned_in"}


@pytest.mark.django_db(transaction=True)
def test_a_few_simultaneous_scans_of_one_ticket_admit_it_once_on_either_database(gate_a, gate_b, sell_now):
    """Each scan reads the ticket outside any transaction, then admits with the conditional
    UPDATE (SQLite: in an IMMEDIATE transaction, which serializes the writers; PostgreSQL:
    one statement): whichever gate's UPDATE comes second finds the state changed and is told
    why. Timing decides how often that race happens here; test_tenancy_and_races.py makes it
    happen every time."""
    (barcode,) = barcodes(sell_now(1))
    results = scan_together([(gate_a.device.pk, barcode, "in", None), (gate_b.device.pk, barcode, "in", None)] * 3)
    assert_admitted_once(results, barcode)
