from dataclasses import replace

from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from boxoffice import documents
from boxoffice.api.auth import membership_for
from boxoffice.db.replicas import reads_from_replica
from boxoffice.api.pagination import Pages, SearchPages
from boxoffice.api.routers.jobs import job_out
from boxoffice.api.schemas.jobs import JobOut
from boxoffice.api.schemas.orders import (
    BulkIn,
    BulkOut,
    BuyerPatch,
    ExportFormat,
    ExportKind,
    CommentIn,
    CommentOut,
    HistoryOut,
    OrderFiltersIn,
    OrderIn,
    OrderOut,
    OrderSummaryOut,
    PaymentIn,
    ReceiptPaperName,
    RefundDueOut,
    RemoveIn,
    RefundIn,
    RefundOut,
    RescheduleIn,
    SendIn,
    TicketDetailOut,
    TicketOut,
    TicketPaperName,
)
from boxoffice.core.errors import InvalidInput, NotFound
from boxoffice.core.models import Order, Ticket
from boxoffice.core.models.orders import Channel
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.catalogue import get_event, get_organizer_timeslot
from boxoffice.core.selectors.orders import (
    TICKETS_SHOWN,
    OrderFilters,
    buyer_comments,
    get_order,
    get_order_detail,
    get_ticket_detail,
    balance_of,
    paid_balance,
    refunds_due,
    search_orders,
)
from boxoffice.core.selectors.timeline import TimelineEntry, order_timeline
from boxoffice.core.services import messages as message_services
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import buyers, changes, payments, reschedule, sales, tickets
from boxoffice.core.services.permissions import require
from boxoffice.documents.downloads import tickets_download
from boxoffice.exports import service as exports

# An order's answer holds its last this many history entries, and how many there are in all.
HISTORY_SHOWN = 100

router = Router(tags=["orders"])


def order_out(order: Order) -> Order:
    """The order with everything OrderOut shows, loaded in a fixed number of queries."""
    detail = get_order_detail(order.organizer, order.code)
    detail.shown_tickets = [*detail.shown_live, *detail.shown_void]
    detail.buyer_comments = list(buyer_comments(detail))
    detail.paid = paid_balance(detail)
    detail.balance = balance_of(detail)
    timeline = order_timeline(detail)  # the portal's history: audit entries, deliveries, scans
    detail.history_count = len(timeline)
    detail.timeline = [_compact(entry) for entry in timeline[-HISTORY_SHOWN:]]
    return detail


def _compact(entry: TimelineEntry) -> TimelineEntry:
    """An entry as the order's answer holds it: a change to many tickets at once keeps its
    target and leaves its before and after (every barcode) to GET orders/{code}/history."""
    before, after = entry.details.get("before"), entry.details.get("after")
    if max(_size(before), _size(after)) <= TICKETS_SHOWN:
        return entry
    return replace(entry, details={"target": entry.details.get("target", ""), "omitted": "before, after"})


def _size(value) -> int:
    """How many items a before or after holds: its keys, or the longest list or map in it."""
    if not isinstance(value, dict):
        return 0
    return max([len(value), *(len(v) for v in value.values() if isinstance(v, (list, dict)))])


@router.get("organizers/{org}/orders", response=list[OrderSummaryOut])
@reads_from_replica
@paginate(SearchPages)
def list_orders(request, org: str, filters: Query[OrderFiltersIn]):
    membership = membership_for(request, org)
    return search_orders(membership.organizer, order_filters(filters))


def order_filters(filters: OrderFiltersIn) -> OrderFilters:
    return OrderFilters(
        search=filters.search,
        event_id=filters.event,
        timeslot_id=filters.timeslot,
        status=filters.status,
        created_from=filters.created_from,
        created_to=filters.created_to,
    )


@router.get(
    "organizers/{org}/exports/{kind}",
    response={200: None, 202: JobOut},
    openapi_extra={"responses": {200: {"description": "The export", "content": {
        "text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}},
)  # fmt: skip
@reads_from_replica
def export_orders(request, org: str, kind: ExportKind, filters: Query[OrderFiltersIn], format: ExportFormat = "csv"):
    """Orders, tickets, payments, refunds or scans of the orders these filters find (as
    `GET orders` finds them), as CSV or XLSX (admins). More than 5,000 rows are written by
    the worker: the answer is 202 with the job, whose `file_url` has the file once done."""
    membership = membership_for(request, org)
    made = exports.export(membership.organizer, kind=kind, fmt=format, filters=order_filters(filters), actor=membership)
    if made.job is not None:
        return Status(202, job_out(made.job))
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@router.get("organizers/{org}/refunds-due", response=list[RefundDueOut])
@paginate(Pages)
def list_refunds_due(request, org: str):
    """Orders with money to give back after a removal or a change, oldest first (admins)."""
    membership = membership_for(request, org)
    require(membership, Permission.REFUND, organizer_id=membership.organizer_id)
    return refunds_due(membership.organizer)


@router.post("organizers/{org}/orders", response={201: OrderOut})
def sell(request, org: str, payload: OrderIn):
    membership = membership_for(request, org)
    sale = sales.Sale(
        event=get_event(membership.organizer, payload.event),
        buyer=sales.BuyerDetails(**payload.buyer.dict()),
        lines=[sales.SaleLine(line.ticket_type, line.timeslot, line.quantity) for line in payload.lines],
        payment_method=payload.payment_method,
        send_tickets=payload.send_tickets,
        send_receipt=payload.send_receipt,
        channel=Channel.API,
        cash_tendered=payload.cash_tendered,
    )
    return Status(201, order_out(sales.sell_order(sale, actor=membership)))


@router.get("organizers/{org}/orders/{code}", response=OrderOut)
def order_detail(request, org: str, code: str):
    membership = membership_for(request, org)
    return order_out(get_order(membership.organizer, code))


@router.post("organizers/{org}/orders/{code}/send-tickets", response={202: OrderOut})
def send_tickets(request, org: str, code: str, payload: SendIn | None = None):
    """Queue the valid tickets for the buyer, or this once for `to`."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    order_services.send_tickets(order, actor=membership, to=(payload.to if payload else None) or "")
    return Status(202, order_out(order))


@router.post("organizers/{org}/orders/{code}/send-receipt", response={202: OrderOut})
def send_receipt(request, org: str, code: str, payload: SendIn | None = None):
    """Queue the payment receipt for the buyer, or this once for `to`."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    order_services.send_receipt(order, actor=membership, to=(payload.to if payload else None) or "")
    return Status(202, order_out(order))


@router.patch("organizers/{org}/orders/{code}/buyer", response=OrderOut)
def edit_buyer(request, org: str, code: str, payload: BuyerPatch):
    """Correct the buyer (every order of theirs follows); 409 buyer_email_taken if another
    buyer of the organizer has that address."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    buyers.update_buyer(order, actor=membership, **payload.dict())
    return order_out(order)


@router.post("organizers/{org}/orders/{code}/payments", response={201: OrderOut})
def register_payment(request, org: str, code: str, payload: PaymentIn):
    """Money received later (an invoice paid, part of it); the order is paid once nothing is
    due. 409 payment_exceeds_due for more than is due."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    payments.register_payment(order, actor=membership, **payload.dict())
    return Status(201, order_out(order))


@router.post("organizers/{org}/orders/{code}/comments", response={201: CommentOut})
def add_comment(request, org: str, code: str, payload: CommentIn):
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    return Status(201, order_services.add_comment(
        order, scope=payload.scope, text=payload.text, show_at_gate=payload.show_at_gate, actor=membership
    ))


@router.post("organizers/{org}/orders/{code}/remove", response=OrderOut)
def remove(request, org: str, code: str, payload: RemoveIn):
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    return order_out(order_services.remove_order(order, actor=membership, reason=payload.reason))


@router.post("organizers/{org}/orders/{code}/refunds", response={201: RefundOut})
def record_refund(request, org: str, code: str, payload: RefundIn):
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    refund = order_services.record_refund(
        order, amount=payload.amount, method=payload.method, reason=payload.reason, actor=membership
    )
    return Status(201, refund)


@router.post("organizers/{org}/orders/{code}/tickets/bulk", response=BulkOut)
def bulk_tickets(request, org: str, code: str, payload: BulkIn):
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    if payload.action == "reissue":
        changed = tickets.reissue_tickets(order, barcodes=payload.tickets, actor=membership)
    elif payload.action == "remove":
        changed = changes.remove_tickets(order, barcodes=payload.tickets, reason=payload.reason, actor=membership).tickets
    elif payload.action == "change_type":
        if payload.to_type is None:
            raise InvalidInput("Say which ticket type to change to (to_type).", field="to_type")
        changed = changes.change_ticket_type(
            order, barcodes=payload.tickets, to_type=payload.to_type, reason=payload.reason, actor=membership
        ).tickets
    else:
        changed = tickets.set_ticket_states(order, barcodes=payload.tickets, state=payload.action, actor=membership)
    detail = order_out(order)
    by_barcode = {t.barcode: t for t in detail.tickets.all()}
    return {"action": payload.action, "tickets": [by_barcode[t.barcode] for t in changed], "order": detail}


@router.get("organizers/{org}/orders/{code}/history", response=list[HistoryOut])
@paginate(Pages)
def list_order_history(request, org: str, code: str):
    """The order's whole timeline, oldest first, a page at a time (the order's answer holds
    its last 100 entries)."""
    order = get_order(membership_for(request, org).organizer, code)
    return order_timeline(order)


@router.get("organizers/{org}/orders/{code}/tickets", response=list[TicketOut])
@paginate(Pages)
def list_order_tickets(request, org: str, code: str):
    """Every ticket of the order, valid and void, in order; a page at a time."""
    order = get_order(membership_for(request, org).organizer, code)
    return Ticket.objects.filter(order=order).select_related("ticket_type", "timeslot__event").order_by("pk")


@router.get("organizers/{org}/orders/{code}/tickets/{barcode}", response=TicketDetailOut)
def ticket_detail(request, org: str, code: str, barcode: str):
    """One ticket with every gate scan of it, newest first."""
    membership = membership_for(request, org)
    return get_ticket_detail(membership.organizer, code, barcode)


@router.post("organizers/{org}/orders/{code}/reschedule", response=OrderOut)
def reschedule_order(request, org: str, code: str, payload: RescheduleIn):
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    from_timeslot = (
        get_organizer_timeslot(membership.organizer, payload.from_timeslot) if payload.from_timeslot else None
    )
    reschedule.reschedule_order(
        order,
        to_timeslot=get_organizer_timeslot(membership.organizer, payload.to_timeslot),
        from_timeslot=from_timeslot,
        send_tickets=payload.send_tickets,
        actor=membership,
    )
    return order_out(order)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "organizers/{org}/orders/{code}/tickets.pdf",
    response={200: None, 202: JobOut},
    openapi_extra={"responses": {200: {"description": "PDF, one page per ticket", "content": {"application/pdf": {}}}}},
)
def download_tickets(request, org: str, code: str, tickets: str = "", paper: TicketPaperName = "a4"):
    """The order's valid tickets, or only those named in `tickets` (comma-separated barcodes),
    on A4 (as emailed), ticket stock of 8 × 3.25 in (`stock`) or an 80 mm roll (`roll80`).
    For a big order (more than 50 tickets) the worker makes the PDF: the answer is 202 with the
    job, whose `file_url` has the PDF once its `status` is done (asking again meanwhile gives
    the same job)."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    download = tickets_download(order, barcodes=[b for b in tickets.split(",") if b.strip()], actor=membership, paper=paper)
    if download.job is not None:
        return Status(202, job_out(download.job))
    return _pdf(download.content, download.filename)


@router.get(
    "organizers/{org}/orders/{code}/receipt.pdf",
    response={200: None},
    openapi_extra={"responses": {200: {"description": "PDF payment receipt", "content": {"application/pdf": {}}}}},
)
def download_receipt(request, org: str, code: str, paper: ReceiptPaperName = "a4"):
    """On A4 (as emailed) or an 80 mm receipt roll (`roll80`)."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    return _pdf(documents.receipt_pdf(order, paper=paper), f"receipt-{order.code}.pdf")


@router.post("organizers/{org}/orders/{code}/messages/{id:message}/resend", response={202: OrderOut})
def resend_message(request, org: str, code: str, message: int):
    """Send a failed message again."""
    membership = membership_for(request, org)
    order = get_order(membership.organizer, code)
    found = order.messages.filter(pk=message).first()
    if found is None:
        raise NotFound(f"No message {message} on order {order.code}.")
    message_services.resend_message(found, actor=membership)
    return Status(202, order_out(order))
