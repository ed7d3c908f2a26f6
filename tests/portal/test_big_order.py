"""A group order of 1,000 tickets opens like a small one: the same number of queries for its
page and its API answer, the first 100 tickets shown with the count of all, every ticket a
page at a time through GET orders/{code}/tickets."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from boxoffice.core.services import team

pytestmark = pytest.mark.django_db


def queries(client, path: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(captured), response


def test_a_thousand_ticket_order_costs_the_queries_of_a_small_one(operator, sell, make_timeslot):
    big_slot = make_timeslot(capacity=2000)
    small, big = sell(2), sell(1000, slot=big_slot, email="school@x.test", name="City School")
    client = Client()
    client.force_login(operator.user)
    token = {"HTTP_AUTHORIZATION": f"Bearer {team.create_api_token(operator, name='t')}"}
    queries(client, f"/o/museum/orders/{small.code}/")  # first requests warm the session and caches
    small_page, _ = queries(client, f"/o/museum/orders/{small.code}/")
    big_page, page = queries(client, f"/o/museum/orders/{big.code}/")
    assert big_page == small_page
    html = page.content.decode()
    tickets_table = html.split('id="tickets-h"', 1)[1].split("</table>", 1)[0]
    assert tickets_table.count("<tr class=") == 100  # the first 100 rows, not 1,000
    assert "The first 100 of 1000 valid tickets" in html and '<small class="muted">1000 valid' in html
    small_api, _ = queries(client, f"/api/v1/organizers/museum/orders/{small.code}", **token)
    big_api, answer = queries(client, f"/api/v1/organizers/museum/orders/{big.code}", **token)
    assert big_api == small_api
    body = answer.json()
    assert len(body["tickets"]) == 100 and body["ticket_counts"] == {"live": 1000, "void": 0, "printable": 1000}
    listed = client.get(f"/api/v1/organizers/museum/orders/{big.code}/tickets?page=10&page_size=100", **token).json()
    assert listed["count"] == 1000 and len(listed["items"]) == 100
    barcodes = set(big.tickets.values_list("barcode", flat=True))
    assert {t["barcode"] for t in listed["items"]} <= barcodes


def test_a_change_to_a_thousand_tickets_is_in_the_order_answer_by_its_target_and_in_full_in_the_history(
    operator, sell, make_timeslot
):
    from boxoffice.core.services.tickets import reissue_tickets

    big = sell(1000, slot=make_timeslot(capacity=2000), email="school@x.test", name="City School")
    reissue_tickets(big, actor=operator)
    client = Client()
    token = {"HTTP_AUTHORIZATION": f"Bearer {team.create_api_token(operator, name='t')}"}
    answer = client.get(f"/api/v1/organizers/museum/orders/{big.code}", **token)
    assert len(answer.content) < 150_000  # the first 100 of each kind of ticket, not 2,000 barcodes twice
    reissued = [e for e in answer.json()["history"] if e["action"] == "tickets.reissued"]
    assert reissued[0]["details"]["omitted"] == "before, after"
    full = client.get(f"/api/v1/organizers/museum/orders/{big.code}/history", **token).json()["items"]
    assert len(next(e for e in full if e["action"] == "tickets.reissued")["details"]["after"]["new"]) == 1000
