"""Finding a job for someone: only in their organizer, and only of a kind their role may start
(an export holds buyers' personal data: an operator who guesses its id finds nothing)."""

from dataclasses import dataclass

from django.db.models import Count

from boxoffice.core.errors import NotFound
from boxoffice.core.models import Job, JobStep, StepOutcome
from boxoffice.core.rules.permissions import Permission, role_allows

JOB_PERMISSIONS = {
    "tickets_pdf": Permission.VIEW,
    "export": Permission.EXPORT,
    "block_move": Permission.BULK_CHANGES,
    "block_cancel": Permission.BULK_CHANGES,
    "buyer_message": Permission.BULK_CHANGES,
}


def get_job(membership, pk: int) -> Job:
    job = Job.objects.select_related("order", "organizer").filter(pk=pk, organizer_id=membership.organizer_id).first()
    if job is None or not role_allows(membership.role, JOB_PERMISSIONS.get(job.kind, Permission.EXPORT)):
        raise NotFound(f"No job {pk}.")
    return job


@dataclass(frozen=True)
class JobReport:
    """What a job over many orders did, from its steps: how many per outcome, and the orders
    it could not do (with why), the first of them; those not reached when it was cancelled."""

    codes: list[tuple[str, int]]  # (outcome code, orders), most first
    outcomes: list[tuple[str, int]]  # the same in words
    not_done: list[JobStep]
    not_done_count: int
    not_reached: int


OUTCOME_WORDS = {
    "moved": "moved", "no_room": "not moved: no room", "nothing_to_move": "not moved: nothing left in the block",
    "order_removed": "removed as a whole", "tickets_removed": "tickets removed, the rest kept",
    "nothing_to_cancel": "nothing left to cancel", "queued": "emailed", "no_email": "no email address",
}  # fmt: skip


def job_report(job: Job, *, limit: int = 200) -> JobReport | None:
    """None for a job that has no steps (a PDF, an export)."""
    steps = JobStep.objects.filter(job=job)
    counts = list(steps.exclude(outcome=StepOutcome.PENDING).values_list("code").annotate(n=Count("pk")).order_by("-n", "code"))
    if not counts and not steps.exists():
        return None
    not_done = steps.filter(outcome=StepOutcome.NOT_DONE)
    return JobReport(
        codes=counts,
        outcomes=[(OUTCOME_WORDS.get(code, code.replace("_", " ")), n) for code, n in counts],
        not_done=list(not_done.select_related("order__buyer").order_by("pk")[:limit]) if limit else [],
        not_done_count=not_done.count(),
        not_reached=steps.filter(outcome=StepOutcome.PENDING).count() if job.is_finished else 0,
    )
