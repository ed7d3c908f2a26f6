"""The worker's side of jobs: one task runs one job, counting its progress in the job row as
it goes and keeping its heartbeat; what it makes is stored on the job. A job whose worker
died (its heartbeat stopped) is run again, a bounded number of times; a queued job that lost
its task gets a new one. Each kind of job is one function: HANDLERS."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from boxoffice.core.background import RUN_JOB
from boxoffice.core.errors import DomainError
from boxoffice.core.models import Job

logger = logging.getLogger(__name__)
Status = Job.Status
MAX_ATTEMPTS = 3
HANDLERS = {
    "tickets_pdf": "boxoffice.documents.jobs.render_tickets",
    "export": "boxoffice.exports.service.run_export",
    "block_move": "boxoffice.core.services.time_blocks.run_block_job",
    "block_cancel": "boxoffice.core.services.time_blocks.run_block_job",
    "buyer_message": "boxoffice.core.services.time_blocks.run_block_job",
}


class Progress:
    """Given to a handler: `progress(done)` now and then; written at most twice a second."""

    def __init__(self, job: Job, every: float = 0.5):
        self.job, self.every, self.last = job, every, 0.0

    def __call__(self, done: int, *, failures: int = 0) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            Job.objects.filter(pk=self.job.pk, status=Status.RUNNING).update(
                done=done, failures=failures, heartbeat_at=timezone.now()
            )


@task()
def run_job(job_id: int) -> str:
    job = _claim(job_id)
    if job is None:
        return "not queued"
    try:
        content, name, content_type = import_string(HANDLERS[job.kind])(job, Progress(job))
    except DomainError as exc:
        return _finish(job, status=Status.FAILED, error=exc.message)
    except Exception as exc:  # noqa: BLE001 — recorded on the job, where the operator sees it
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        return _finish(job, status=Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    return _finish(job, status=Status.DONE, result=content, result_name=name, result_type=content_type, done=F("total"))


def _claim(job_id: int) -> Job | None:
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, done=0
    )
    return Job.objects.select_related("order", "organizer").get(pk=job_id) if taken else None


def _finish(job: Job, *, status: str, **fields) -> str:
    Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(status=status, finished_at=timezone.now(), **fields)
    return status


def recover_jobs() -> int:
    """Run again the jobs of workers that died (heartbeat older than JOB_LEASE_SECONDS), fail
    those that died too often, and give a task to queued jobs that lost theirs."""
    lease = timedelta(seconds=settings.JOB_LEASE_SECONDS)
    cutoff = timezone.now() - lease
    stale = Job.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, finished_at=timezone.now(), error="The worker stopped while doing this, every time."
    )
    recovered = 0
    for job_id in stale.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        if Job.objects.filter(pk=job_id, status=Status.RUNNING, heartbeat_at__lt=cutoff).update(status=Status.QUEUED):
            run_job.enqueue(job_id)
            recovered += 1
    queued = set(Job.objects.filter(status=Status.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True))
    if queued:
        waiting = DBTaskResult.objects.filter(task_path=RUN_JOB).filter(
            Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
        )
        pending = {args["args"][0] for args in waiting.values_list("args_kwargs", flat=True) if args.get("args")}
        for job_id in sorted(queued - pending):
            run_job.enqueue(job_id)
            recovered += 1
    return recovered


def forget_old_results(days: int = 1) -> int:
    """Files of jobs finished more than `days` ago are dropped (their row stays, as a record)."""
    return Job.objects.filter(finished_at__lt=timezone.now() - timedelta(days=days), result__isnull=False).update(result=None)
