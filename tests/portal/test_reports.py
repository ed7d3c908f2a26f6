"""Reports in a real browser: an admin sees what an event sold today, with the chart; an
operator has no Reports."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from browser import accessibility_problems
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from boxoffice.core.services import setup

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_sees_todays_sales_with_a_chart(portal, admin, sell, child):
    sell(2)
    sell(1, ticket_type=child, payment_method="cash")
    page = portal.login(admin)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("#report-sold")).to_have_text("3")
    expect(page.locator("#report-revenue")).to_have_text("EUR 43.00")
    expect(page.get_by_role("img", name="Revenue per day of sale")).to_be_visible()
    expect(page.locator(".chart rect")).to_have_count(30)  # the last 30 days, today's bar the tallest
    expect(page.get_by_role("table", name="Ticket type")).to_contain_text("Child")
    expect(page.get_by_role("table", name="Payment method")).to_contain_text("Cash")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert not accessibility_problems(page)

    page.get_by_label("Sold from").fill("2026-01-10")
    page.get_by_label("to", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("the first day first")
    page.get_by_label("Sold from").fill("9999-12-01")
    page.get_by_label("to", exact=True).fill("9999-12-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("between 2000 and 2100")


def test_an_operator_has_no_reports(portal, operator):
    page = portal.login(operator)
    expect(page.get_by_role("link", name="Reports")).to_have_count(0)
    with page.expect_response(lambda r: r.url.endswith("/reports/")) as answer:
        portal.go(f"o/{operator.organizer.slug}/reports/")
    assert answer.value.status == 403


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_report_opens_on_the_last_30_days_where_the_event_is(admin, organizer, zone):
    # 25 hours apart: at any hour at least one of them is on another day than the server (UTC).
    setup.create_event(organizer, name="Far away", venue="Main hall", timezone=zone, actor=admin)
    client = Client()
    client.force_login(admin.user)
    page = client.get(f"/o/{organizer.slug}/reports/").content.decode()
    today = timezone.localdate(timezone=ZoneInfo(zone))
    assert f'name="date_to" value="{today.isoformat()}"' in page
    assert f'name="date_from" value="{(today - timedelta(days=29)).isoformat()}"' in page
