"""Nothing sold or sent twice: a wizard's Finish purchase submitted again (a double click, a
second tab, a proxy's retry), at once or later, from the same session or another, answers
with the order the first made; an API request retried with its Idempotency-Key gets the
first answer; a send page submitted twice queues one email."""

import json

import pytest
from django.test import Client

from boxoffice.core.models import IdempotentRequest, Message, Order, Ticket
from boxoffice.portal import wizard_state

from .conftest import run_together

pytestmark = pytest.mark.django_db(transaction=True)
FINISH = {"payment_method": "card", "send_tickets": "on"}


def _finish(client: Client, url: str):
    return client.post(url, FINISH)


def test_concurrent_finish_purchase_posts_of_one_wizard_make_one_order(desk, wizard_at_payment, timeslot):
    url = wizard_at_payment(desk)
    answers = run_together([lambda: _finish(desk, url) for _ in range(4)])
    (order,) = Order.objects.all()
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {f"/o/museum/orders/{order.code}/"}
    assert Ticket.objects.count() == 2 and Message.objects.filter(kind="tickets").count() == 1
    timeslot.refresh_from_db()
    assert timeslot.sold == 2


def test_concurrent_finishes_from_fresh_sessions_with_the_same_wizard_make_one_order(desk, operator, wizard_at_payment):
    url = wizard_at_payment(desk)
    wid = url.rstrip("/").split("/")[-2]
    state = desk.session[f"wizard:{wid}"]
    clients = []
    for _ in range(4):  # each POST in a session of its own, holding the same wizard
        client = Client()
        client.force_login(operator.user)
        session = client.session
        session[f"wizard:{wid}"], session["wizards"] = state, [wid]
        session.save()
        clients.append(client)
    answers = run_together([lambda c=c: _finish(c, url) for c in clients])
    (order,) = Order.objects.all()
    assert {a["Location"] for a in answers} == {f"/o/museum/orders/{order.code}/"}
    assert Ticket.objects.count() == 2


def test_finishing_again_later_answers_with_the_order(desk, operator, wizard_at_payment):
    url = wizard_at_payment(desk)
    first = _finish(desk, url)
    again = _finish(desk, url)  # the back button, then Finish purchase once more
    other_session = Client()
    other_session.force_login(operator.user)
    elsewhere = _finish(other_session, url)
    (order,) = Order.objects.all()
    assert first["Location"] == again["Location"] == elsewhere["Location"] == f"/o/museum/orders/{order.code}/"
    assert "finished already" in " ".join(m.message for m in elsewhere.wsgi_request._messages)


def test_a_new_wizard_sells_a_new_order(desk, wizard_at_payment):
    _finish(desk, wizard_at_payment(desk))
    _finish(desk, wizard_at_payment(desk))
    assert Order.objects.count() == 2


def test_the_send_page_submitted_twice_queues_one_email(desk, sell):
    order = sell(1)
    page = desk.get(f"/o/museum/orders/{order.code}/send/tickets/").content.decode()
    key = page.split('name="request_key" value="')[1].split('"')[0]
    answers = run_together([
        lambda: desk.post(f"/o/museum/orders/{order.code}/send/tickets/", {"request_key": key}) for _ in range(3)
    ])  # fmt: skip
    assert {a.status_code for a in answers} == {302}
    assert Message.objects.filter(order=order, kind="tickets").count() == 1
    desk.post(f"/o/museum/orders/{order.code}/send/tickets/", {"request_key": "send:another-page"})
    assert Message.objects.filter(order=order, kind="tickets").count() == 2  # a new page is a new send


# --- the API ---------------------------------------------------------------------------------

def _sale(event, timeslot, adult, quantity: int = 2) -> dict:
    return {
        "event": event.pk, "buyer": {"email": "jo@example.test", "name": "Jo Tester"}, "payment_method": "card",
        "lines": [{"ticket_type": adult.pk, "timeslot": timeslot.pk, "quantity": quantity}], "send_tickets": True,
    }  # fmt: skip


def test_ten_threads_selling_with_one_key_make_one_order_and_get_one_answer(api, event, timeslot, adult):
    body = _sale(event, timeslot, adult)
    answers = run_together([lambda: api.post("orders", body, key="till-1-sale-0042") for _ in range(10)])
    (order,) = Order.objects.all()
    assert {a.status_code for a in answers} == {201}
    assert {a.content for a in answers} == {answers[0].content}
    assert json.loads(answers[0].content)["code"] == order.code
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 9
    assert Message.objects.count() == 1 and Ticket.objects.count() == 2


def test_the_same_key_with_another_body_is_a_conflict(api, event, timeslot, adult):
    assert api.post("orders", _sale(event, timeslot, adult, 2), key="k-1").status_code == 201
    conflict = api.post("orders", _sale(event, timeslot, adult, 3), key="k-1")
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_conflict"
    assert Order.objects.count() == 1


def test_a_refusal_is_answered_again_the_same(api, event, timeslot, adult):
    body = _sale(event, timeslot, adult, 500)  # more than the time block holds
    first = api.post("orders", body, key="k-full")
    again = api.post("orders", body, key="k-full")
    assert first.status_code == again.status_code == 409 and first.content == again.content
    assert not Order.objects.exists()


def test_keys_are_per_token(api, event, timeslot, adult, admin):
    from boxoffice.core.services import team

    other = team.create_api_token(admin)
    api.post("orders", _sale(event, timeslot, adult), key="shared-key")
    response = Client().post(
        "/api/v1/organizers/museum/orders", _sale(event, timeslot, adult), content_type="application/json",
        headers={"Authorization": f"Bearer {other}", "Idempotency-Key": "shared-key"},
    )  # fmt: skip
    assert response.status_code == 201 and Order.objects.count() == 2


@pytest.mark.parametrize("path,body", [
    ("orders/{code}/comments", {"scope": "purchase", "text": "Called about parking"}),
    ("orders/{code}/send-tickets", {}),
    ("orders/{code}/refunds", {"amount": "1.00", "method": "cash", "reason": "Goodwill"}),
    ("orders/{code}/remove", {"reason": "The buyer cannot come"}),
])  # fmt: skip
def test_every_change_is_done_once_per_key(api, sell, admin, path, body):
    from boxoffice.core.models import AuditEntry
    from boxoffice.core.services import team

    order = sell(1)
    token = team.create_api_token(admin)
    post = lambda: Client().post(  # noqa: E731
        f"/api/v1/organizers/museum/{path.format(code=order.code)}", body, content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"once-{path}"},
    )
    before = AuditEntry.objects.filter(order=order).count()
    first, second = post(), post()
    assert first.status_code < 300 and first.content == second.content
    assert AuditEntry.objects.filter(order=order).count() == before + 1


def test_a_malformed_key_is_refused(api, event, timeslot, adult):
    response = api.post("orders", _sale(event, timeslot, adult), key="has spaces")
    assert response.status_code == 422 and not Order.objects.exists()


def test_unauthenticated_requests_keep_no_key(event, timeslot, adult):
    response = Client().post(
        "/api/v1/organizers/museum/orders", _sale(event, timeslot, adult), content_type="application/json",
        headers={"Authorization": "Bearer bo_wrong", "Idempotency-Key": "k"},
    )  # fmt: skip
    assert response.status_code == 401 and not IdempotentRequest.objects.exists()
