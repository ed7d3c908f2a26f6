"""A day at the desk in shifts, in a real browser: Sell tickets asks for a shift first, the
cash sale goes into it, Close shift shows expected against counted, and the report downloads."""

import csv
import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from boxoffice.core.models import Organizer, Payment, Shift
from tests.documents import pdf

from .test_wizard import buyer_step, tickets_step

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_operator_opens_a_shift_sells_for_cash_and_closes_it_a_euro_short(portal, operator, organizer, adult, timeslot):
    Organizer.objects.filter(pk=organizer.pk).update(desk_shifts=True)
    page = portal.login(operator)
    page.get_by_role("link", name="Sell tickets").click()
    expect(page.get_by_role("heading", name="Open a shift")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("open your shift, then sell")
    page.get_by_label("Desk").fill("Desk 2")
    page.get_by_label("Opening float").fill("100")
    page.get_by_role("button", name="Open shift").click()
    expect(page.get_by_role("heading", name="1 Buy tickets")).to_be_visible()  # back where the desk was going

    tickets_step(page, {"Adult": 2}, "10:00–11:00")
    buyer_step(page, "walk.in@example.test", "Wil Kin")
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_role("button", name="next", exact=True).click()
    page.get_by_label("Cash", exact=True).check()
    page.get_by_role("button", name="Finish purchase").click()
    page.wait_for_url(re.compile("/orders/\\w+/$"))
    shift = Shift.objects.get()
    assert Payment.objects.get().shift == shift

    page.get_by_role("link", name="Shift").click()
    expect(page.locator("#expected-cash")).to_have_text("EUR 135.00")
    page.get_by_label("Counted cash").fill("134.00")
    page.get_by_role("button", name="Close shift").click()
    page.wait_for_url(re.compile(f"/shifts/{shift.pk}/$"))
    expect(page.locator("#cash-difference")).to_have_text("EUR -1.00")
    expect(page.get_by_role("table", name="Sold per ticket type")).to_contain_text("Adult")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(open(info.value.path(), encoding="utf-8-sig").read())))
    assert ["cash", "135.00", "134.00", "-1.00"] in rows
    shift.refresh_from_db()
    assert shift.counted_cash == Decimal("134.00") and shift.closed_at is not None
    link = page.get_by_role("link", name="Print report (PDF)")
    expect(link).to_have_attribute("href", f"/o/{organizer.slug}/shifts/{shift.pk}/report.pdf")
    report = page.request.get(portal.url + link.get_attribute("href"))
    assert report.headers["content-type"] == "application/pdf"
    printed = " ".join(pdf.text(report.body()).split())
    assert "Cash (float included) EUR 135.00 EUR 134.00 EUR -1.00" in printed and "Adult 2 EUR 35.00" in printed


def test_a_colleague_cannot_see_another_operators_shift(portal, operator, organizer):
    from boxoffice.core.services import shifts, team

    mine = shifts.open_shift(operator, desk="Desk 1", opening_float=Decimal("0"))
    colleague = team.set_member(organizer, email="colleague@museum.test", role="operator")
    page = portal.login(colleague)
    with page.expect_response(lambda r: r.url.endswith(f"/shifts/{mine.pk}/")) as answer:
        portal.go(f"o/{organizer.slug}/shifts/{mine.pk}/")
    assert answer.value.status == 404
