"""Failed deliveries (§5): temporary failures are retried after a delay, permanent ones fail the
message at once; either way the error shows on the order, and a failed message can be sent
again from the order."""

import pytest
from api.helpers import ApiClient, assert_error
from django.utils import timezone
from smtp_server import ACCEPT, DEFER, REJECT

from boxoffice.core.errors import DomainError
from boxoffice.core.models import AuditEntry, Message
from boxoffice.core.services import messages as message_services
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import team

from .helpers import message_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_as(client):
    return lambda membership: ApiClient(client, membership.organizer.slug, team.create_api_token(membership))


def api_message(api, order) -> dict:
    response = api.get(f"orders/{order.code}")
    assert response.status_code == 200, response.content
    (message,) = response.json()["messages"]
    return message


def test_smtp_server_down_keeps_the_message_queued_and_the_retry_sends_it_once(sell, smtp_down, retry_after, worker):
    order = sell(1, send_tickets=True)

    worker()

    message = message_of(order)
    assert message.status == Message.Status.QUEUED
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    assert message.next_attempt_at > timezone.now()

    smtp_down.start()
    worker()  # the retry is not due yet
    assert smtp_down.received == []
    assert message_of(order).status == Message.Status.QUEUED

    retry_after.wait()
    worker()

    (received,) = smtp_down.received
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.smtp_message_id == received.message_id
    worker()
    assert len(smtp_down.received) == 1


def test_a_permanent_refusal_fails_the_message_at_once_and_the_order_shows_the_error(
    sell, smtp, retry_after, worker, viewer, api_as
):
    smtp.mode(REJECT)
    order = sell(1, send_tickets=True)

    worker()
    retry_after.wait()
    worker()

    assert smtp.received == []
    assert smtp.handler.rcpt_calls == 1  # never retried
    message = message_of(order)
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error
    shown = api_message(api_as(viewer), order)
    assert shown["id"] == message.pk
    assert (shown["status"], shown["attempts"], shown["sent_at"]) == ("failed", 1, None)
    assert shown["last_error"] == message.last_error


def test_temporary_failures_that_outlast_every_retry_fail_the_message(sell, smtp, retry_after, worker):
    smtp.mode(DEFER)
    order = sell(1, send_tickets=True)

    worker()
    for attempt in range(2, len(retry_after.delays) + 2):
        assert message_of(order).status == Message.Status.QUEUED
        retry_after.wait()
        worker()
        assert message_of(order).attempts == attempt

    message = message_of(order)
    assert message.status == Message.Status.FAILED
    assert message.attempts == 1 + len(retry_after.delays)
    assert "451" in message.last_error
    assert smtp.handler.rcpt_calls == message.attempts
    assert smtp.received == []


def test_resending_a_failed_message_queues_it_again_and_it_is_sent(sell, smtp, worker, operator):
    smtp.mode(REJECT)
    order = sell(1, send_tickets=True)
    worker()
    failed = message_of(order)
    smtp.mode(ACCEPT)

    message = message_services.resend_message(failed, actor=operator)

    assert (message.pk, message.status, message.attempts) == (failed.pk, Message.Status.QUEUED, 0)
    audit = AuditEntry.objects.get(order=order, action="message.resent")
    assert audit.before["status"] == "failed" and audit.after == {"status": "queued"}
    worker()
    (received,) = smtp.received
    assert received.rcpt_tos == ["ann@example.test"]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.smtp_message_id) == ("sent", 1, received.message_id)
    assert Message.objects.filter(order=order).count() == 1


def test_resend_through_the_api_answers_202_with_the_message_queued(sell, smtp, worker, operator, api_as):
    smtp.mode(REJECT)
    order = sell(1, send_receipt=True)
    worker()
    failed = message_of(order, "receipt")
    smtp.mode(ACCEPT)

    response = api_as(operator).post(f"orders/{order.code}/messages/{failed.pk}/resend")

    assert response.status_code == 202, response.content
    (shown,) = response.json()["messages"]
    assert (shown["id"], shown["status"], shown["attempts"]) == (failed.pk, "queued", 0)
    worker()
    assert len(smtp.received) == 1
    assert message_of(order, "receipt").status == Message.Status.SENT


def test_only_a_failed_message_can_be_resent(sell, smtp, worker, operator, api_as):
    order = sell(1, send_tickets=True)
    worker()
    sent = message_of(order)

    with pytest.raises(DomainError) as refused:
        message_services.resend_message(sent, actor=operator)
    assert refused.value.code == "invalid_transition"
    assert_error(api_as(operator).post(f"orders/{order.code}/messages/{sent.pk}/resend"), 409, "invalid_transition")

    worker()
    assert len(smtp.received) == 1
    assert not AuditEntry.objects.filter(action="message.resent").exists()


def test_failed_tickets_of_a_removed_order_cannot_be_resent(sell, smtp, worker, operator):
    smtp.mode(REJECT)
    order = sell(1, send_tickets=True)
    worker()
    order_services.remove_order(order, actor=operator, reason="The buyer cannot come")

    with pytest.raises(DomainError) as refused:
        message_services.resend_message(message_of(order), actor=operator)

    assert refused.value.code == "order_removed"
    assert message_of(order).status == Message.Status.FAILED


def test_a_viewer_cannot_resend(sell, smtp, worker, viewer, api_as):
    smtp.mode(REJECT)
    order = sell(1, send_tickets=True)
    worker()

    response = api_as(viewer).post(f"orders/{order.code}/messages/{message_of(order).pk}/resend")

    assert_error(response, 403, "permission_denied")
    assert message_of(order).status == Message.Status.FAILED


def test_resend_of_a_message_of_another_order_is_not_found(sell, smtp, worker, operator, api_as):
    smtp.mode(REJECT)
    order, other = sell(1, send_tickets=True), sell(1, email="bob@example.test", name="Bob")
    worker()

    response = api_as(operator).post(f"orders/{other.code}/messages/{message_of(order).pk}/resend")

    assert_error(response, 404, "not_found")
    assert message_of(order).status == Message.Status.FAILED
