"""The bad day (§3.13): a whole time block moved to other blocks or cancelled, previewed
first, then done by the worker order by order. Each order is one transaction through the
same services an operator uses on one order (reschedule, remove tickets), marked done in
that transaction (models/jobs.py:JobStep), so a job that resumes after a crash never moves
or messages anyone twice. A block has one such job at a time."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from boxoffice.core import audit
from boxoffice.core.errors import BlockBusy, DomainError, InvalidInput, InvalidTransition, NotFound, TimeslotClosed, TimeslotFull
from boxoffice.core.models import Job, JobStep, Message, Order, Ticket, Timeslot
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.rules.time_blocks import PlannedMove, first_with_room, plan_moves
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import setup
from boxoffice.core.services.changes import remove_tickets
from boxoffice.core.services.formatting import timeslot_label
from boxoffice.core.services.jobs import start_job
from boxoffice.core.services.messages import queue_message
from boxoffice.core.services.permissions import require
from boxoffice.core.services.reschedule import reschedule_order

MOVE, CANCEL, MESSAGE = "block_move", "block_cancel", "buyer_message"
KINDS = (MOVE, CANCEL, MESSAGE)
Outcome = JobStep.Outcome


@dataclass(frozen=True)
class Target:
    timeslot: Timeslot
    orders: int
    tickets: int


@dataclass(frozen=True)
class MovePreview:
    sources: list[Timeslot]
    targets: list[Target]
    staying: list[PlannedMove]  # what does not fit: stays where it is
    orders: int
    tickets: int
    notify: bool
    close_source: bool
    orders_by_id: dict = field(default_factory=dict)

    @property
    def moving_orders(self) -> int:
        return sum(t.orders for t in self.targets)

    @property
    def staying_tickets(self) -> int:
        return sum(p.tickets for p in self.staying)

    @property
    def staying_shown(self) -> list[tuple[Order, int]]:
        """The first 100 orders that stay, with their tickets (the job's report lists all)."""
        return [(self.orders_by_id[m.order_id], m.tickets) for m in self.staying[:100]]


@dataclass(frozen=True)
class CancelPreview:
    sources: list[Timeslot]
    orders: int
    tickets: int
    whole_orders: int  # orders with nothing left elsewhere: removed as a whole
    paid_orders: int  # orders that paid something: a refund will be due
    notify: bool
    reason: str


# --- which blocks and orders ----------------------------------------------------------------


def blocks_of(organizer, ids, *, field_name: str, label: str) -> list[Timeslot]:
    """The organizer's time blocks with these ids, of one event, earliest first. Raises
    NotFound (unknown or another organizer's), InvalidInput (none, or of several events)."""
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        raise InvalidInput(f"{label}: time block ids are numbers.", field=field_name) from None
    if absurd := [i for i in wanted if not 0 < i < 10**18]:  # no such block; SQLite cannot even hold the number
        raise NotFound(f"No time block {absurd[0]}.", field=field_name)
    if not wanted:
        raise InvalidInput(f"{label}: choose at least one time block.", field=field_name)
    blocks = list(Timeslot.objects.select_related("event").filter(pk__in=wanted, event__organizer=organizer))
    if len(blocks) != len(wanted):
        missing = sorted(set(wanted) - {b.pk for b in blocks})
        raise NotFound(f"No time block {missing[0]}.", field=field_name)
    if len({b.event_id for b in blocks}) > 1:
        raise InvalidInput(f"{label}: the time blocks must be of one event.", field=field_name)
    return sorted(blocks, key=lambda b: (b.start, b.pk))


def orders_in(blocks: list[Timeslot]) -> list[tuple[int, int]]:
    """(order id, live tickets in the blocks) of every order with a live ticket there, the
    earliest buyers first: they keep their place first when room is short."""
    rows = (
        Ticket.objects.filter(timeslot__in=blocks).exclude(state=Ticket.State.VOID)
        .exclude(order__status=Order.Status.REMOVED)
        .values("order_id").annotate(n=Count("pk"), first=Min("order__created_at")).order_by("first", "order_id")
    )  # fmt: skip
    return [(row["order_id"], row["n"]) for row in rows]


def _room(blocks: list[Timeslot]) -> dict[int, int]:
    return {b.pk: 0 if b.closed else max(b.capacity - b.sold, 0) for b in blocks}


def _move_blocks(organizer, sources, targets) -> tuple[list[Timeslot], list[Timeslot]]:
    sources = blocks_of(organizer, sources, field_name="sources", label="Move")
    targets = blocks_of(organizer, targets, field_name="targets", label="Move to")
    if targets[0].event_id != sources[0].event_id:
        raise InvalidInput("The blocks to move to must be of the same event.", field="targets")
    if {t.pk for t in targets} & {s.pk for s in sources}:
        raise InvalidInput("A block cannot be moved into itself: choose other blocks to move to.", field="targets")
    closed = [t for t in targets if t.closed]
    if closed:
        raise TimeslotClosed(f"Time block {timeslot_label(closed[0])} is closed for sale: nothing can move into it.",
                             field="targets")  # fmt: skip
    return sources, targets


# --- move -----------------------------------------------------------------------------------


def preview_move(organizer, *, sources, targets, notify: bool, close_source: bool, actor) -> MovePreview:
    """What Move would do now. Raises PermissionDenied, NotFound, InvalidInput, TimeslotClosed."""
    require(actor, Permission.BULK_CHANGES, organizer_id=organizer.pk)
    sources, targets = _move_blocks(organizer, sources, targets)
    needs = orders_in(sources)
    plan = plan_moves(needs, _room(targets), [t.pk for t in targets])
    per_target = Counter()
    tickets_per_target = Counter()
    for move in plan:
        if move.target is not None:
            per_target[move.target] += 1
            tickets_per_target[move.target] += move.tickets
    staying = [move for move in plan if move.target is None]
    return MovePreview(
        sources=sources, targets=[Target(t, per_target[t.pk], tickets_per_target[t.pk]) for t in targets],
        staying=staying, orders=len(needs), tickets=sum(n for _, n in needs), notify=notify, close_source=close_source,
        orders_by_id=Order.objects.select_related("buyer").in_bulk([m.order_id for m in staying[:100]]),
    )  # fmt: skip


def start_move(organizer, *, sources, targets, notify: bool, close_source: bool, actor, request_key: str = "") -> Job:
    """Raises as preview_move, and BlockBusy while another job works on one of the blocks."""
    require(actor, Permission.BULK_CHANGES, organizer_id=organizer.pk)
    sources, targets = _move_blocks(organizer, sources, targets)
    params = {"sources": [s.pk for s in sources], "targets": [t.pk for t in targets], "notify": bool(notify),
              "close_source": bool(close_source)}  # fmt: skip
    label = f"Move {', '.join(timeslot_label(s) for s in sources)}"
    return _start(organizer, MOVE, params, sources + targets, sources, actor, request_key, label,
                  after_start=lambda: [setup.set_timeslot_open(s, open_for_sale=False, actor=actor)
                                       for s in sources if close_source])  # fmt: skip


@dataclass
class Run:
    """What a running job keeps between its steps: who acts, the blocks, the room left."""

    actor: object
    blocks: dict[int, Timeslot]
    room: dict[int, int]


def _move_step(job: Job, step: JobStep, run: Run) -> tuple[str, str, str]:
    sources, targets = job.params["sources"], job.params["targets"]
    order = step.order
    held = Counter(
        Ticket.objects.filter(order=order, timeslot_id__in=sources).exclude(state=Ticket.State.VOID)
        .values_list("timeslot_id", flat=True)
    )  # fmt: skip
    needed = sum(held.values())
    if not needed or order.status == Order.Status.REMOVED:
        return Outcome.NOT_DONE, "nothing_to_move", "No live tickets left in the block."
    tickets = f"{needed} ticket{'s' * (needed != 1)}"
    tried = list(targets)
    while (target_id := first_with_room(needed, run.room, tried)) is not None:
        tried.remove(target_id)
        target = run.blocks[target_id]
        try:
            with transaction.atomic():
                for source in sorted(held):
                    reschedule_order(order, to_timeslot=target, from_timeslot=run.blocks[source], actor=run.actor)
                told = _tell(job, order, run, Message.Kind.TICKETS, {"moved": [[source, target_id] for source in sorted(held)]})
        except (TimeslotFull, TimeslotClosed):
            run.room[target_id] = 0  # sold or closed meanwhile: not tried again by this run
            continue
        run.room[target_id] -= needed
        return Outcome.DONE, "moved", f"{tickets} moved to {timeslot_label(target)}.{told}"
    return Outcome.NOT_DONE, "no_room", f"No room for {tickets} in the blocks chosen."


def _tell(job: Job, order: Order, run: Run, kind: str, context: dict) -> str:
    """Queue the buyer's notice when the job says so; a few words for the report."""
    if not job.params["notify"]:
        return ""
    if not order.buyer.email:
        return " No email address: not told."
    queue_message(order, kind=kind, actor=run.actor, context=context)
    return " Buyer told by email."


# --- cancel ---------------------------------------------------------------------------------


def preview_cancel(organizer, *, sources, reason: str, notify: bool, actor) -> CancelPreview:
    """What Cancel would do now. Raises PermissionDenied, NotFound, InvalidInput (no reason)."""
    require(actor, Permission.BULK_CHANGES, organizer_id=organizer.pk)
    sources = blocks_of(organizer, sources, field_name="sources", label="Cancel")
    reason = _reason(reason)
    needs = orders_in(sources)
    ids = [order_id for order_id, _ in needs]
    elsewhere = set(
        Ticket.objects.filter(order_id__in=ids).exclude(timeslot__in=sources).exclude(state=Ticket.State.VOID)
        .values_list("order_id", flat=True)
    )  # fmt: skip
    paid = set(Order.objects.filter(pk__in=ids, payments__isnull=False).values_list("pk", flat=True))
    return CancelPreview(sources=sources, orders=len(needs), tickets=sum(n for _, n in needs),
                         whole_orders=len(set(ids) - elsewhere), paid_orders=len(paid), notify=notify, reason=reason)  # fmt: skip


def start_cancel(organizer, *, sources, reason: str, notify: bool, actor, request_key: str = "") -> Job:
    require(actor, Permission.BULK_CHANGES, organizer_id=organizer.pk)
    sources = blocks_of(organizer, sources, field_name="sources", label="Cancel")
    params = {"sources": [s.pk for s in sources], "reason": _reason(reason), "notify": bool(notify)}
    label = f"Cancel {', '.join(timeslot_label(s) for s in sources)}"
    return _start(organizer, CANCEL, params, sources, sources, actor, request_key, label)


def _reason(reason: str) -> str:
    return order_services.required_reason(reason, "Say why the time block is cancelled (the buyers read it).")


def _cancel_step(job: Job, step: JobStep, run: Run) -> tuple[str, str, str]:
    order = step.order
    barcodes = list(
        Ticket.objects.filter(order=order, timeslot_id__in=job.params["sources"]).exclude(state=Ticket.State.VOID)
        .values_list("barcode", flat=True)
    )  # fmt: skip
    if not barcodes or order.status == Order.Status.REMOVED:
        return Outcome.NOT_DONE, "nothing_to_cancel", "No live tickets left in the block."
    tickets = f"{len(barcodes)} ticket{'s' * (len(barcodes) != 1)}"
    with transaction.atomic():
        change = remove_tickets(order, barcodes=barcodes, reason=job.params["reason"], actor=run.actor)
        told = _tell(job, order, run, Message.Kind.CANCELLATION,
                     {"timeslots": job.params["sources"], "tickets": len(barcodes), "reason": job.params["reason"]})  # fmt: skip
    if change.order.status == Order.Status.REMOVED:
        return Outcome.DONE, "order_removed", f"Order removed: all its {tickets} were in the block.{told}"
    return Outcome.DONE, "tickets_removed", f"{tickets} removed; the others stay valid.{told}"


# --- starting, running, cancelling ----------------------------------------------------------


def _start(organizer, kind, params, blocks, sources, actor, request_key, label, after_start=None, steps=None) -> Job:
    """One transaction: the job, its steps (the orders as they are now) and the blocks taken.
    The same request again (a double submit, a retry with the same key) gets the same job.
    Raises BlockBusy while another job works on one of the blocks, InvalidInput when there
    is no order to do anything to."""
    with transaction.atomic():
        locked = list(
            Timeslot.objects.select_for_update(of=("self",)).select_related("event")
            .filter(pk__in=[b.pk for b in blocks]).order_by("pk")
        )  # fmt: skip
        if steps is None:
            steps = [JobStep(order_id=order_id, tickets=n) for order_id, n in orders_in(sources)]
        job = start_job(organizer, kind=kind, actor=actor, params=params, total=len(steps),
                        permission=Permission.BULK_CHANGES, fingerprint=_fingerprint(kind, params, request_key),
                        label=label)  # fmt: skip
        if job.steps.exists() or job.status != Job.Status.QUEUED:
            return job  # asked for again: the job started the first time
        if not steps:
            raise InvalidInput("There is nothing to do: no order has live tickets there.", field="sources")
        if busy := _busy(locked, job):
            raise BlockBusy(f"Time block {timeslot_label(busy)} has a job working on it (job {busy.busy_job_id}): "
                            "wait for it to finish, or cancel it.", timeslot=busy.pk, job=busy.busy_job_id)  # fmt: skip
        Timeslot.objects.filter(pk__in=[b.pk for b in locked]).update(busy_job=job)
        for step in steps:
            step.job = job
        JobStep.objects.bulk_create(steps, batch_size=1000)
        if after_start:
            after_start()
    return job


def _busy(locked: list[Timeslot], job: Job) -> Timeslot | None:
    holders = Job.objects.in_bulk({b.busy_job_id for b in locked if b.busy_job_id and b.busy_job_id != job.pk})
    return next((b for b in locked if (h := holders.get(b.busy_job_id)) is not None and not h.is_finished), None)


def _fingerprint(kind: str, params: dict, request_key: str) -> str:
    if not request_key:
        return ""
    return hashlib.sha256(json.dumps([kind, params, request_key], sort_keys=True).encode()).hexdigest()


STEPS = {MOVE: _move_step, CANCEL: _cancel_step}


def run_block_job(job: Job, progress) -> tuple[None, str, str]:
    """The worker's side (jobs/runner.py HANDLERS): the steps not done yet, in order, until
    the last or until the job is cancelled."""
    from boxoffice.core.services.buyer_messages import message_step

    do = STEPS.get(job.kind, message_step)
    ids = [*job.params.get("sources", []), *job.params.get("targets", [])]
    blocks = Timeslot.objects.select_related("event").in_bulk(ids)
    run = Run(actor=job.created_by, blocks=blocks, room=_room([blocks[pk] for pk in job.params.get("targets", [])]))
    counts = job.steps.exclude(outcome=Outcome.PENDING).aggregate(
        done=Count("pk"), failed=Count("pk", filter=Q(outcome=Outcome.NOT_DONE))
    )
    done, failed = counts["done"], counts["failed"]
    progress(done, failures=failed)
    pending = job.steps.filter(outcome=Outcome.PENDING).select_related("order__buyer", "order__event", "order__organizer")
    for step in pending.iterator(chunk_size=200):
        if not Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).exists():
            break  # cancelled: the steps not reached stay as they are
        with transaction.atomic():
            if not JobStep.objects.select_for_update().filter(pk=step.pk, outcome=Outcome.PENDING).exists():
                continue
            outcome, code, detail = _do_step(do, job, step, run)
            _mark(step, outcome, code, detail, job, run.actor)
        done += 1
        failed += outcome == Outcome.NOT_DONE
        progress(done, failures=failed)
    # The last count, whatever the pace of progress writes: the report reads it.
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(done=done, failures=failed)
    return None, "", ""


def _do_step(do, job, step, run) -> tuple[str, str, str]:
    try:
        with transaction.atomic():
            return do(job, step, run)
    except DomainError as exc:  # this order could not be changed: listed, the job goes on
        return Outcome.NOT_DONE, exc.code, exc.message


def _mark(step: JobStep, outcome: str, code: str, detail: str, job: Job, actor) -> None:
    JobStep.objects.filter(pk=step.pk).update(outcome=outcome, code=code, detail=detail[:300], done_at=timezone.now())
    audit.record(actor, f"job.{job.kind}.order", organizer=job.organizer, order=step.order, target=step.order.code,
                 after={"job": job.pk, "outcome": code, "detail": detail[:300]})  # fmt: skip


def cancel_job(job: Job, *, actor) -> Job:
    """Stop a job between two orders: what is done stays done, the rest is left as it is.
    Raises InvalidTransition once it has finished."""
    require(actor, Permission.BULK_CHANGES, organizer_id=job.organizer_id)
    with transaction.atomic():
        stopped = Job.objects.filter(pk=job.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now()
        )
        if not stopped:
            raise InvalidTransition(f"Job {job.pk} has finished already; there is nothing to cancel.")
        audit.record(actor, "job.cancelled", organizer=job.organizer, target=str(job.pk), after={"kind": job.kind})
    job.refresh_from_db()
    return job
