"""A worker that dies in the middle of a send (§5: a crash never loses an email): its message
goes back to the queue once its lease has run out, and is then sent once. A worker that is
still within its lease keeps its message. Also `boxoffice worker` as a real process."""

import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from processes import PROCESS_TIMEOUT, start_worker, wait_for, worker_env

from boxoffice.core.models import Message
from boxoffice.delivery import outbox

from .helpers import message_of

pytestmark = pytest.mark.django_db(transaction=True)


def abandon(message: Message, *, claimed_ago: float) -> None:
    """What a worker that died mid-send leaves behind: its task taken, the message claimed
    `claimed_ago` seconds ago and never finished."""
    task = DBTaskResult.objects.ready().get()
    assert task.task_result.args == [message.pk]
    task.claim("dead-worker")
    assert outbox.claim(message.pk) is not None
    Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(seconds=claimed_ago))


def test_a_message_left_by_a_dead_worker_is_sent_once_its_lease_has_run_out(sell, smtp, worker, settings):
    settings.DELIVERY_LEASE_SECONDS = 1
    order = sell(1, send_tickets=True)
    abandon(message_of(order), claimed_ago=2)

    worker()

    (received,) = smtp.received
    message = message_of(order)
    assert message.status == Message.Status.SENT
    assert message.attempts == 2  # the dead worker's try counts
    assert message.smtp_message_id == received.message_id
    worker()
    assert len(smtp.received) == 1


def test_a_message_within_its_lease_is_left_to_the_worker_that_took_it(sell, smtp, worker, settings):
    settings.DELIVERY_LEASE_SECONDS = 300
    order = sell(1, send_tickets=True)
    abandon(message_of(order), claimed_ago=5)

    worker()

    assert smtp.received == []
    message = message_of(order)
    assert (message.status, message.attempts) == (Message.Status.SENDING, 1)


# --- `boxoffice worker` as its own process, on the test database --------------------------------


def test_a_worker_process_killed_while_sending_leaves_a_message_the_next_worker_sends(sell, smtp, tmp_path):
    order = sell(2, send_tickets=True)
    smtp.hold()
    log = tmp_path / "worker.log"
    first = start_worker(worker_env(smtp), log, "--interval", "0.2")
    try:
        wait_for(smtp.handler.in_data.is_set, what="the worker to reach DATA", log_path=log)
        message = message_of(order)
        assert (message.status, message.attempts) == (Message.Status.SENDING, 1)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=PROCESS_TIMEOUT) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    smtp.let_go()  # the killed worker never hears the answer: nothing was delivered
    assert smtp.received == []
    assert message_of(order).status == Message.Status.SENDING

    time.sleep(1.2)  # the next worker runs with a 1 s lease
    restarted = subprocess.run(
        [sys.executable, "-m", "boxoffice", "worker", "--once"],
        env=worker_env(smtp, DELIVERY_LEASE_SECONDS=1), capture_output=True, timeout=PROCESS_TIMEOUT,
    )  # fmt: skip

    assert restarted.returncode == 0, restarted.stderr.decode(errors="replace")
    (received,) = smtp.received
    assert received.rcpt_tos == ["ann@example.test"]
    message = message_of(order)
    assert (message.status, message.attempts) == (Message.Status.SENT, 2)
    assert message.smtp_message_id == received.message_id


def test_a_running_worker_process_sends_new_messages_and_stops_cleanly_on_sigterm(sell, smtp, tmp_path):
    log = tmp_path / "worker.log"
    process = start_worker(worker_env(smtp), log, "--interval", "0.2")
    try:
        order = sell(1, send_receipt=True)
        wait_for(lambda: message_of(order, "receipt").status == Message.Status.SENT, what="the receipt", log_path=log)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=PROCESS_TIMEOUT) == 0, log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    (received,) = smtp.received
    assert received.email["Subject"] == f"Payment receipt for order {order.code}"
