"""A big order's ticket PDF is made by the worker, not by the web process that answers the
gate: the portal shows a progress page, the API answers 202 with the job, the same request
again gets the same job, and the PDF a real scanner decodes arrives once it is done. A job
whose worker died is made again."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from documents.pdf import ticket_barcodes

from boxoffice.core.models import Job
from boxoffice.core.services import team
from boxoffice.core.services import tickets as ticket_services
from boxoffice.delivery.worker import run_until_empty
from boxoffice.jobs.runner import recover_jobs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_threshold(settings):
    settings.INLINE_PDF_TICKETS = 3  # "big" is more than 3 tickets here, to keep the tests quick


@pytest.fixture
def big_order(sell):
    return sell(5)


def _live(order) -> list[str]:
    return list(order.tickets.exclude(state="void").order_by("pk").values_list("barcode", flat=True))


def test_the_portal_sends_a_big_download_to_a_progress_page_then_the_file(desk, big_order):
    answer = desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf")
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/o/museum/jobs/{job.pk}/"
    page = desk.get(answer["Location"]).content.decode()
    assert "Waiting for the worker" in page and 'hx-trigger="every 1s"' in page
    run_until_empty()
    page = desk.get(answer["Location"]).content.decode()
    assert "Ready." in page and "hx-trigger" not in page  # the progress panel stops polling
    pdf = desk.get(f"/o/museum/jobs/{job.pk}/file")
    assert pdf["Content-Type"] == "application/pdf"
    assert ticket_barcodes(b"".join(pdf)) == _live(big_order)


def test_a_second_click_gets_the_same_job(desk, big_order):
    first = desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf")["Location"]
    second = desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf")["Location"]
    assert first == second and Job.objects.count() == 1


def test_a_small_selection_of_a_big_order_downloads_at_once(desk, big_order):
    chosen = ",".join(_live(big_order)[:2])
    answer = desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf", {"tickets": chosen})
    assert answer["Content-Type"] == "application/pdf" and not Job.objects.exists()


def test_the_api_answers_202_with_the_job_and_then_the_file(big_order, operator, client):
    token = team.create_api_token(operator)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/organizers/museum/orders/{big_order.code}/tickets.pdf"
    first = client.get(url, headers=headers)
    assert first.status_code == 202
    job = first.json()
    assert (job["kind"], job["status"], job["total"], job["file_url"]) == ("tickets_pdf", "queued", 5, None)
    assert client.get(url, headers=headers).json()["id"] == job["id"]
    early = client.get(f"/api/v1/organizers/museum/jobs/{job['id']}/file", headers=headers)
    assert early.status_code == 409 and early.json()["code"] == "job_not_done"
    run_until_empty()
    done = client.get(f"/api/v1/organizers/museum/jobs/{job['id']}", headers=headers).json()
    assert done["status"] == "done" and done["done"] == 5
    pdf = client.get(done["file_url"], headers=headers)
    assert ticket_barcodes(b"".join(pdf)) == _live(big_order)


def test_another_organizers_job_is_not_found(big_order, desk, other_org, client):
    desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf")
    job = Job.objects.get()
    theirs = team.create_api_token(other_org.admin)
    api = client.get(f"/api/v1/organizers/theatre/jobs/{job.pk}", headers={"Authorization": f"Bearer {theirs}"})
    assert api.status_code == 404
    their_desk = Client()
    their_desk.force_login(other_org.operator.user)
    assert their_desk.get(f"/o/theatre/jobs/{job.pk}/").status_code == 404
    assert their_desk.get(f"/o/theatre/jobs/{job.pk}/file").status_code == 404


def test_a_viewer_may_download_a_big_order_too(big_order, viewer):
    desk = Client()
    desk.force_login(viewer.user)
    assert desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf").status_code == 302
    assert Job.objects.get().created_by == viewer


def test_a_job_whose_worker_died_is_made_again(desk, big_order, settings):
    desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf")
    job = Job.objects.get()
    long_ago = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=long_ago, started_at=long_ago)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the dead worker had taken the task
    assert recover_jobs() == 1
    run_until_empty()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


def test_tickets_voided_before_the_worker_got_to_them_fail_the_job_with_a_reason(desk, big_order, operator):
    chosen = _live(big_order)[:4]
    desk.get(f"/o/museum/orders/{big_order.code}/tickets.pdf", {"tickets": ",".join(chosen)})
    ticket_services.reissue_tickets(big_order, actor=operator)
    run_until_empty()
    job = Job.objects.get()
    assert job.status == "failed" and "Void tickets cannot be downloaded" in job.error
    assert "It could not be made" in desk.get(f"/o/museum/jobs/{job.pk}/").content.decode()
