"""Work the worker does for the desk, as any member sees it: a page with a progress bar that
follows the job on its own (htmx polls its panel while it runs), then the download."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from boxoffice.core.errors import DomainError, NotFound
from boxoffice.core.models import Job, Timeslot
from boxoffice.jobs.files import job_file_response
from boxoffice.core.selectors.jobs import get_job, job_report
from boxoffice.core.services import time_blocks
from boxoffice.core.services.formatting import timeslot_label
from boxoffice.portal.access import organizer_view

POLL_SECONDS = 1


def _job(request, pk: int) -> Job:
    try:
        return get_job(request.membership, pk)
    except NotFound:
        raise Http404("No such job") from None


def job_context(job: Job) -> dict:
    return {"job": job, "poll": POLL_SECONDS, "seconds_left": job.seconds_left, "report": job_report(job),
            "cancellable": job.kind in time_blocks.KINDS and not job.is_finished, "blocks": _blocks(job)}  # fmt: skip


def _blocks(job: Job) -> dict:
    """The time blocks a move, cancel or message job is about, as words for its page."""
    params = job.params if job.kind in time_blocks.KINDS else {}
    ids = [*params.get("sources", []), *params.get("targets", []), *params.get("timeslots", [])]
    found = Timeslot.objects.select_related("event").in_bulk(ids)
    return {key: [timeslot_label(found[i]) for i in params.get(key, []) if i in found] for key in ("sources", "targets", "timeslots")}


@organizer_view
@require_GET
@vary_on_headers("HX-Request")  # the page and its htmx part share a URL: caches must tell them apart
def job_page(request, job: int) -> HttpResponse:
    found = _job(request, job)
    template = "portal/jobs/_progress.html" if request.headers.get("HX-Request") else "portal/jobs/job.html"
    return render(request, template, job_context(found))


@organizer_view
@require_GET
def job_file(request, job: int) -> HttpResponse:
    found = _job(request, job)
    if found.status != Job.Status.DONE or found.result is None:
        raise Http404("Not ready")
    return job_file_response(found)


@organizer_view
@require_POST
def cancel_job(request, job: int) -> HttpResponse:
    found = _job(request, job)
    try:
        time_blocks.cancel_job(found, actor=request.membership)
        messages.success(request, "Cancelled: what was done stays done, the rest is left as it was.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:job", org=request.organizer.slug, job=found.pk)


urls = [
    path("o/<slug:org>/jobs/<id:job>/", job_page, name="job"),
    path("o/<slug:org>/jobs/<id:job>/file", job_file, name="job_file"),
    path("o/<slug:org>/jobs/<id:job>/cancel", cancel_job, name="cancel_job"),
]
