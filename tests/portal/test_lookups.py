"""Look up orders as the desk does it all day, in Chromium: a code, an email or a scanned
barcode and Enter opens the order as a page of its own (its URL, one top bar); the next scan
replaces the box's text, from any page; the results say when each visit is, and the keyboard
walks them; the filters follow each other without a reload."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _one_page(page, order) -> None:
    expect(page).to_have_url(re.compile(rf"/o/museum/orders/{order.code}/$"))
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.code)


def _scan(page, text: str) -> None:
    """What a keyboard-wedge scanner does: fast keystrokes into whatever has the focus, Enter."""
    page.keyboard.type(text, delay=3)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("kind", ["code", "email", "barcode"])
def test_a_single_hit_opens_the_order_as_its_own_page(portal, operator, sell, kind):
    order = sell(2, email="zoe.lookup@example.test")
    term = {"code": order.code, "email": "zoe.lookup@example.test", "barcode": order.tickets.first().barcode}[kind]
    page = portal.login(operator)
    page.get_by_label("Search").fill(term)
    page.keyboard.press("Enter")
    _one_page(page, order)


def test_ten_barcodes_scanned_one_after_another_each_open_their_order(portal, operator, sell):
    orders = [sell(1, email=f"visitor{n}@example.test") for n in range(10)]
    page = portal.login(operator)
    expect(page.get_by_label("Search")).to_be_focused()
    for order in orders:
        _scan(page, order.tickets.get().barcode)
        _one_page(page, order)
        box = page.get_by_label("Look up orders")
        expect(box).to_be_focused()
        assert page.evaluate("() => { const b = document.activeElement; return b.selectionStart === 0 && b.selectionEnd === b.value.length && b.value.length > 0; }")


def test_slash_goes_to_the_search_box_from_any_page(portal, operator, sell):
    order = sell(1)
    page = portal.login(operator)
    portal.order(order)
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.get_by_label("Look up orders")).to_be_focused()
    _scan(page, order.code)
    _one_page(page, order)


def test_results_show_the_visit_tickets_and_phone_and_the_keyboard_walks_them(portal, operator, sell, timeslot):
    first = sell(2, email="ann.one@example.test", name="Ann Lookup", phone="06 1111 2222")
    second = sell(3, email="ann.two@example.test", name="Ann Lookup")
    page = portal.login(operator)
    page.get_by_label("Search").fill("lookup")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("2 orders matching “lookup”")
    rows = page.locator("#order-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("2 tickets")
    expect(rows.nth(1)).to_contain_text("06 1111 2222")
    expect(rows.nth(0)).to_contain_text("3 tickets")
    expect(rows.nth(0)).to_contain_text("10:00–11:00")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name=second.code)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name=first.code)).to_be_focused()
    page.keyboard.press("Enter")
    _one_page(page, first)
    page.go_back()  # the results as a whole page again, not the part htmx swapped in (Vary: HX-Request)
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("#order-results tbody tr")).to_have_count(2)
    page.locator("#order-results tbody tr", has_text=second.code).get_by_text("Ann Lookup").click()  # anywhere on the row
    _one_page(page, second)


def test_the_time_block_filter_follows_the_event_without_a_reload(portal, operator, sell, event, timeslot, other_timeslot):
    sell(1, slot=timeslot)
    later = sell(1, slot=other_timeslot)
    page = portal.login(operator)
    expect(page.get_by_label("Time block")).to_have_count(0)
    with page.expect_request(lambda r: "event=" in r.url):
        page.get_by_label("Event").select_option(label=event.name)
    expect(page.get_by_label("Time block")).to_be_visible()
    label = page.get_by_label("Time block").locator("option", has_text="11:00–12:00").inner_text()
    page.get_by_label("Time block").select_option(label=label)
    expect(page.locator("#order-results tbody tr")).to_have_count(1)
    expect(page.locator("#order-results")).to_contain_text(later.code)
