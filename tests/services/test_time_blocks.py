"""The bad day: a whole time block moved, cancelled or written to, previewed first, then done
by the worker order by order; never oversold, never twice, stoppable half way."""

import pytest
from smtp_server import smtp, smtp_down  # noqa: F401 — fixtures

from boxoffice.core.models import AuditEntry, Job, JobStep, Message, Order, Ticket, Timeslot
from boxoffice.core.selectors.orders import OrderFilters
from boxoffice.core.services import buyer_messages, time_blocks
from boxoffice.core.services.buyer_messages import Scope
from boxoffice.delivery.worker import run_until_empty

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def blocks(make_timeslot, timeslot):
    """The 10:00 block with room for 100 (sold below), and two later ones with room for 3 and 2."""
    return timeslot, make_timeslot(capacity=3), make_timeslot(capacity=2)


def live_in(slot) -> int:
    return Ticket.objects.filter(timeslot=slot).exclude(state=Ticket.State.VOID).count()


def test_the_preview_says_what_moves_where_and_what_does_not_fit(sell, admin, organizer, blocks):
    source, small, smaller = blocks
    first, second, third, big = sell(2, email="a@x.test"), sell(1, email="b@x.test"), sell(2, email="c@x.test"), sell(4, email="d@x.test")
    preview = time_blocks.preview_move(organizer, sources=[source.pk], targets=[smaller.pk, small.pk], notify=True,
                                       close_source=False, actor=admin)  # fmt: skip
    assert (preview.orders, preview.tickets) == (4, 9)
    assert [(t.timeslot, t.orders, t.tickets) for t in preview.targets] == [(small, 2, 3), (smaller, 1, 2)]
    assert [(m.order_id, m.tickets) for m in preview.staying] == [(big.pk, 4)]  # the earliest buyers go first
    assert not Ticket.objects.exclude(timeslot=source).exists()  # a preview changes nothing
    assert {first.pk, second.pk, third.pk}.isdisjoint(m.order_id for m in preview.staying)


def test_move_does_what_the_preview_said_and_oversells_nothing(sell, admin, organizer, blocks):
    source, small, smaller = blocks
    orders = [sell(2, email="a@x.test"), sell(1, email="b@x.test"), sell(2, email="c@x.test"), sell(4, email="d@x.test")]
    preview = time_blocks.preview_move(organizer, sources=[source.pk], targets=[small.pk, smaller.pk], notify=False,
                                       close_source=True, actor=admin)  # fmt: skip
    job = time_blocks.start_move(organizer, sources=[source.pk], targets=[small.pk, smaller.pk], notify=False,
                                 close_source=True, actor=admin, request_key="k1")  # fmt: skip
    assert Timeslot.objects.get(pk=source.pk).closed  # no new sale into a block being emptied
    run_until_empty()
    job.refresh_from_db()
    assert (job.status, job.done, job.failures) == ("done", 4, len(preview.staying))
    for slot in (small, smaller):
        slot.refresh_from_db()
        assert slot.sold == live_in(slot) <= slot.capacity
    assert live_in(small) + live_in(smaller) == preview.tickets - preview.staying_tickets
    staying = {step.order_id: step.code for step in job.steps.filter(outcome="not_done")}
    assert staying == {m.order_id: "no_room" for m in preview.staying}
    source.refresh_from_db()
    assert source.sold == live_in(source) == preview.staying_tickets
    history = AuditEntry.objects.filter(action="job.block_move.order", order=orders[3]).get()
    assert history.after["job"] == job.pk


def test_the_same_request_twice_is_one_job_and_a_second_job_on_the_block_is_refused(sell, admin, organizer, blocks, refused):
    source, small, _ = blocks
    sell(1)
    kwargs = {"sources": [source.pk], "targets": [small.pk], "notify": False, "close_source": False, "actor": admin}
    job = time_blocks.start_move(organizer, request_key="same", **kwargs)
    assert time_blocks.start_move(organizer, request_key="same", **kwargs) == job
    with refused("time_block_busy"):
        time_blocks.start_cancel(organizer, sources=[source.pk], reason="Closed", notify=False, actor=admin)
    time_blocks.cancel_job(job, actor=admin)
    again = time_blocks.start_cancel(organizer, sources=[source.pk], reason="Closed", notify=False, actor=admin)
    assert again != job


def test_only_admins_of_the_organizer_move_its_blocks(sell, operator, admin, organizer, blocks, other_org, refused):
    source, small, _ = blocks
    sell(1)
    with refused("permission_denied"):
        time_blocks.start_move(organizer, sources=[source.pk], targets=[small.pk], notify=False, close_source=False,
                               actor=operator)  # fmt: skip
    with refused("not_found"):
        time_blocks.start_move(organizer, sources=[source.pk], targets=[other_org.timeslot.pk], notify=False,
                               close_source=False, actor=admin)  # fmt: skip
    with refused("not_found"):  # another organizer's blocks do not exist for this admin
        time_blocks.preview_cancel(other_org.organizer, sources=[other_org.timeslot.pk], reason="x", notify=False,
                                   actor=admin)  # fmt: skip
    with refused("validation_error"):
        time_blocks.start_move(organizer, sources=[source.pk], targets=[source.pk], notify=False, close_source=False,
                               actor=admin)  # fmt: skip
    with refused("not_found"):  # an absurd id is an unknown block, not a query that overflows
        time_blocks.preview_move(organizer, sources=[source.pk], targets=[10**30], notify=False, close_source=False,
                                 actor=admin)  # fmt: skip


def test_cancel_removes_the_blocks_tickets_and_leaves_the_refunds_due(sell, admin, organizer, blocks, make_timeslot, smtp):
    source, later, _ = blocks
    whole = sell(2, email="whole@x.test")
    split = sell(1, email="split@x.test")
    from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

    mixed = sell_order(Sale(event=split.event, buyer=BuyerDetails(email="mixed@x.test", name="Mixed"),
                            lines=[SaleLine(split.tickets.first().ticket_type_id, source.pk, 1),
                                   SaleLine(split.tickets.first().ticket_type_id, later.pk, 1)], payment_method="card"),
                       actor=admin)  # fmt: skip
    preview = time_blocks.preview_cancel(organizer, sources=[source.pk], reason="Air conditioning failed", notify=True,
                                         actor=admin)  # fmt: skip
    assert (preview.orders, preview.tickets, preview.whole_orders, preview.paid_orders) == (3, 4, 2, 3)
    job = time_blocks.start_cancel(organizer, sources=[source.pk], reason="Air conditioning failed", notify=True,
                                   actor=admin)  # fmt: skip
    run_until_empty()
    job.refresh_from_db()
    assert (job.status, job.done, job.failures) == ("done", 3, 0)
    assert Order.objects.get(pk=whole.pk).status == "removed"
    mixed.refresh_from_db()
    assert mixed.status != "removed" and live_in(later) == 1
    assert live_in(source) == 0 and Timeslot.objects.get(pk=source.pk).sold == 0
    assert {r.rcpt_tos[0] for r in smtp.received} == {"whole@x.test", "split@x.test", "mixed@x.test"}
    text = next(r for r in smtp.received if r.rcpt_tos == ["mixed@x.test"]).email.get_body(("plain",)).get_content()
    assert "is cancelled" in text and "Air conditioning failed" in text and "other 1 ticket in this order stays valid" in text


def test_a_cancel_job_stopped_half_way_leaves_the_rest_untouched(sell, admin, organizer, blocks, monkeypatch):
    source = blocks[0]
    orders = [sell(1, email=f"v{i}@x.test") for i in range(6)]
    job = time_blocks.start_cancel(organizer, sources=[source.pk], reason="Storm", notify=False, actor=admin)
    real_step = time_blocks.STEPS["block_cancel"]
    calls = []

    def step_then_cancel(job_, step, run):
        calls.append(step.order_id)
        if len(calls) == 3:
            time_blocks.cancel_job(job_, actor=admin)
        return real_step(job_, step, run)

    monkeypatch.setitem(time_blocks.STEPS, "block_cancel", step_then_cancel)
    run_until_empty()
    job.refresh_from_db()
    assert job.status == "cancelled"
    removed = set(Order.objects.filter(status="removed").values_list("pk", flat=True))
    assert removed == {o.pk for o in orders[:3]}
    assert job.steps.filter(outcome="pending").count() == 3
    assert live_in(source) == 3


def test_a_resumed_job_skips_what_it_did(sell, admin, organizer, blocks):
    source, small, _ = blocks
    orders = [sell(1, email=f"v{i}@x.test") for i in range(3)]
    job = time_blocks.start_move(organizer, sources=[source.pk], targets=[small.pk], notify=True, close_source=False,
                                 actor=admin)  # fmt: skip
    first = job.steps.order_by("pk").first()
    from boxoffice.jobs.runner import Progress

    Job.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()
    time_blocks.run_block_job(job, Progress(job))  # the whole job, as a worker would
    Job.objects.filter(pk=job.pk).update(status="running")
    JobStep.objects.filter(pk=first.pk).update(outcome="pending")  # as if the last mark were lost…
    time_blocks.run_block_job(job, Progress(job))  # …it is done again, but finds nothing to move
    assert AuditEntry.objects.filter(action="order.rescheduled").count() == 3
    assert Message.objects.filter(kind="tickets", context__has_key="moved").count() == 3
    assert JobStep.objects.get(pk=first.pk).code == "nothing_to_move"
    del orders


def test_message_buyers_once_each_and_in_every_order(sell, admin, organizer, blocks, smtp):
    source, later, _ = blocks
    ann1, ann2 = sell(1, email="ann@x.test"), sell(1, email="ANN@x.test ", slot=later)
    bob = sell(2, email="bob@x.test", name="Bob Visser")
    scope = Scope(filters=OrderFilters(event_id=source.event_id))
    preview = buyer_messages.preview_message(organizer, scope=scope, subject="About {order}",
                                             body="Dear {name}, your visit {visit} goes ahead.", attach_tickets=True,
                                             actor=admin)  # fmt: skip
    assert (preview.recipients, preview.orders, preview.several) == (2, 3, 1)
    to, subject, text = preview.sample
    assert to == "ann@x.test" and subject == f"About {ann1.code}, {ann2.code}" and "Dear Ann Buyer" in text
    job = buyer_messages.start_message(organizer, scope=scope, subject="About {order}",
                                       body="Dear {name}, your visit {visit} goes ahead.", attach_tickets=True,
                                       actor=admin)  # fmt: skip
    run_until_empty()
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["ann@x.test", "bob@x.test"]
    ann_email = next(r for r in smtp.received if r.rcpt_tos == ["ann@x.test"]).email
    assert ann_email["Subject"] == f"About {ann1.code}, {ann2.code}"
    assert sorted(part.get_filename() for part in ann_email.iter_attachments()) == sorted(
        [f"tickets-{ann1.code}.pdf", f"tickets-{ann2.code}.pdf"])  # fmt: skip
    assert {m.status for m in Message.objects.filter(order__in=[ann1, ann2, bob])} == {"sent", "included"}
    assert Message.objects.filter(order=ann2).get().sent_with.order == ann1
    assert Job.objects.get(pk=job.pk).status == "done"
    assert bob.pk


def test_a_message_with_an_unknown_placeholder_is_refused(admin, organizer, sell, refused):
    sell(1)
    with refused("validation_error") as info:
        buyer_messages.start_message(organizer, scope=Scope(filters=OrderFilters()), subject="Hi {nmae}", body="x",
                                     attach_tickets=False, actor=admin)  # fmt: skip
    assert "{nmae}" in info.value.message


def test_a_moved_buyer_who_never_had_an_email_is_told_the_old_and_new_time(sell, admin, organizer, blocks, smtp):
    source, small, _ = blocks
    order = sell(2, email="desk@x.test")  # sold at the desk: no tickets email before
    time_blocks.start_move(organizer, sources=[source.pk], targets=[small.pk], notify=True, close_source=False,
                           actor=admin)  # fmt: skip
    run_until_empty()
    (received,) = smtp.received
    text = received.email.get_body(("plain",)).get_content()
    assert "Your visit has moved:" in text and "Monday 1 March 2027, 10:00–11:00  →  Tuesday 2 March 2027, 14:00–15:00" in text
    assert "keep their barcodes" in text and "no longer work" not in text  # the same barcodes still admit
    assert [t.barcode for t in order.tickets.all()] == [t.barcode for t in Ticket.objects.filter(timeslot=small)]
