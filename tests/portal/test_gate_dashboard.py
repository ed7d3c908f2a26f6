"""The portal's side of the gate, in Chromium: an admin pairs a phone (a QR code that a
decoder reads back as the pairing link, shown once), and the Gate dashboard counts today's
admits per time block and per gate, updating on its own."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image
from django.utils import timezone
from playwright.sync_api import expect

from boxoffice.core.services import setup, team
from boxoffice.core.services.scanning import scan_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_pairs_a_phone_with_a_qr_code(portal, admin, organizer, page):
    device, _ = team.create_device(organizer, name="Phone 1", gate="North gate", actor=admin)
    portal.login(admin)
    portal.go("o/museum/setup/devices/")
    page.get_by_role("button", name="Pair a phone with Phone 1").click()
    expect(page.get_by_role("heading", name="Pair a phone with Phone 1 (North gate)")).to_be_visible()
    link = page.locator("#pair-link").inner_text()
    assert link.startswith(f"{portal.url}/gate/pair/")
    image = Image.open(io.BytesIO(page.locator(".pair-qr svg").screenshot()))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link]  # the code a phone camera reads is the link
    page.goto(link)
    page.get_by_role("button", name="Sign in as the scanner").click()
    expect(page.get_by_text("This phone scans as North gate")).to_be_visible()


def test_the_gate_dashboard_counts_today_and_updates_on_its_own(portal, viewer, organizer, admin, event, sell, page):
    start = timezone.now() - timedelta(minutes=30)
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=2), capacity=50, actor=admin)
    first, second = sell(2, slot=slot).tickets.order_by("pk")
    north, _ = team.create_device(organizer, name="Scanner N", gate="North", actor=admin)
    scan_ticket(north, barcode=first.barcode, direction="in")
    portal.login(viewer)
    page.get_by_role("link", name="Gate", exact=True).click()
    expect(page.get_by_role("heading", name="Gate today")).to_be_visible()
    expect(page.locator("#inside-now")).to_have_text("1")
    expect(page.locator("#gate-gates")).to_contain_text("North: 1 admitted")
    scan_ticket(north, barcode=second.barcode, direction="in")
    expect(page.locator("#inside-now")).to_have_text("2", timeout=8000)  # polled, no reload
    expect(page.locator("#gate-blocks")).to_contain_text("Old Masters")
