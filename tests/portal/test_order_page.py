"""Signing in, finding orders and reading an order page, as an operator does."""

import re

import pytest
from playwright.sync_api import expect

from boxoffice.core.services import orders, team

pytestmark = pytest.mark.django_db(transaction=True)


def test_operator_signs_in_and_lands_on_the_box_office(portal, operator):
    page = portal.login(operator)
    expect(page.get_by_role("heading", name="Look up orders")).to_be_visible()
    expect(page.get_by_text("desk@museum.test · Operator")).to_be_visible()


def test_wrong_password_is_refused_with_a_message(portal, operator, page):
    portal.go("login/")
    page.get_by_label("Email").fill("desk@museum.test")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("didn't match")


def test_order_page_shows_buyer_comments_tickets_payment_and_history(portal, operator, sell):
    order = sell(2, email="bea@example.test", name="Bea Visser")
    orders.add_comment(order, scope="buyer", text="Needs a wheelchair space", actor=operator)
    page = portal.login(operator)
    portal.order(order)
    expect(page.get_by_role("heading", name=re.compile(f"Order {order.code}"))).to_be_visible()
    expect(page.locator(".buyer-comments")).to_contain_text("Needs a wheelchair space")
    for ticket in order.tickets.all():
        expect(page.get_by_role("cell", name=ticket.barcode)).to_be_visible()
    expect(page.locator("ol.timeline")).to_contain_text("sold the order")
    expect(page.locator("ol.timeline")).to_contain_text("added a buyer comment")


def test_another_organizers_order_answers_404(portal, operator, sell, db):
    other = team.create_organizer(slug="theatre", name="Theatre")
    team.set_member(other, email="boss@theatre.test", role="admin")
    order = sell(1)
    page = portal.login(operator)
    response = page.goto(f"{portal.url}/o/theatre/")
    assert response.status == 404
    response = page.goto(f"{portal.url}/o/theatre/orders/{order.code}/")
    assert response.status == 404


def test_barcode_typed_like_a_handheld_scanner_lands_on_the_order(portal, operator, sell):
    order = sell(2)
    barcode = order.tickets.first().barcode
    page = portal.login(operator)
    page.get_by_label("Search").press_sequentially(barcode, delay=5)  # a keyboard wedge types fast
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("heading", name=re.compile(order.code))).to_be_visible()
