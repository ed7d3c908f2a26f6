"""The gate page's server side: signing in with a device token, staying signed in only while
the device is valid, and scans posted by the page (with and without its script)."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from boxoffice.core.models import Scan, Ticket
from boxoffice.core.services import team

from .conftest import barcodes

FETCH = {"HTTP_X_GATE_FETCH": "1"}


@pytest.fixture
def signed_in(client, gate_a):
    response = client.post("/gate/", {"token": gate_a.token})
    assert response.status_code == 302 and response.url == "/gate/"
    return client


def test_gate_asks_for_a_device_token_first(client, db):
    response = client.get("/gate/")
    assert response.status_code == 200
    assert b'<label for="id_token">Device token</label>' in response.content
    assert client.post("/gate/scan/", {"barcode": "X", "direction": "in"}).url == "/gate/"


def test_signing_in_with_a_device_token_opens_the_gate_page(signed_in, gate_a):
    page = signed_in.get("/gate/").content.decode()
    assert 'id="barcode"' in page and "Gate A" in page and "City Museum" in page
    assert signed_in.session["gate_device"] == gate_a.device.pk
    assert signed_in.session["gate_device_digest"] == gate_a.device.digest


@pytest.mark.parametrize("token", ["bod_not-a-real-token", "bo_operator-looking", ""])
def test_invalid_token_is_refused_with_a_message(client, gate_a, token):
    response = client.post("/gate/", {"token": token})
    assert response.status_code == 400
    assert "gate_device" not in client.session
    if token:
        assert b"not a valid device token" in response.content


def test_revoked_device_cannot_sign_in(client, gate_a):
    team.revoke_device(gate_a.device)
    assert client.post("/gate/", {"token": gate_a.token}).status_code == 400


def test_revoking_the_device_signs_the_gate_page_out(signed_in, gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    team.revoke_device(gate_a.device)
    response = signed_in.post("/gate/scan/", {"barcode": barcode, "direction": "in"}, **FETCH)
    assert response.status_code == 401
    assert "gate_device" not in signed_in.session
    page = signed_in.get("/gate/").content.decode()
    assert "no longer valid" in page and 'id="id_token"' in page
    assert Ticket.objects.get(barcode=barcode).state == "unscanned" and not Scan.objects.exists()


def test_scan_from_the_page_is_a_scan_of_its_device(signed_in, gate_a, sell_now, now_slot):
    order = sell_now(1)
    (barcode,) = barcodes(order)
    response = signed_in.post("/gate/scan/", {"barcode": barcode, "direction": "in", "scan_id": "p1"}, **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-verdict="admit"' in html and "welcome" in html
    assert "Adult" in html and order.code in html
    start = now_slot.start.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f"{start:%H:%M}–" in html
    scan = Scan.objects.get()
    assert (scan.device_id, scan.gate, scan.scan_id, scan.reason) == (gate_a.device.pk, "Gate A", "p1", "admitted")
    assert Ticket.objects.get(barcode=barcode).state == "scanned_in"


def test_page_without_its_script_posts_the_form_and_gets_the_whole_page(signed_in, sell_now):
    (barcode,) = barcodes(sell_now(1))
    signed_in.post("/gate/scan/", {"barcode": barcode, "direction": "in"})
    response = signed_in.post("/gate/scan/", {"barcode": barcode, "direction": "out"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="admit-out"' in html and "goodbye" in html and 'id="barcode"' in html
    assert 'value="out" checked' in html  # the switch stays on Out


def test_empty_scan_is_refused_without_a_scan(signed_in, db):
    response = signed_in.post("/gate/scan/", {"barcode": " ", "direction": "in"}, **FETCH)
    assert response.status_code == 400 and b'data-verdict="reject"' in response.content
    assert not Scan.objects.exists()


def test_scan_needs_the_page_csrf_token(gate_a, sell_now):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/gate/")
    token = page.context["csrf_token"]
    browser.post("/gate/", {"token": gate_a.token, "csrfmiddlewaretoken": str(token)})
    (barcode,) = barcodes(sell_now(1))
    assert browser.post("/gate/scan/", {"barcode": barcode, "direction": "in"}, **FETCH).status_code == 403
    assert not Scan.objects.exists()
    csrf = browser.cookies["csrftoken"].value
    response = browser.post("/gate/scan/", {"barcode": barcode, "direction": "in"}, HTTP_X_CSRFTOKEN=csrf, **FETCH)
    assert response.status_code == 200 and Scan.objects.count() == 1


def test_signing_out_forgets_the_device(signed_in):
    response = signed_in.post("/gate/signout/")
    assert response.url == "/gate/"
    assert "gate_device" not in signed_in.session
    assert b'id="id_token"' in signed_in.get("/gate/").content


def test_undo_with_an_odd_scan_id_is_refused_with_a_message(signed_in, db):
    for odd in ("9" * 30, "abc", "0"):
        response = signed_in.post("/gate/undo/", {"scan": odd, "reason": "Wrong person"}, **FETCH)
        assert response.status_code in (400, 404) and b"data-verdict=\"reject\"" in response.content
