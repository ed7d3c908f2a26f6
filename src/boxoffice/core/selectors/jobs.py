"""Finding a job for someone: only in their organizer, and only of a kind their role may start
(an export holds buyers' personal data: an operator who guesses its id finds nothing)."""

from boxoffice.core.errors import NotFound
from boxoffice.core.models import Job
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
