"""Long lists come in pages whose links keep the search and the filters."""

import re

import pytest
from django.test import Client

from boxoffice.core.services import orders as order_services
from boxoffice.portal.views import refunds

pytestmark = pytest.mark.django_db


def test_the_next_page_of_a_search_keeps_the_search(sell, operator):
    for i in range(30):
        sell(1, email=f"smit{i}@example.test", name=f"Visitor Smit {i}")
    sell(1, email="other@example.test", name="Someone Else")
    desk = Client()
    desk.force_login(operator.user)
    first = desk.get("/o/museum/", {"q": "smit", "status": "paid"}).content.decode()
    assert "30 orders matching" in first
    link = re.search(r'href="\?([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert link == "q=smit&status=paid&page=2"
    second = desk.get(f"/o/museum/?{link}").content.decode()
    assert "Page 2 of 2" in second and "Someone Else" not in second


def test_a_search_with_more_matches_than_are_counted_says_so_and_still_pages(sell, operator, monkeypatch):
    from boxoffice.core.selectors import orders as orders_selector

    monkeypatch.setattr(orders_selector, "COUNT_BOUND", 26)
    for i in range(30):
        sell(1, email=f"smit{i}@example.test", name=f"Visitor Smit {i}")
    desk = Client()
    desk.force_login(operator.user)
    first = desk.get("/o/museum/", {"q": "smit"}).content.decode()
    assert "26+ orders matching “smit”: the newest 26 are listed" in first
    assert "Visitor Smit 29" in first and "Visitor Smit 4<" not in first  # newest first
    second = desk.get("/o/museum/", {"q": "smit", "page": 2}).content.decode()
    assert "Page 2 of 2" in second and "Visitor Smit 4<" in second and "Visitor Smit 3<" not in second
    exact = desk.get("/o/museum/", {"q": "smit 1"}).content.decode()  # Smit 1 and Smit 10 to 19
    assert "11 orders matching “smit 1”</p>" in exact


def test_refunds_due_come_in_pages(sell, operator, admin, monkeypatch):
    monkeypatch.setattr(refunds, "PAGE_SIZE", 2)
    for i in range(3):
        order_services.remove_order(sell(1, email=f"r{i}@example.test"), actor=operator, reason="Ill")
    boss = Client()
    boss.force_login(admin.user)
    page = boss.get("/o/museum/refunds-due/").content.decode()
    assert "Page 1 of 2" in page and 'href="?page=2" rel="next"' in page
