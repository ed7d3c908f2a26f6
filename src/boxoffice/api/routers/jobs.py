"""Jobs (big ticket PDFs now): their progress, and the file once done."""

from django.urls import reverse
from ninja import Router

from boxoffice.api.auth import membership_for
from boxoffice.api.schemas.jobs import JobOut
from boxoffice.core.errors import JobNotDone
from boxoffice.core.models import Job
from boxoffice.jobs.files import job_file_response
from boxoffice.core.selectors.jobs import get_job, job_report

router = Router(tags=["jobs"])


def job_out(job: Job) -> dict:
    report = job_report(job, limit=0)
    done = job.status == Job.Status.DONE and report is None
    file_url = reverse("api:job_file", kwargs={"org": job.organizer.slug, "job": job.pk}) if done else None
    return {
        **{f: getattr(job, f) for f in ("id", "kind", "status", "total", "done", "failures", "error",
                                        "created_at", "started_at", "finished_at")},
        "seconds_left": job.seconds_left, "file_url": file_url,
        "report": dict(report.codes) if report else None, "not_reached": report.not_reached if report else 0,
    }  # fmt: skip


@router.get("organizers/{org}/jobs/{id:job}", response=JobOut)
def job_detail(request, org: str, job: int):
    """Poll this until `status` is done (then fetch `file_url`) or failed (see `error`)."""
    return job_out(get_job(membership_for(request, org), job))


@router.get(
    "organizers/{org}/jobs/{id:job}/file", response={200: None}, url_name="job_file",
    openapi_extra={"responses": {200: {"description": "What the job made", "content": {"application/pdf": {}}}}},
)  # fmt: skip
def job_file(request, org: str, job: int):
    found = get_job(membership_for(request, org), job)
    if found.status != Job.Status.DONE or found.result is None:
        raise JobNotDone(f"Job {found.pk} is {found.get_status_display().lower()}; its file is not there.")
    return job_file_response(found)
