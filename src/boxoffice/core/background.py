"""The one way the domain hands work to the worker. The task row is written in the caller's
transaction (django-tasks-db keeps tasks in the same database), so it commits or rolls back
with the change that causes it: a rolled-back change never sends, a committed one is never
lost. The tasks live in `delivery/` and `jobs/`, which do the I/O; they are named here, not
imported, so that the domain does not depend on them."""

from django.utils.module_loading import import_string

DELIVER_MESSAGE = "boxoffice.delivery.tasks.deliver_message"
RUN_JOB = "boxoffice.jobs.runner.run_job"


def deliver_later(message, *, run_after=None) -> None:
    """Queue the sending of an outbox row (now, or once `run_after` has passed)."""
    deliver = import_string(DELIVER_MESSAGE)
    (deliver.using(run_after=run_after) if run_after else deliver).enqueue(message.pk)


def run_job_later(job) -> None:
    """Queue a job for the worker (jobs/runner.py)."""
    import_string(RUN_JOB).enqueue(job.pk)
