"""Whole time blocks on a real PostgreSQL server: 2,000 orders into room for 1,500 moves
exactly 1,500 and lists 500, and what is left moved on while the desk sells into the same
block is never oversold; and a worker process killed half way (SIGKILL) then started again finishes the
job with no order moved twice and no buyer emailed twice, counted on a real SMTP server."""

import signal
import threading
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count
from processes import PROCESS_TIMEOUT, start_worker, wait_for, worker_env
from smtp_server import smtp, smtp_down  # noqa: F401 — fixtures

from boxoffice.core.errors import DomainError
from boxoffice.core.models import AuditEntry, Job, JobStep, Message, Ticket, Timeslot
from boxoffice.core.services import setup, time_blocks
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order
from boxoffice.delivery.worker import run_until_empty

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]
AMS = ZoneInfo("Europe/Amsterdam")


def block(event, admin, day: int, capacity: int) -> Timeslot:
    start = datetime(2027, 4, 1, 14, tzinfo=AMS) + timedelta(days=day)
    return setup.create_timeslot(event, start=start, end=start + timedelta(hours=1), capacity=capacity, actor=admin)


def sell_many(event, adult, slot, operator, n: int, *, prefix: str) -> list:
    return [
        sell_order(Sale(event=event, buyer=BuyerDetails(email=f"{prefix}{i}@x.test", name=f"Visitor {i}"),
                        lines=[SaleLine(adult.pk, slot.pk, 1)], payment_method="invoice"), actor=operator)
        for i in range(n)
    ]  # fmt: skip


def live(slot) -> int:
    return Ticket.objects.filter(timeslot=slot).exclude(state=Ticket.State.VOID).count()


def test_two_thousand_orders_into_room_for_fifteen_hundred(event, adult, admin, operator):
    source = block(event, admin, 0, 2000)
    first, second = block(event, admin, 1, 1000), block(event, admin, 2, 600)
    sell_many(event, adult, first, operator, 100, prefix="early")  # room left: 900 + 600 = 1,500
    sell_many(event, adult, source, operator, 2000, prefix="v")
    job = time_blocks.start_move(event.organizer, sources=[source.pk], targets=[first.pk, second.pk], notify=False,
                                 close_source=False, actor=admin)  # fmt: skip
    run_until_empty()

    job.refresh_from_db()
    outcomes = Counter(JobStep.objects.filter(job=job).values_list("code", flat=True))
    assert (job.status, outcomes) == ("done", {"moved": 1500, "no_room": 500})
    for slot in (first, second, source):
        slot.refresh_from_db()
        assert slot.sold == live(slot) <= slot.capacity
    assert (first.sold, second.sold, source.sold) == (1000, 600, 500)
    moved_twice = AuditEntry.objects.filter(action="order.rescheduled").values("order_id").annotate(n=Count("pk")).filter(n__gt=1)
    assert not moved_twice.exists()

    # The 500 left move on to a block with room for 300 while the desk sells into it.
    third = block(event, admin, 3, 300)
    again = time_blocks.start_move(event.organizer, sources=[source.pk], targets=[third.pk], notify=False,
                                   close_source=True, actor=admin)  # fmt: skip
    results: list[int] = []

    def desk_sales():
        sold = 0
        for i in range(40):
            try:
                sell_many(event, adult, third, operator, 1, prefix=f"desk{i}-")
                sold += 1
            except DomainError:
                pass
        connection.close()
        results.append(sold)

    desk = threading.Thread(target=desk_sales)
    desk.start()
    run_until_empty()
    desk.join(timeout=PROCESS_TIMEOUT)
    outcomes = Counter(JobStep.objects.filter(job=again).values_list("code", flat=True))
    third.refresh_from_db()
    assert outcomes["moved"] == 300 - results[0] and outcomes["moved"] + outcomes["no_room"] == 500
    assert third.sold == live(third) == 300  # full, never over
    assert Timeslot.objects.get(pk=source.pk).closed


def test_a_worker_killed_half_way_finishes_the_job_when_started_again(event, adult, admin, operator, smtp, tmp_path):
    source, target = block(event, admin, 0, 400), block(event, admin, 1, 400)
    orders = sell_many(event, adult, source, operator, 300, prefix="k")
    job = time_blocks.start_move(event.organizer, sources=[source.pk], targets=[target.pk], notify=True,
                                 close_source=False, actor=admin)  # fmt: skip
    env = worker_env(smtp, BOXOFFICE_JOB_LEASE_SECONDS=2)
    log = tmp_path / "worker.log"
    first = start_worker(env, log, "--interval", "0.2")
    try:
        wait_for(lambda: JobStep.objects.filter(job=job).exclude(outcome="pending").count() >= 60,
                 what="the job to be under way", log_path=log)  # fmt: skip
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=PROCESS_TIMEOUT) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    done_when_killed = JobStep.objects.filter(job=job).exclude(outcome="pending").count()
    assert 60 <= done_when_killed < 300
    assert Job.objects.get(pk=job.pk).status == "running"  # the dead worker's job, for now

    second = start_worker(env, log, "--interval", "0.2")
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).status == "done", what="the job to finish", log_path=log,
                 timeout=PROCESS_TIMEOUT * 2)  # fmt: skip
        wait_for(lambda: len(smtp.received) >= 300 and not Message.objects.exclude(status="sent").exists(),
                 what="every notice to be sent", log_path=log, timeout=PROCESS_TIMEOUT * 2)  # fmt: skip
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=PROCESS_TIMEOUT)

    job.refresh_from_db()
    assert job.attempts == 2
    assert Counter(JobStep.objects.filter(job=job).values_list("code", flat=True)) == {"moved": 300}
    per_order = Counter(AuditEntry.objects.filter(action="order.rescheduled").values_list("order_id", flat=True))
    assert per_order == {o.pk: 1 for o in orders}  # nobody moved twice
    recipients = Counter(r.rcpt_tos[0] for r in smtp.received)
    assert len(recipients) == 300 and set(recipients.values()) == {1}  # nobody emailed twice
    target.refresh_from_db()
    assert target.sold == live(target) == 300
