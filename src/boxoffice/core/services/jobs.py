"""Starting long work for the worker (core/models/jobs.py; jobs/runner.py runs it). A job is
asked for like any change: permission, one transaction (its row and its task together), one
audit entry. The same work asked for again while an earlier job for it is fresh (a second
click, a reload, a retry) gets that job instead of a second one."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.background import run_job_later
from boxoffice.core.models import Job
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require

REUSE = timedelta(minutes=30)


def start_job(organizer, *, kind: str, actor, params: dict, total: int, permission: Permission,
              fingerprint: str = "", order=None, label: str = "") -> Job:  # fmt: skip
    """Raises PermissionDenied (or NotFound for another organizer's actor)."""
    require(actor, permission, organizer_id=organizer.pk)
    with transaction.atomic():
        if fingerprint and (earlier := _fresh(organizer, kind, fingerprint)):
            return earlier
        job = Job.objects.create(
            organizer=organizer, kind=kind, params=params, total=total, fingerprint=fingerprint, order=order,
            created_by=actor,
        )  # fmt: skip
        run_job_later(job)
        audit.record(actor, f"job.{kind}", organizer=organizer, order=order, target=label or str(job.pk),
                     after={"job": job.pk, "total": total})  # fmt: skip
    return job


def _fresh(organizer, kind: str, fingerprint: str) -> Job | None:
    return (
        Job.objects.filter(organizer=organizer, kind=kind, fingerprint=fingerprint, created_at__gte=timezone.now() - REUSE)
        .exclude(status__in=[Job.Status.FAILED, Job.Status.CANCELLED])
        .order_by("-pk")
        .first()
    )
