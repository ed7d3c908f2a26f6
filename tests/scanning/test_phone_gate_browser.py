"""The gate on a phone in Chromium (390×844): the rear camera reads a real ticket's QR code from
a fake video made here (and a ticket held in view is sent once), a phone paired by link, undo
of the last admit, the live count, and a scan made while the network is down, kept and sent
once when it is back."""

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
import segno
from browser import CHROMIUM_ARGS
from processes import PROCESS_TIMEOUT, database_url, wait_for
from smtp_server import free_port
from playwright.sync_api import expect

from boxoffice.core.models import Scan, Ticket
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import pairing, team

from .conftest import barcodes

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
WIDTH, HEIGHT = 640, 480


def fake_camera_video(path, text: str, frames: int = 20) -> None:
    """A .y4m video (what Chromium's fake camera plays, looping) of `text`'s QR code as the
    ticket PDF draws it (documents/qr.py: error level M), black on white."""
    qr = segno.make(text, error="m", micro=False)
    rows = list(qr.matrix_iter(border=4))
    scale = min(WIDTH, HEIGHT) * 3 // 4 // len(rows)
    side = len(rows) * scale
    left, top = (WIDTH - side) // 2, (HEIGHT - side) // 2
    luma = bytearray([235]) * (WIDTH * HEIGHT)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                for y in range(top + r * scale, top + (r + 1) * scale):
                    start = y * WIDTH + left + c * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (WIDTH * HEIGHT // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


@pytest.fixture
def phone(playwright, live_server, transactional_db, tmp_path):
    """phone(video=None) -> a page at phone size in its own Chromium (with a fake camera
    playing `video`), checked for JavaScript errors and for any request leaving the server."""
    browsers, problems = [], []

    def open_phone(video=None, origin=live_server.url):
        args = list(CHROMIUM_ARGS)
        if video:
            args += ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                     f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        browsers.append(browser)
        context = browser.new_context(viewport=PHONE, permissions=["camera"] if video else [], has_touch=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on("request", lambda r: r.url.startswith((origin, "data:", "blob:")) or problems.append(r.url))
        return page

    yield open_phone
    for browser in browsers:
        browser.close()
    assert not problems, problems


def sign_in(page, live_server, token: str) -> None:
    page.goto(f"{live_server.url}/gate/")
    page.get_by_label("Device token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Ticket barcode")).to_be_visible()
    # gate.js is deferred: until it has run, Enter posts the form as a page (and, offline,
    # shows the browser's error page instead of keeping the scan).
    page.wait_for_load_state("domcontentloaded")


def test_the_camera_admits_a_ticket_and_sends_it_once_while_it_stays_in_view(phone, live_server, gate_a, sell_now, tmp_path):
    (barcode,) = barcodes(sell_now(1, name="Ann Buyer"))
    video = tmp_path / "ticket.y4m"
    fake_camera_video(video, barcode)
    page = phone(video)
    sign_in(page, live_server, gate_a.token)
    page.get_by_role("button", name="Scan with camera").click()
    expect(page.locator("body")).to_have_attribute("data-state", "admit-in", timeout=30_000)
    expect(page.locator("#result")).to_contain_text("Ann Buyer")
    expect(page.get_by_role("button", name="Stop camera")).to_be_visible()
    time.sleep(4)  # the same ticket keeps looping in the video: it is not sent again
    assert list(Scan.objects.values_list("barcode", "verdict")) == [(barcode, "admit")]
    assert Ticket.objects.get(barcode=barcode).state == "scanned_in"
    page.get_by_role("button", name="Stop camera").click()
    expect(page.locator("#camera-view")).to_be_hidden()


def test_a_phone_paired_by_link_scans_as_the_device_until_it_is_revoked(phone, live_server, gate_a, admin, sell_now):
    (barcode,) = barcodes(sell_now(1))
    link = f"{live_server.url}/gate/pair/{pairing.pairing_token(gate_a.device, actor=admin)}/"
    page = phone()
    page.goto(link)
    page.get_by_role("button", name="Sign in as the scanner").click()
    expect(page.get_by_text("This phone scans as Gate A")).to_be_visible()
    field = page.get_by_label("Ticket barcode")
    field.fill(barcode)
    field.press("Enter")
    expect(page.locator("body")).to_have_attribute("data-state", "admit-in")
    assert Scan.objects.get().device_id == gate_a.device.pk
    other = phone()
    other.goto(link)
    other.get_by_role("button", name="Sign in as the scanner").click()
    expect(other.get_by_role("alert")).to_contain_text("expired or was used")  # the link worked once
    team.revoke_device(gate_a.device, actor=admin)
    field.fill(barcode)
    field.press("Enter")
    expect(page.get_by_label("Device token")).to_be_visible()  # signed out


def test_undo_the_last_admit_and_the_count_follows(phone, live_server, gate_a, sell_now, operator):
    order = sell_now(2)
    first, second = barcodes(order)
    order_services.add_comment(order, scope="purchase", text="VIP: walk them to the front row", show_at_gate=True,
                               actor=operator)  # fmt: skip
    page = phone()
    sign_in(page, live_server, gate_a.token)
    expect(page.locator("#gate-counts")).to_contain_text("0 inside")
    field = page.get_by_label("Ticket barcode")
    for code in (first, second):
        field.fill(code)
        field.press("Enter")
        expect(page.locator("#result .read")).to_contain_text(code)
    expect(page.locator(".door-notes")).to_contain_text("VIP: walk them to the front row")
    expect(page.locator("#gate-counts")).to_contain_text("2 inside")
    page.get_by_role("button", name="The turnstile did not turn").click()
    expect(page.locator("#result")).to_contain_text("admit undone: The turnstile did not turn")
    expect(page.locator("body")).to_have_attribute("data-state", "talk")
    assert Ticket.objects.get(barcode=second).state == "unscanned"
    expect(page.locator("#gate-counts")).to_contain_text("1 inside")
    page.get_by_text("Out", exact=True).click()
    expect(page.get_by_label("Out")).to_be_checked()
    field.fill(first)
    field.press("Enter")
    expect(page.locator("body")).to_have_attribute("data-state", "admit-out")
    expect(page.locator("#gate-counts")).to_contain_text("0 inside")
    expect(page.locator("#gate-counts")).to_contain_text("1 admitted today")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_scan_while_offline_is_kept_and_sent_once_when_the_network_is_back(phone, live_server, gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    page = phone()
    sign_in(page, live_server, gate_a.token)
    page.context.set_offline(True)
    field = page.get_by_label("Ticket barcode")
    field.fill(barcode)
    made = time.time()
    field.press("Enter")
    expect(page.locator("#offline-status")).to_have_text("Offline — 1 waiting to be checked")
    expect(page.locator("body")).to_have_attribute("data-state", "talk")  # not yet checked: amber, not green
    expect(page.locator("#result")).to_contain_text("offline: not yet checked")
    time.sleep(1)
    assert not Scan.objects.exists()
    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_be_hidden(timeout=10_000)
    time.sleep(3.5)  # another round of the page's retry timer: nothing is sent twice
    (scan,) = Scan.objects.all()
    assert (scan.barcode, scan.verdict) == (barcode, "admit")
    assert scan.made_at is not None and abs(scan.made_at.timestamp() - made) < 2 and scan.at > scan.made_at
    assert Ticket.objects.get(barcode=barcode).state == "scanned_in"
    page.reload()
    expect(page.locator("#offline-status")).to_be_hidden()
    assert re.search(r"1 admitted today", page.locator("#gate-counts").inner_text())


def test_a_scan_while_the_server_is_stopped_is_delivered_once_when_it_is_back(phone, gate_a, sell_now, tmp_path, settings):
    (barcode,) = barcodes(sell_now(1))
    port, log = free_port(), tmp_path / "serve.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "boxoffice.settings", "BOXOFFICE_DATA_DIR": str(settings.DATA_DIR),
           "DATABASE_URL": database_url(), "SECRET_KEY": "gate-test-only", "ALLOWED_HOSTS": "127.0.0.1",
           "BOXOFFICE_INSECURE_HTTP": "1", "LOG_LEVEL": "WARNING"}  # fmt: skip
    origin = f"http://127.0.0.1:{port}"

    def serve() -> subprocess.Popen:
        with open(log, "ab") as out:
            server = subprocess.Popen([sys.executable, "-m", "boxoffice", "serve", "--no-migrate", "--workers", "1",
                                       "--bind", f"127.0.0.1:{port}"], env=env, stdout=out, stderr=out)  # fmt: skip

        def up() -> bool:
            try:
                return urllib.request.urlopen(f"{origin}/gate/", timeout=1).status == 200
            except OSError:
                return False

        wait_for(up, what="the server to answer", log_path=log)
        return server

    server = serve()
    try:
        page = phone(origin=origin)
        page.goto(f"{origin}/gate/")
        page.get_by_label("Device token").fill(gate_a.token)
        page.get_by_role("button", name="Sign in").click()
        field = page.get_by_label("Ticket barcode")
        expect(field).to_be_visible()
        server.terminate()
        assert server.wait(timeout=PROCESS_TIMEOUT) == 0
        field.fill(barcode)
        made = time.time()
        field.press("Enter")
        expect(page.locator("#offline-status")).to_have_text("Offline — 1 waiting to be checked")
        expect(page.locator("body")).to_have_attribute("data-state", "talk")
        assert not Scan.objects.exists()
        server = serve()
        expect(page.locator("#offline-status")).to_be_hidden(timeout=15_000)  # the page's retry timer sent it
        time.sleep(3.5)
    finally:
        server.terminate()
        server.wait(timeout=PROCESS_TIMEOUT)
    (scan,) = Scan.objects.all()
    assert (scan.barcode, scan.verdict, scan.device_id) == (barcode, "admit", gate_a.device.pk)
    assert abs(scan.made_at.timestamp() - made) < 2 and (scan.at - scan.made_at).total_seconds() > 1
    assert Ticket.objects.get(barcode=barcode).state == "scanned_in"
