"""The task that sends a message is written in the same transaction as the message: a change
that commits has both, one that rolls back has neither. A queued message that has no task
(lost by a crash, or removed) is found by the worker's recovery and sent, once."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from boxoffice.core.background import DELIVER_MESSAGE
from boxoffice.core.models import Message
from boxoffice.delivery import outbox
from boxoffice.delivery.tasks import recover_stale_messages

from .helpers import message_of


def _tasks_for(message: Message) -> int:
    return sum(1 for args in DBTaskResult.objects.filter(task_path=DELIVER_MESSAGE).values_list("args_kwargs", flat=True)
               if args["args"] == [message.pk])  # fmt: skip


@pytest.mark.django_db
def test_inside_the_sales_transaction_the_task_for_its_message_exists_already(sell):
    with transaction.atomic():
        order = sell(1, send_tickets=True)
        message = message_of(order)
        assert _tasks_for(message) == 1  # not after commit: a crash in between would lose it
        transaction.set_rollback(True)
    assert not Message.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_queued_message_without_a_task_is_picked_up_by_recovery(sell, smtp, worker, settings):
    order = sell(1, send_tickets=True)
    message = message_of(order)
    DBTaskResult.objects.all().delete()  # the task a crash lost
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1))
    worker()  # recovery first, then what is due
    assert message_of(order).status == Message.Status.SENT
    (received,) = smtp.received
    assert received.rcpt_tos == [order.buyer.email]
    worker()
    assert len(smtp.received) == 1 and outbox.orphaned_message_ids() == []


@pytest.mark.django_db
def test_a_queued_message_with_its_task_waiting_is_no_orphan(sell, settings):
    order = sell(1, send_tickets=True)
    message = message_of(order)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1))
    assert outbox.orphaned_message_ids() == []
    assert recover_stale_messages() == 0 and _tasks_for(message) == 1


@pytest.mark.django_db
def test_a_message_whose_task_a_dead_worker_holds_is_an_orphan(sell, settings):
    order = sell(1, send_tickets=True)
    message = message_of(order)
    long_ago = timezone.now() - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago)
    Message.objects.filter(pk=message.pk).update(created_at=long_ago)
    assert outbox.orphaned_message_ids() == [message.pk]
