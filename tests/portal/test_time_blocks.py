"""The bad day in Chromium: an admin moves a time block from its Setup page (preview, Apply,
the progress bar, the report), cancels one from Look up orders, and writes to its buyers;
an operator is not offered any of it."""

import re

import pytest
from browser import assert_accessible
from playwright.sync_api import expect

from boxoffice.core.models import Message, Order, Ticket
from boxoffice.delivery.worker import run_until_empty

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_moves_a_block_seeing_the_preview_then_the_report(portal, admin, sell, timeslot, make_timeslot, page):
    later = make_timeslot(capacity=3)
    fits, too_big = sell(2, email="fits@x.test"), sell(3, email="big@x.test", name="Bea Big")
    portal.login(admin)
    portal.go(f"o/museum/setup/events/{timeslot.event_id}/timeslots/{timeslot.pk}/")
    page.get_by_role("link", name="Move time block…").click()
    expect(page.get_by_role("heading", name="Move time block")).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"14:00–15:00 3 free")).check()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("2 orders, 5 tickets")
    expect(preview).to_contain_text("1 order (2 tickets) →")
    expect(preview).to_contain_text("1 order (3 tickets) does not fit")
    assert Ticket.objects.filter(timeslot=later).count() == 0  # the preview changed nothing
    assert_accessible(page)
    page.get_by_role("button", name="Apply: move 1 order").click()
    expect(page).to_have_url(re.compile(r"/o/museum/jobs/\d+/$"))
    expect(page.locator("#job-progress")).to_contain_text("Waiting for the worker")
    run_until_empty()
    report = page.locator("#job-report")
    expect(report).to_contain_text("1 moved", timeout=5000)  # the panel polled and swapped itself
    expect(report).to_contain_text("1 not moved: no room")
    expect(page.locator("#not-done")).to_contain_text(too_big.code)
    assert page.locator("header.topbar, .topbar").count() == 1
    assert set(Ticket.objects.filter(order=fits).values_list("timeslot_id", flat=True)) == {later.pk}
    assert Message.objects.filter(order=fits, kind="tickets").count() == 1
    portal.order(too_big)
    expect(page.locator("#history-h ~ ol")).to_contain_text("Move time block")


def test_cancel_from_look_up_orders_asks_for_a_reason_and_lists_refunds_due(portal, admin, sell, timeslot, page):
    order = sell(2)
    portal.login(admin)
    portal.go(f"o/museum/?event={timeslot.event_id}&timeslot={timeslot.pk}")
    page.get_by_role("link", name="Cancel this block…").click()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#form-error")).to_contain_text("Say why")
    page.get_by_label("Reason (the buyers read it)").fill("The air conditioning failed")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("There will be no automatic refund")
    page.get_by_role("button", name="Apply: cancel 2 tickets").click()
    run_until_empty()
    expect(page.locator("#job-report")).to_contain_text("1 removed as a whole", timeout=5000)
    assert Order.objects.get(pk=order.pk).status == "removed"
    portal.go("o/museum/refunds-due/")
    expect(page.get_by_role("link", name=order.code, exact=True)).to_be_visible()


def test_message_buyers_shows_one_rendered_email_before_sending(portal, admin, sell, timeslot, page):
    sell(1, email="ann@x.test"), sell(1, email="ann@x.test"), sell(1, email="bob@x.test", name="Bob")
    portal.login(admin)
    portal.go(f"o/museum/?event={timeslot.event_id}")
    page.get_by_role("link", name="Message these buyers…").click()
    page.get_by_label("Subject").fill("Your visit on {visit}")
    page.get_by_label("Text").fill("Dear {name},\nthe side entrance is open. Order {order}.")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("2 buyers (3 orders)")
    expect(preview).to_contain_text("1 of them has several orders and gets one email")
    expect(preview.locator(".sample-email")).to_contain_text("Dear Ann Buyer")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("button", name="Send to 2 buyers")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Send to 2 buyers").click()
    expect(page).to_have_url(re.compile(r"/o/museum/jobs/\d+/$"))
    run_until_empty()
    expect(page.locator("#job-report")).to_contain_text("2 emailed", timeout=5000)
    statuses = sorted(Message.objects.filter(kind="custom").values_list("status", flat=True))
    assert statuses == ["included", "sent", "sent"]  # Ann's second order rode along with her first


def test_an_operator_is_offered_none_of_it(portal, operator, sell, timeslot, page):
    sell(1)
    portal.login(operator)
    portal.go(f"o/museum/?event={timeslot.event_id}&timeslot={timeslot.pk}")
    expect(page.locator("#order-results")).to_be_visible()
    expect(page.get_by_role("link", name="Cancel this block…")).to_have_count(0)
    answer = page.goto(f"{portal.url}/o/museum/time-blocks/cancel/?block={timeslot.pk}")
    assert answer.status == 403


def test_odd_block_ids_get_a_message_not_an_error(admin, timeslot):
    from django.test import Client

    client = Client()
    client.force_login(admin.user)
    for odd in ("9" * 30, "abc", "-1", ""):
        answer = client.get(f"/o/museum/time-blocks/move/?block={odd}")
        assert answer.status_code == 400 and b"Choose a time block first" in answer.content
    answer = client.post(f"/o/museum/time-blocks/move/?block={timeslot.pk}", {"block": timeslot.pk, "target": "9" * 30})
    assert answer.status_code == 200 and b"No time block" in answer.content
