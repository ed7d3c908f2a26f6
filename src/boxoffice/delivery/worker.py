"""`boxoffice worker`: django-tasks-db's worker (emails and jobs), plus a periodic sweep:
messages and jobs whose worker died go back to the queue, old idempotency keys and job files
are forgotten, the coming months' search indexes are made (core/month_indexes.py). It runs
at a lower CPU priority (WORKER_NICE) than the web processes."""

import logging
import os
import socket
import time

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from boxoffice.api.idempotency import forget_old_requests
from boxoffice.core import month_indexes
from boxoffice.delivery.tasks import recover_stale_messages
from boxoffice.jobs.runner import forget_old_results, recover_jobs

logger = logging.getLogger(__name__)


def make_worker(*, batch: bool, interval: float = 1.0) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
        excluded_queue_names=[],
    )


def run_until_empty() -> None:
    """Send and run everything that is due now, then return (tests, one-off runs)."""
    recover_stale_messages()
    recover_jobs()
    make_worker(batch=True).run()


def sweep() -> None:
    if recovered := recover_stale_messages():
        logger.warning("Requeued %s message(s) left by a stopped worker", recovered)
    if recovered := recover_jobs():
        logger.warning("Requeued %s job(s) left by a stopped worker", recovered)
    forget_old_requests()
    forget_old_results()
    try:
        if made := month_indexes.prepare():
            logger.info("Made search indexes %s", ", ".join(made))
    except Exception:  # a month index is speed, not an answer: the sweep goes on, and tries again
        logger.exception("Could not make the month search indexes")


def run_forever(*, interval: float = 1.0) -> None:
    """Until SIGTERM/SIGINT: drain what is due, sleep, and now and then recover stale messages.
    A signal during a send lets that send finish first."""
    if settings.WORKER_NICE:
        os.nice(settings.WORKER_NICE)
    worker = make_worker(batch=True, interval=interval)
    worker.configure_signals()
    sweep_every = max(min(settings.DELIVERY_LEASE_SECONDS, settings.JOB_LEASE_SECONDS) / 2, interval)
    next_sweep = 0.0
    try:
        while worker.running:
            if time.monotonic() >= next_sweep:
                sweep()
                next_sweep = time.monotonic() + sweep_every
            worker.run()
            close_old_connections()
            if worker.running:
                time.sleep(interval)
    finally:
        worker.reset_signals()
