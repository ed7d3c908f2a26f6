"""Several workers against one PostgreSQL database (§6, §7): every queued message is sent, and
none twice — not even when a message has two tasks (as when a recovered message's first task
is still waiting)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.tasks.signals import task_started
from django_tasks_db.models import DBTaskResult

from boxoffice.core.models import Message
from boxoffice.delivery.tasks import deliver_message
from boxoffice.delivery.worker import run_until_empty

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]

ORDERS = 20  # each with a tickets and a receipt email: 40 messages
WORKERS = 2


def run_workers_together() -> set[int]:
    """Run WORKERS in-process workers at once, each on its own thread and database connection,
    until the queue is empty; returns the threads that ran at least one task."""
    barrier = threading.Barrier(WORKERS, timeout=60)
    busy: set[int] = set()

    def record(sender, **kwargs):
        busy.add(threading.get_ident())

    def work():
        try:
            barrier.wait()
            run_until_empty()
        finally:
            connection.close()

    task_started.connect(record, weak=False)
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for future in [pool.submit(work) for _ in range(WORKERS)]:
                future.result(timeout=300)
    finally:
        task_started.disconnect(record)
    return busy


def sell_orders(sell) -> list:
    return [sell(1, email=f"buyer{n}@example.test", name=f"Buyer {n}", send_tickets=True, send_receipt=True)
            for n in range(ORDERS)]  # fmt: skip


def assert_each_message_sent_exactly_once(smtp) -> None:
    messages = list(Message.objects.all())
    assert len(messages) == 2 * ORDERS
    assert {m.status for m in messages} == {Message.Status.SENT}
    received = smtp.received
    assert len(received) == len(messages)
    assert Counter(r.message_id for r in received) == Counter(m.smtp_message_id for m in messages)
    per_buyer = Counter((r.rcpt_tos[0], r.email["Subject"].split()[0]) for r in received)
    assert set(per_buyer.values()) == {1}  # one "Your tickets" and one "Payment" email per buyer
    assert len(per_buyer) == len(messages)


def test_two_workers_send_every_message_exactly_once(sell, smtp):
    sell_orders(sell)

    busy = run_workers_together()

    assert len(busy) == WORKERS, "both workers should have sent some messages"
    assert_each_message_sent_exactly_once(smtp)
    assert {m.attempts for m in Message.objects.all()} == {1}


def test_two_tasks_for_one_message_on_two_workers_still_send_it_once(sell, smtp):
    sell_orders(sell)
    # Every message gets two tasks, next to each other in the queue, so that the two workers
    # take both tasks of one message at about the same moment.
    DBTaskResult.objects.all().delete()
    for message_id in Message.objects.order_by("pk").values_list("pk", flat=True):
        deliver_message.enqueue(message_id)
        deliver_message.enqueue(message_id)

    busy = run_workers_together()

    assert len(busy) == WORKERS
    assert_each_message_sent_exactly_once(smtp)
