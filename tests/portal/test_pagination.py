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


def test_refunds_due_come_in_pages(sell, operator, admin, monkeypatch):
    monkeypatch.setattr(refunds, "PAGE_SIZE", 2)
    for i in range(3):
        order_services.remove_order(sell(1, email=f"r{i}@example.test"), actor=operator, reason="Ill")
    boss = Client()
    boss.force_login(admin.user)
    page = boss.get("/o/museum/refunds-due/").content.decode()
    assert "Page 1 of 2" in page and 'href="?page=2" rel="next"' in page
