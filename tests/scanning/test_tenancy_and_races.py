"""Rules a gate must never break, each checked so that breaking it turns a test red:
another organizer's device knows nothing of a ticket through the gate page either, and a gate
that read a ticket before another gate admitted it is told "already inside" (exactly one
admit), on SQLite and on PostgreSQL alike, without depending on timing."""

import pytest

from boxoffice.core.models import Organizer, Scan, Ticket
from boxoffice.core.services import scanning, team
from boxoffice.core.services.scanning import scan_ticket, scan_with_token

from .conftest import barcodes

FETCH = {"HTTP_X_GATE_FETCH": "1"}


@pytest.fixture
def theatre_gate(db):
    theatre = team.create_organizer(slug="theatre", name="Harbour Theatre")
    return team.create_device(theatre, name="Theatre door", gate="Stage door")


def test_another_organizers_device_on_the_gate_page_gets_unknown_ticket(client, theatre_gate, sell_now):
    (barcode,) = barcodes(sell_now(1))
    device, token = theatre_gate
    assert client.post("/gate/", {"token": token}).status_code == 302
    for headers in (FETCH, {}):  # the page's script, and the form posted without it
        response = client.post("/gate/scan/", {"barcode": barcode, "direction": "in"}, **headers)
        html = response.content.decode()
        assert 'data-verdict="reject"' in html or 'data-state="reject"' in html
        assert "unknown ticket" in html and "Adult" not in html and "Ann Buyer" not in html
    assert Ticket.objects.get(barcode=barcode).state == "unscanned"
    assert list(Scan.objects.values_list("device_id", "reason", "ticket_id")) == [(device.pk, "unknown_ticket", None)] * 2
    assert not Scan.objects.filter(organizer=Organizer.objects.get(slug="museum")).exists()


def _after_the_first_read_of(gate, load_name: str, monkeypatch, meanwhile):
    """Makes `meanwhile()` run right after `gate` (a device pk, or a token digest) first reads
    the ticket, before it writes: the other gate's admit lands in between."""
    real = getattr(scanning, load_name)
    done = []

    def load(*args, **kwargs):
        result = real(*args, **kwargs)
        first = args[0]
        key = first.pk if hasattr(first, "pk") else first
        if key == gate and not kwargs.get("lock") and not done:
            done.append(meanwhile())
        return result

    monkeypatch.setattr(scanning, load_name, load)
    return done


def _assert_one_admit_by(gate_b, barcode: str) -> None:
    assert Scan.objects.filter(barcode=barcode, verdict="admit").count() == 1
    assert Scan.objects.get(barcode=barcode, verdict="admit").device_id == gate_b.device.pk
    ticket = Ticket.objects.get(barcode=barcode)
    assert (ticket.state, ticket.last_scan_gate) == ("scanned_in", "Gate B")


def test_a_gate_that_read_before_another_admitted_is_told_already_inside(gate_a, gate_b, sell_now, monkeypatch):
    (barcode,) = barcodes(sell_now(1))
    meanwhile = _after_the_first_read_of(
        gate_a.device.pk, "_load_and_decide", monkeypatch,
        lambda: scan_ticket(gate_b.device, barcode=barcode, direction="in"),
    )  # fmt: skip
    answer = scan_ticket(gate_a.device, barcode=barcode, direction="in")
    assert meanwhile[0].reason == "admitted"
    assert (answer.verdict, answer.reason) == ("reject", "already_inside")
    assert answer.message.endswith("(Gate B)")
    _assert_one_admit_by(gate_b, barcode)


def test_the_same_holds_for_a_scan_through_the_api(gate_a, gate_b, sell_now, monkeypatch):
    (barcode,) = barcodes(sell_now(1))
    meanwhile = _after_the_first_read_of(
        team.token_digest(gate_a.token), "_load_by_token_and_decide", monkeypatch,
        lambda: scan_with_token(gate_b.token, barcode=barcode, direction="in"),
    )  # fmt: skip
    answer = scan_with_token(gate_a.token, barcode=barcode, direction="in")
    assert meanwhile[0].reason == "admitted"
    assert (answer.verdict, answer.reason) == ("reject", "already_inside")
    _assert_one_admit_by(gate_b, barcode)


def test_an_exit_read_before_another_gate_let_the_ticket_out_is_refused(gate_a, gate_b, sell_now, monkeypatch):
    (barcode,) = barcodes(sell_now(1))
    scan_ticket(gate_a.device, barcode=barcode, direction="in")
    _after_the_first_read_of(
        gate_a.device.pk, "_load_and_decide", monkeypatch,
        lambda: scan_ticket(gate_b.device, barcode=barcode, direction="out"),
    )  # fmt: skip
    answer = scan_ticket(gate_a.device, barcode=barcode, direction="out")
    assert (answer.verdict, answer.reason) == ("reject", "not_inside")
    assert Scan.objects.filter(barcode=barcode, verdict="admit", direction="out").count() == 1
