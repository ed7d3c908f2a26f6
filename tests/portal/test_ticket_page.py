"""A ticket's own page: its state and every gate scan of it, reached from the order page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from boxoffice.core.services import team
from boxoffice.core.services.scanning import scan_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_operator_opens_a_ticket_from_the_order_and_sees_its_gate_scans(portal, operator, admin, organizer, sell, timeslot):
    order = sell(2, name="Ann Buyer")
    scanned, untouched = order.tickets.order_by("pk")
    device, _ = team.create_device(organizer, name="Hand scanner 3", gate="North gate", actor=admin)
    inside = timeslot.start + timedelta(minutes=5)
    scan_ticket(device, barcode=scanned.barcode, direction="in", now=inside)
    scan_ticket(device, barcode=scanned.barcode, direction="in", now=inside + timedelta(minutes=1))
    scan_ticket(device, barcode=scanned.barcode, direction="out", now=inside + timedelta(minutes=30))

    page = portal.login(operator)
    portal.order(order)
    page.get_by_role("link", name=scanned.barcode).click()
    expect(page.get_by_role("heading", name=f"Ticket {scanned.barcode} Scanned out")).to_be_visible()
    expect(page.get_by_text("Ann Buyer")).to_be_visible()
    rows = page.locator("tr.scan")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("North gate")
    expect(rows.nth(0)).to_contain_text("Hand scanner 3")
    expect(rows.nth(0)).to_contain_text("Out")
    expect(rows.nth(0)).to_contain_text("Admit")
    expect(rows.nth(1)).to_contain_text("Reject")
    expect(rows.nth(1)).to_contain_text("already scanned in")
    expect(rows.nth(2)).to_contain_text("welcome")

    page.get_by_role("link", name=f"Order {order.code}").click()
    page.get_by_role("link", name=untouched.barcode).click()
    expect(page.get_by_text("No gate has scanned this ticket.")).to_be_visible()


def test_a_ticket_of_another_order_answers_404(portal, operator, sell):
    order, other = sell(1), sell(1, email="other@example.test")
    page = portal.login(operator)
    response = page.goto(f"{portal.url}/o/museum/orders/{order.code}/tickets/{other.tickets.get().barcode}/")
    assert response.status == 404
