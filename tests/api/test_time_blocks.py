"""Move, cancel and message whole time blocks through the API: a preview that changes
nothing, a job whose progress and report are polled, its steps listed, a cancel, and coded
refusals (an operator, another organizer's block, a busy block)."""

import pytest

from boxoffice.core.models import Ticket
from boxoffice.delivery.worker import run_until_empty

from .helpers import assert_error, unchanged

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def later(make_timeslot):
    return make_timeslot(capacity=3)


def test_move_preview_then_job_then_report_and_steps(as_admin, sell, timeslot, later):
    fits, big = sell(2, email="a@x.test"), sell(3, email="b@x.test")
    body = {"sources": [timeslot.pk], "targets": [later.pk], "notify": False}
    with unchanged():
        preview = as_admin.post("time-blocks/move", {**body, "preview": True})
    assert preview.status_code == 200
    assert preview.json() == {
        "orders": 2, "tickets": 5, "targets": [{"timeslot": later.pk, "orders": 1, "tickets": 2}],
        "staying": [{"order": big.code, "tickets": 3}], "staying_orders": 1, "notify": False, "close_source": False,
    }  # fmt: skip
    started = as_admin.post("time-blocks/move", body)
    assert started.status_code == 202
    job = started.json()
    assert (job["kind"], job["status"], job["total"], job["file_url"]) == ("block_move", "queued", 2, None)
    run_until_empty()
    done = as_admin.get(f"jobs/{job['id']}").json()
    assert (done["status"], done["report"], done["failures"]) == ("done", {"moved": 1, "no_room": 1}, 1)
    steps = as_admin.get(f"jobs/{job['id']}/steps?outcome=not_done").json()
    assert [(s["order"], s["code"]) for s in steps["items"]] == [(big.code, "no_room")]
    assert set(Ticket.objects.filter(order=fits).values_list("timeslot_id", flat=True)) == {later.pk}


def test_cancel_and_its_refusals(as_admin, as_operator, sell, timeslot, other):
    sell(2)
    body = {"sources": [timeslot.pk], "reason": "Storm"}
    with unchanged():
        assert_error(as_operator.post("time-blocks/cancel", body), 403, "permission_denied")
        assert_error(as_admin.post("time-blocks/cancel", {"sources": [other.timeslot.pk], "reason": "x"}), 404, "not_found")
        assert_error(as_admin.post("time-blocks/cancel", {"sources": [timeslot.pk], "reason": " "}), 422, "validation_error")
    job = as_admin.post("time-blocks/cancel", body).json()
    with unchanged():
        assert_error(as_admin.post("time-blocks/cancel", body), 409, "time_block_busy")
    stopped = as_admin.post(f"jobs/{job['id']}/cancel", {})
    assert stopped.status_code == 200 and stopped.json()["status"] == "cancelled"
    assert_error(as_admin.post(f"jobs/{job['id']}/cancel", {}), 409, "invalid_transition")
    run_until_empty()
    assert Ticket.objects.filter(state="void").count() == 0  # cancelled before the worker came to it
    assert as_admin.get(f"jobs/{job['id']}").json()["not_reached"] == 1


def test_message_preview_counts_buyers_once(as_admin, sell, timeslot):
    sell(1, email="ann@x.test"), sell(1, email="ann@x.test"), sell(1, email="bob@x.test")
    answer = as_admin.post("buyer-messages", {"timeslots": [timeslot.pk], "subject": "Hello {name}", "body": "See you",
                                              "preview": True})  # fmt: skip
    assert answer.status_code == 200
    found = answer.json()
    assert (found["recipients"], found["orders"], found["several"]) == (2, 3, 1)
    assert found["sample"]["subject"] == "Hello Ann Buyer"
    assert_error(as_admin.post("buyer-messages", {"timeslots": [timeslot.pk], "subject": "Hi {nmae}", "body": "x"}), 422,
                 "validation_error")  # fmt: skip
