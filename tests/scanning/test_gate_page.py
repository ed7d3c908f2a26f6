"""The gate page in a real browser, used as gate staff do: sign in with the device token, then
let a keyboard-wedge scanner type each barcode (fast keystrokes and Enter) into whatever has
the focus, and read the full-screen green or red answer."""

from zoneinfo import ZoneInfo

import pytest
from browser import accessibility_problems
from playwright.sync_api import expect

from boxoffice.core.models import Scan, Ticket
from boxoffice.core.services import team
from boxoffice.core.services import tickets as ticket_services

from .conftest import barcodes

pytestmark = pytest.mark.django_db(transaction=True)

AMS = ZoneInfo("Europe/Amsterdam")
GREEN, TEAL, AMBER, RED = "rgb(17, 119, 47)", "rgb(11, 95, 107)", "rgb(154, 91, 0)", "rgb(179, 38, 30)"


@pytest.fixture
def gate(live_server, page, transactional_db, gate_a):
    """gate.open() signs in with Gate A's token; gate.scan(barcode) types it like a scanner."""
    page.set_default_timeout(10_000)

    class Gate:
        url = f"{live_server.url}/gate/"

        def open(self, token: str = gate_a.token):
            page.goto(self.url)
            page.get_by_label("Device token").fill(token)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_label("Ticket barcode")).to_be_focused()
            return page

        def scan(self, barcode: str, *, expect_state: str):
            """Types into the focused element (as a wedge scanner does) and waits for the answer."""
            page.keyboard.type(barcode, delay=4)
            page.keyboard.press("Enter")
            expect(page.locator("body")).to_have_attribute("data-state", expect_state)
            field = page.get_by_label("Ticket barcode")
            expect(field).to_have_value("")
            expect(field).to_be_focused()
            return page.locator("#result")

        def expect_colour(self, colour: str) -> None:
            expect(page.locator("body")).to_have_css("background-color", colour)  # after its short fade

    return Gate()


def test_gate_staff_scan_admit_repeat_blacklisted_unknown_and_out(gate, page, sell_now, operator, now_slot):
    order = sell_now(2, name="Ann Buyer")
    first, blocked = barcodes(order)
    ticket_services.set_ticket_states(order, barcodes=[blocked], state="blacklisted", actor=operator)
    gate.open()
    expect(page.get_by_text("Gate A")).to_be_visible()
    expect(page.get_by_label("In")).to_be_checked()

    result = gate.scan(first, expect_state="admit-in")
    expect(result).to_contain_text("welcome")
    start = now_slot.start.astimezone(AMS)
    for text in ("Adult", order.code, "Ann Buyer", f"{start:%H:%M}–{now_slot.end.astimezone(AMS):%H:%M}"):
        expect(result).to_contain_text(text)
    gate.expect_colour(GREEN)
    assert Ticket.objects.get(barcode=first).state == "scanned_in"

    result = gate.scan(first, expect_state="talk")  # harmless: a person to talk to, not a STOP
    at = Ticket.objects.get(barcode=first).state_changed_at.astimezone(AMS)
    expect(result.locator(".message")).to_have_text(f"already scanned in at {at:%H:%M} (Gate A)")
    expect(result.locator(".verdict-word")).to_have_text("WAIT")
    gate.expect_colour(AMBER)

    result = gate.scan(blocked.lower(), expect_state="stop")
    expect(result.locator(".message")).to_have_text("ticket is blacklisted")
    expect(result).to_contain_text(order.code)
    gate.expect_colour(RED)

    result = gate.scan("ZZZZZZZZZZZZZZZZZZZZ", expect_state="stop")
    expect(result.locator(".message")).to_have_text("unknown ticket")
    expect(result.locator(".ticket")).to_have_count(0)

    page.get_by_text("Out", exact=True).click()
    expect(page.get_by_label("Ticket barcode")).to_be_focused()
    expect(page.get_by_label("Out")).to_be_checked()
    result = gate.scan(first, expect_state="admit-out")
    expect(result.locator(".message")).to_have_text("goodbye")
    expect(result.locator(".verdict-word")).to_have_text("OUT")
    gate.expect_colour(TEAL)
    assert Ticket.objects.get(barcode=first).state == "scanned_out"

    rows = list(Scan.objects.order_by("pk").values_list("gate", "direction", "reason"))
    assert rows == [
        ("Gate A", "in", "admitted"), ("Gate A", "in", "already_inside"), ("Gate A", "in", "blacklisted"),
        ("Gate A", "in", "unknown_ticket"), ("Gate A", "out", "exited"),
    ]  # fmt: skip
    assert all(scan.scan_id for scan in Scan.objects.all())  # the page sends an id for safe retries


def test_scans_typed_back_to_back_are_all_answered_in_order(gate, page, sell_now):
    codes = barcodes(sell_now(3))
    gate.open()
    for code in codes:  # the next ticket is scanned before the previous answer is shown
        page.keyboard.type(code, delay=2)
        page.keyboard.press("Enter")
    expect(page.locator("#result .read")).to_contain_text(codes[-1])
    expect(page.locator("body")).to_have_attribute("data-state", "admit-in")
    assert set(Ticket.objects.filter(barcode__in=codes).values_list("state", flat=True)) == {"scanned_in"}
    assert list(Scan.objects.order_by("pk").values_list("barcode", flat=True)) == codes


def test_another_organizers_device_sees_a_ticket_here_as_unknown(gate, page, sell_now):
    (barcode,) = barcodes(sell_now(1))
    theatre = team.create_organizer(slug="theatre", name="Harbour Theatre")
    _, token = team.create_device(theatre, name="Theatre door", gate="Stage door")
    gate.open(token)
    result = gate.scan(barcode, expect_state="stop")
    expect(result.locator(".message")).to_have_text("unknown ticket")
    expect(result.locator(".ticket")).to_have_count(0)
    gate.expect_colour(RED)
    assert Ticket.objects.get(barcode=barcode).state == "unscanned"
    assert list(Scan.objects.values_list("reason", "ticket_id")) == [("unknown_ticket", None)]


def test_revoked_device_is_signed_out_at_its_next_scan(gate, page, gate_a, sell_now):
    (barcode,) = barcodes(sell_now(1))
    gate.open()
    team.revoke_device(gate_a.device)
    page.keyboard.type(barcode, delay=4)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Device token")).to_be_visible()
    expect(page.get_by_text("no longer valid")).to_be_visible()
    assert Ticket.objects.get(barcode=barcode).state == "unscanned"


def test_wrong_token_is_refused_on_the_sign_in_page(gate, page):
    page.goto(gate.url)
    page.get_by_label("Device token").fill("bod_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not a valid device token")


def test_sign_out_returns_to_the_sign_in_page(gate, page):
    gate.open()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Device token")).to_be_visible()
    page.goto(page.url)
    expect(page.get_by_label("Ticket barcode")).to_have_count(0)


@pytest.mark.parametrize("width,height", [(390, 844), (768, 1024)])
def test_gate_page_fits_a_phone_and_a_tablet(gate, page, sell_now, width, height):
    page.set_viewport_size({"width": width, "height": height})
    (barcode,) = barcodes(sell_now(1))
    gate.open()
    result = gate.scan(barcode, expect_state="admit-in")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    for locator in (page.get_by_label("Ticket barcode"), page.get_by_text("In", exact=True),
                    page.get_by_text("Out", exact=True), result.locator(".message"),
                    page.get_by_role("button", name="Sign out"), page.get_by_role("button", name="Scan with camera")):  # fmt: skip
        box = locator.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, box
    size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('#result .message')).fontSize)"))
    assert size >= 26  # readable at arm's length
    field = page.get_by_label("Ticket barcode").bounding_box()
    assert field["height"] >= 44  # a comfortable touch target


def test_the_gate_page_is_accessible_in_every_answer(gate, page, sell_now, operator):
    order = sell_now(2)
    first, blocked = barcodes(order)
    ticket_services.set_ticket_states(order, barcodes=[blocked], state="blacklisted", actor=operator)
    page.goto(gate.url)
    problems = accessibility_problems(page)
    page.get_by_label("Device token").fill("bod_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    problems += accessibility_problems(page)
    gate.open()
    problems += accessibility_problems(page)
    for barcode, state, colour in [(first, "admit-in", GREEN), (first, "talk", AMBER), (blocked, "stop", RED)]:
        gate.scan(barcode, expect_state=state)
        gate.expect_colour(colour)  # contrast is measured on the answer's own colour
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)
