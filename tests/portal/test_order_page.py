"""Signing in, finding orders and reading an order page, as an operator does."""

import re

import pytest
from playwright.sync_api import expect

from boxoffice.core.services import orders

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
    line = page.get_by_role("row", name=re.compile("2 × Adult"))
    expect(line).to_have_text(re.compile(r"2 × Adult at (\d+\.\d\d)\s*EUR (\d+\.\d\d)"))  # the line's total, not its unit price
    unit = order.lines.get().unit_price
    expect(line.locator("td.num")).to_have_text(f"EUR {unit * 2:.2f}")


def test_another_organizers_order_answers_404(portal, operator, sell, other_org):
    """Under the operator's own organizer, the other organizer's order and tickets do not
    exist; and the other organizer itself does not exist for them."""
    theirs = other_org.sell(1)
    their_barcode = theirs.tickets.get().barcode
    ours = sell(1)
    page = portal.login(operator)
    for path in (
        f"o/museum/orders/{theirs.code}/", f"o/museum/orders/{theirs.code}/tickets/{their_barcode}/",
        f"o/museum/orders/{ours.code}/tickets/{their_barcode}/", f"o/museum/orders/{theirs.code}/ticket-operations/",
        "o/theatre/", f"o/theatre/orders/{theirs.code}/",
    ):  # fmt: skip
        response = page.goto(f"{portal.url}/{path}")
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text(theirs.buyer.name)


def test_barcode_typed_like_a_handheld_scanner_lands_on_the_order(portal, operator, sell):
    order = sell(2)
    barcode = order.tickets.first().barcode
    page = portal.login(operator)
    page.get_by_label("Search").press_sequentially(barcode, delay=5)  # a keyboard wedge types fast
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/orders/{order.code}/$"))
    expect(page.get_by_role("heading", name=re.compile(order.code))).to_be_visible()
