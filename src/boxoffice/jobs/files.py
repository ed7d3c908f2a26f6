"""A finished job's file as an HTTP answer, the same for the portal and the API."""

from django.http import HttpResponse

from boxoffice.core.models import Job
from boxoffice.exports.service import stored_gzipped


def job_file_response(job: Job) -> HttpResponse:
    response = HttpResponse(bytes(job.result), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["Cache-Control"] = "no-store"
    if stored_gzipped(job):
        response["Content-Encoding"] = "gzip"  # the browser or client unpacks it as it saves
    return response
