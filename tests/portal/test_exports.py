"""Export… on Look up orders, in a real browser: an admin downloads what the search found;
an operator is offered no export."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from boxoffice.delivery.worker import run_until_empty
from boxoffice.exports import service

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_exports_the_orders_the_search_found(portal, admin, sell):
    smit = sell(2, email="yara.smit@example.test", name="Yara Smit")
    sell(1, email="bob@example.test", name="Bob Jansen")
    sell(1, email="jules.smit@example.test", name="Jules Smit")
    page = portal.login(admin)
    box = page.get_by_role("searchbox", name="Search")
    box.fill("smit")
    box.press("Enter")
    expect(page.locator("#results")).to_contain_text("2 orders matching “smit”")
    page.get_by_text("Export…").click()
    with page.expect_download() as info:
        page.get_by_role("group", name="Export these orders").get_by_role("link", name="CSV").first.click()
    download = info.value
    assert download.suggested_filename == "museum-orders.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert sorted(r["buyer"] for r in rows) == ["Jules Smit", "Yara Smit"]
    assert {r["order"] for r in rows} >= {smit.code}


def test_an_operator_is_offered_no_export(portal, operator, sell):
    sell(1)
    page = portal.login(operator)
    expect(page.locator("#order-results")).to_be_visible()
    expect(page.get_by_text("Export…")).to_have_count(0)


def test_a_big_export_shows_its_progress_page_then_downloads_as_plain_csv(portal, admin, sell, monkeypatch):
    monkeypatch.setattr(service, "INLINE_ROWS", 1)
    orders = [sell(1, email=f"v{i}@example.test", name=f"Visitor {i}") for i in range(3)]
    page = portal.login(admin)
    page.get_by_text("Export…").click()
    page.get_by_role("group", name="Export these orders").get_by_role("link", name="CSV").first.click()
    expect(page.get_by_role("heading", name="Export of orders (CSV)")).to_be_visible()
    run_until_empty()
    with page.expect_download(timeout=15_000) as info:
        page.get_by_role("link", name=re.compile("Download")).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    assert {r["order"] for r in csv.DictReader(io.StringIO(text))} == {o.code for o in orders}
