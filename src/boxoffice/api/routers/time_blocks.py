"""The bad day through the API (admins): move or cancel whole time blocks, message buyers.
Each takes `preview: true` to answer what would happen (200, nothing changed) and otherwise
starts a job (202): poll `GET jobs/{id}` for its progress and report, list the orders it did
or could not do with `GET jobs/{id}/steps`, stop it with `POST jobs/{id}/cancel`."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from boxoffice.api.auth import membership_for
from boxoffice.api.pagination import Pages
from boxoffice.api.routers.jobs import job_out
from boxoffice.api.routers.orders import order_filters
from boxoffice.api.schemas.common import Id
from boxoffice.api.schemas.jobs import JobOut
from boxoffice.api.schemas.orders import OrderFiltersIn
from boxoffice.core.models import JobStep
from boxoffice.core.selectors.jobs import get_job
from boxoffice.core.selectors.orders import OrderFilters
from boxoffice.core.services import buyer_messages, time_blocks
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services.permissions import require

router = Router(tags=["time blocks"])
IdList = list[Id]


class MoveIn(Schema):
    sources: IdList = Field(min_length=1, max_length=100, description="The time blocks to empty")
    targets: IdList = Field(min_length=1, max_length=100, description="Blocks of the same event to move into, filled earliest first")
    notify: bool = Field(True, description="Email each moved buyer their tickets, saying the visit moved")
    close_source: bool = Field(False, description="Close the source blocks for sale when the job starts")
    preview: bool = Field(False, description="Only say what would happen")


class CancelIn(Schema):
    sources: IdList = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=2000, description="Why: recorded on each order and told to the buyers")
    notify: bool = True
    preview: bool = False


class MessageIn(Schema):
    timeslots: IdList = Field([], max_length=100, description="The buyers of these blocks; or else of the orders `filters` finds")
    filters: OrderFiltersIn | None = None
    subject: str = Field(min_length=1, max_length=150, description="Placeholders: {name}, {order}, {visit}")
    body: str = Field(min_length=1, max_length=10_000)
    attach_tickets: bool = False
    preview: bool = False


class TargetOut(Schema):
    timeslot: int
    orders: int
    tickets: int


class StayingOut(Schema):
    order: str
    tickets: int


class MovePreviewOut(Schema):
    orders: int
    tickets: int
    targets: list[TargetOut]
    staying: list[StayingOut] = Field(description="Orders that fit in no chosen block (the first 100)")
    staying_orders: int
    notify: bool
    close_source: bool


class CancelPreviewOut(Schema):
    orders: int
    tickets: int
    whole_orders: int = Field(description="Orders with nothing else left: removed as a whole")
    paid_orders: int = Field(description="Orders that paid something: a refund will be due (none is made)")
    notify: bool


class SampleOut(Schema):
    to: str
    subject: str
    text: str


class MessagePreviewOut(Schema):
    recipients: int = Field(description="Buyers, once each")
    orders: int
    without_email: int
    several: int = Field(description="Buyers with several orders, who get one email for all")
    sample: SampleOut | None


class StepOut(Schema):
    order: str
    outcome: str = Field(description="pending, done or not_done")
    code: str = Field(description="moved, no_room, order_removed, tickets_removed, queued, no_email, …")
    detail: str
    tickets: int
    done_at: str | None


@router.post("organizers/{org}/time-blocks/move", response={200: MovePreviewOut, 202: JobOut})
def move(request: HttpRequest, org: str, payload: MoveIn):
    """Move every order with tickets in `sources` to `targets`: whole orders, the earliest
    buyers first, never oversold; an order that fits nowhere stays and is listed."""
    membership = membership_for(request, org)
    kwargs = {"sources": payload.sources, "targets": payload.targets, "notify": payload.notify,
              "close_source": payload.close_source, "actor": membership}  # fmt: skip
    if payload.preview:
        found = time_blocks.preview_move(membership.organizer, **kwargs)
        return {
            "orders": found.orders, "tickets": found.tickets, "staying_orders": len(found.staying),
            "targets": [{"timeslot": t.timeslot.pk, "orders": t.orders, "tickets": t.tickets} for t in found.targets],
            "staying": [{"order": order.code, "tickets": n} for order, n in found.staying_shown],
            "notify": found.notify, "close_source": found.close_source,
        }  # fmt: skip
    return Status(202, job_out(time_blocks.start_move(membership.organizer, request_key=_key(request), **kwargs)))


@router.post("organizers/{org}/time-blocks/cancel", response={200: CancelPreviewOut, 202: JobOut})
def cancel(request: HttpRequest, org: str, payload: CancelIn):
    """Remove every live ticket in `sources` (the whole order when nothing else is left). No
    refund is made: the orders' balances show what is due back (GET refunds-due)."""
    membership = membership_for(request, org)
    kwargs = {"sources": payload.sources, "reason": payload.reason, "notify": payload.notify, "actor": membership}
    if payload.preview:
        found = time_blocks.preview_cancel(membership.organizer, **kwargs)
        return {"orders": found.orders, "tickets": found.tickets, "whole_orders": found.whole_orders,
                "paid_orders": found.paid_orders, "notify": found.notify}  # fmt: skip
    return Status(202, job_out(time_blocks.start_cancel(membership.organizer, request_key=_key(request), **kwargs)))


@router.post("organizers/{org}/buyer-messages", response={200: MessagePreviewOut, 202: JobOut})
def message(request: HttpRequest, org: str, payload: MessageIn):
    """Email the buyers of some time blocks, or of the orders the filters find (as GET orders):
    once each, however many orders they have; the message shows in every one of them."""
    membership = membership_for(request, org)
    scope = buyer_messages.Scope(timeslot_ids=tuple(payload.timeslots), filters=order_filters(payload.filters) if payload.filters else OrderFilters())
    kwargs = {"scope": scope, "subject": payload.subject, "body": payload.body, "attach_tickets": payload.attach_tickets,
              "actor": membership}  # fmt: skip
    if payload.preview:
        found = buyer_messages.preview_message(membership.organizer, **kwargs)
        sample = dict(zip(("to", "subject", "text"), found.sample, strict=True)) if found.sample else None
        return {"recipients": found.recipients, "orders": found.orders, "without_email": found.without_email,
                "several": found.several, "sample": sample}  # fmt: skip
    return Status(202, job_out(buyer_messages.start_message(membership.organizer, request_key=_key(request), **kwargs)))


@router.post("organizers/{org}/jobs/{id:job}/cancel", response=JobOut)
def cancel_job(request: HttpRequest, org: str, job: int):
    """Stop a move, cancel or message job after the order it is doing; what is done stays."""
    membership = membership_for(request, org)
    return job_out(time_blocks.cancel_job(get_job(membership, job), actor=membership))


@router.get("organizers/{org}/jobs/{id:job}/steps", response=list[StepOut])
@paginate(Pages)
def job_steps(request: HttpRequest, org: str, job: int, outcome: Literal["pending", "done", "not_done"] | None = None):
    """What a move, cancel or message job did for each order (or buyer), in order."""
    membership = membership_for(request, org)
    found = get_job(membership, job)
    require(membership, Permission.BULK_CHANGES, organizer_id=found.organizer_id)
    steps = JobStep.objects.filter(job=found).select_related("order").order_by("pk")
    if outcome:
        steps = steps.filter(outcome=outcome)
    return StepRows(steps)


class StepRows:
    """Steps as StepOut rows, a page at a time (the paginator slices and counts)."""

    def __init__(self, steps):
        self.steps = steps

    def count(self) -> int:
        return self.steps.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        return [{"order": s.order.code, "outcome": s.outcome, "code": s.code, "detail": s.detail, "tickets": s.tickets,
                 "done_at": s.done_at.isoformat() if s.done_at else None} for s in self.steps[index]]  # fmt: skip


def _key(request: HttpRequest) -> str:
    return request.headers.get("Idempotency-Key", "")[:64]

