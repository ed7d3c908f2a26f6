"""Actions on one order from its page (§3.2–3.7): Send Ticket(s) / Send payment receipt with
their Finish purchase step, downloads, comments, Remove purchase, Record refund, sending a
failed email again, and Ticket operations.

Every POST calls exactly one service. A DomainError is shown next to the action that caused it,
with its HTTP status, and nothing changes; PermissionDenied answers 403 on the order page."""

import secrets
from collections import Counter

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boxoffice import documents
from boxoffice.documents.downloads import tickets_download
from boxoffice.core.errors import DomainError, NotFound, PermissionDenied
from boxoffice.core.models import Order, Ticket
from boxoffice.core.rules.money import to_money
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import get_order, get_order_detail, paid_balance
from boxoffice.core.services import messages as message_services
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import tickets as ticket_services
from boxoffice.core.services.permissions import require
from boxoffice.portal.access import can, organizer_view
from boxoffice.portal.forms import BULK_ACTIONS, BulkActionForm, CommentForm, RefundForm
from boxoffice.portal.views import ticket_changes
from boxoffice.portal.views.orders import order_context

# kind in the URL -> (service, what the buyer gets, the page heading = the button's name)
SENDS = {
    "tickets": (order_services.send_tickets, "Tickets", "Send Ticket(s)"),
    "receipt": (order_services.send_receipt, "Payment receipt", "Send payment receipt"),
}
ACTION_LABELS = dict(BULK_ACTIONS)


def _order(request, code: str, *, detail: bool = False) -> Order:
    try:
        return (get_order_detail if detail else get_order)(request.organizer, code)
    except NotFound:
        raise Http404("No such order") from None


def _order_url(order: Order) -> str:
    return reverse("portal:order", args=[order.organizer.slug, order.code])


def _ops_url(order: Order) -> str:
    return reverse("portal:ticket_operations", args=[order.organizer.slug, order.code])


def _order_page(request, code: str, *, status: int, **extra) -> HttpResponse:
    """The order page again, with an error next to the actions (or the comment form)."""
    order = _order(request, code, detail=True)
    return render(request, "portal/orders/order.html", {**order_context(order), **extra}, status=status)


def _refused(request, code: str, exc: PermissionDenied) -> HttpResponse:
    return _order_page(request, code, error=exc.message, status=exc.status)


def _require(request, permission: Permission) -> None:
    """For pages that only lead to a change: refuse them as the service would refuse the change."""
    require(request.membership, permission, organizer_id=request.organizer.pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _live(order: Order) -> list[Ticket]:
    return list(
        order.tickets.exclude(state=Ticket.State.VOID).select_related("ticket_type", "timeslot").order_by("pk")
    )


# --- Send Ticket(s) / Send payment receipt → Finish purchase ---


@organizer_view
@require_http_methods(["GET", "POST"])
def send(request, code: str, kind: str) -> HttpResponse:
    if kind not in SENDS:
        raise Http404("Nothing to send of that kind")
    service, what, _ = SENDS[kind]
    order = _order(request, code)
    try:
        if request.method == "POST":
            # The page's own key: Finish purchase clicked twice (or resent by a proxy) sends once.
            message = service(
                order, actor=request.membership, request_key=request.POST.get("request_key") or None,
                to=request.POST.get("to", "").strip(),
            )  # fmt: skip
            messages.success(request, f"{what} queued for {message.to}")
            return redirect(_order_url(order))
        _require(request, Permission.CHANGE_ORDERS)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    except DomainError as exc:
        return _send_page(request, code, kind, error=exc.message, status=exc.status)
    return _send_page(request, code, kind)


def _send_page(request, code: str, kind: str, *, error: str = "", status: int = 200) -> HttpResponse:
    order = _order(request, code)
    context = {
        "order": order,
        "kind": kind,
        "heading": SENDS[kind][2],
        "tickets": _live(order) if kind == "tickets" else [],
        "lines": order.lines.all(),
        "paid": paid_balance(order),
        "error": error,
        "request_key": f"send:{secrets.token_urlsafe(12)}",
        "to": request.POST.get("to", "") if request.method == "POST" else "",
    }
    return render(request, "portal/orders/send.html", context, status=status)


# --- Download Ticket(s) and the receipt (read-only: viewers too) ---


@organizer_view
@require_GET
def download_tickets(request, code: str) -> HttpResponse:
    """The order's valid tickets, or those named in ?tickets=BC1,BC2."""
    order = _order(request, code)
    barcodes = [b for b in request.GET.get("tickets", "").split(",") if b.strip()]
    try:
        download = tickets_download(order, barcodes=barcodes, actor=request.membership)
    except DomainError as exc:
        return _order_page(request, code, error=exc.message, status=exc.status)
    if download.job is not None:
        return redirect("portal:job", org=request.organizer.slug, job=download.job.pk)
    return _pdf(download.content, download.filename)


@organizer_view
@require_GET
def download_receipt(request, code: str) -> HttpResponse:
    order = _order(request, code)
    return _pdf(documents.receipt_pdf(order), f"receipt-{order.code}.pdf")


# --- Add comment ---


@organizer_view
@require_POST
def add_comment(request, code: str) -> HttpResponse:
    order = _order(request, code)
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return _order_page(request, code, comment_form=form, comment_error=error, status=422)
    try:
        comment = order_services.add_comment(order, **form.cleaned_data, actor=request.membership)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    except DomainError as exc:
        return _order_page(request, code, comment_form=form, comment_error=exc.message, status=exc.status)
    if comment.scope == "buyer":
        messages.success(request, f"Buyer comment added: it shows with every purchase of {order.buyer.name}.")
    else:
        messages.success(request, "Purchase comment added.")
    return redirect(_order_url(order))


# --- Remove purchase ---


@organizer_view
@require_http_methods(["GET", "POST"])
def remove(request, code: str) -> HttpResponse:
    order = _order(request, code)
    try:
        if request.method == "POST":
            count = order.tickets.exclude(state=Ticket.State.VOID).count()
            order_services.remove_order(order, actor=request.membership, reason=request.POST.get("reason", ""))
            messages.success(
                request,
                f"Purchase {order.code} removed: {_n(count, 'ticket')} void, places released. No refund was made.",
            )
            return redirect(_order_url(order))
        _require(request, Permission.CHANGE_ORDERS)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    except DomainError as exc:
        return _remove_page(request, code, error=exc.message, status=exc.status)
    return _remove_page(request, code)


def _remove_page(request, code: str, *, error: str = "", status: int = 200) -> HttpResponse:
    order = _order(request, code)
    live = _live(order)
    by_slot = Counter(t.timeslot for t in live)
    context = {
        "order": order,
        "live_tickets": live,
        "scanned_in": sum(t.state == Ticket.State.SCANNED_IN for t in live),
        "places": sorted(by_slot.items(), key=lambda item: item[0].start),
        "paid": paid_balance(order),
        "error": error,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "portal/orders/remove.html", context, status=status)


# --- Record refund (admins) ---


@organizer_view
@require_http_methods(["GET", "POST"])
def refund(request, code: str) -> HttpResponse:
    order = _order(request, code)
    try:
        _require(request, Permission.REFUND)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    form = RefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = order_services.record_refund(order, **data, actor=request.membership)
        except PermissionDenied as exc:
            return _refused(request, code, exc)
        except DomainError as exc:
            return _refund_page(request, code, form, error=exc.message, status=exc.status)
        messages.success(request, f"Refund of {order.event.currency} {done.amount} ({done.method}) recorded on order {order.code}.")
        if request.GET.get("from") == "refunds-due":
            return redirect("portal:refunds_due", org=request.organizer.slug)
        return redirect(_order_url(order))
    return _refund_page(request, code, form, status=422 if form.is_bound else 200)


def _refund_page(request, code: str, form: RefundForm, *, error: str = "", status: int = 200) -> HttpResponse:
    order = _order(request, code)
    context = {
        "order": order,
        "form": form,
        "paid_in": to_money(order.payments.aggregate(s=Sum("amount"))["s"] or 0),
        "refunds": order.refunds.order_by("created_at", "pk"),
        "refundable": paid_balance(order),
        "error": error,
    }
    return render(request, "portal/orders/refund.html", context, status=status)


# --- Send again (a failed email) ---


@organizer_view
@require_POST
def resend_message(request, code: str, message: int) -> HttpResponse:
    order = _order(request, code)
    found = order.messages.filter(pk=message).first()
    if found is None:
        raise Http404("No such message on this order")
    try:
        again = message_services.resend_message(found, actor=request.membership)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    except DomainError as exc:
        return _order_page(request, code, error=exc.message, status=exc.status)
    messages.success(request, f"{again.get_kind_display()} queued again for {again.to}")
    return redirect(_order_url(order))


# --- Ticket operations ---


@organizer_view
@require_http_methods(["GET", "POST"])
def ticket_operations(request, code: str) -> HttpResponse:
    """GET: the tickets with checkboxes; with ?action=… the confirmation (or, for Download
    tickets, the PDF). POST: apply the confirmed action through the ticket services."""
    order = _order(request, code)
    if request.method == "POST":
        return _apply_bulk(request, order)
    if "action" in request.GET:
        form = BulkActionForm(request.GET)
        if form.is_valid() and form.cleaned_data["action"] == "download":
            return _download_selected(request, order, form)
    else:
        form = BulkActionForm()
    try:
        _require(request, Permission.CHANGE_ORDERS)
    except PermissionDenied as exc:
        return _refused(request, code, exc)
    if not form.is_bound:
        return _ops_page(request, code, form)
    if not form.is_valid():
        return _ops_page(request, code, form, error=_first_error(form), status=422)
    return _confirm_page(request, order, form)


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


def _download_selected(request, order: Order, form: BulkActionForm) -> HttpResponse:
    """Read-only, so viewers may too; they see a bad selection's error on the order page."""
    try:
        download = tickets_download(order, barcodes=form.cleaned_data["tickets"], actor=request.membership)
    except DomainError as exc:
        if not can(request.membership, Permission.CHANGE_ORDERS):
            return _order_page(request, order.code, error=exc.message, status=exc.status)
        return _ops_page(request, order.code, form, error=exc.message, status=exc.status)
    if download.job is not None:
        return redirect("portal:job", org=request.organizer.slug, job=download.job.pk)
    return _pdf(download.content, download.filename)


def _apply_bulk(request, order: Order) -> HttpResponse:
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        try:
            _require(request, Permission.CHANGE_ORDERS)  # a viewer is refused, not shown the form
        except PermissionDenied as exc:
            return _refused(request, order.code, exc)
        return _ops_page(request, order.code, form, error=_first_error(form), status=422)
    action, barcodes = form.cleaned_data["action"], form.cleaned_data["tickets"]
    if action == "download":
        return _download_selected(request, order, form)
    if action in ticket_changes.MONEY_ACTIONS:
        try:
            return ticket_changes.apply(request, order, form)
        except PermissionDenied as exc:
            return _refused(request, order.code, exc)
        except DomainError as exc:
            return _confirm_page(request, order, form, error=exc.message, status=exc.status)
    try:
        if action == "reissue":
            changed = ticket_services.reissue_tickets(order, barcodes=barcodes, actor=request.membership)
        else:
            changed = ticket_services.set_ticket_states(
                order, barcodes=barcodes, state=action, actor=request.membership
            )
    except PermissionDenied as exc:
        return _refused(request, order.code, exc)
    except DomainError as exc:
        return _ops_page(request, order.code, form, error=exc.message, status=exc.status)
    n = len(changed)
    if action == "reissue":
        messages.success(request, f"{_n(n, 'new ticket')} added; the old ones are void.")
        return redirect(f"{_ops_url(order)}?reissued={n}")
    messages.success(request, f"{_n(n, 'ticket')} set to {ACTION_LABELS[action]}.")
    return redirect(_ops_url(order))


def _ops_page(request, code: str, form: BulkActionForm, *, error: str = "", status: int = 200) -> HttpResponse:
    order = _order(request, code, detail=True)
    tickets = list(order.tickets.all())
    selected = set((form.data if form.is_bound else request.GET).getlist("tickets"))
    context = {
        "order": order,
        "tickets": tickets,
        "live_count": sum(t.state != Ticket.State.VOID for t in tickets),
        "selected": selected,
        "form": form,
        "actions": BULK_ACTIONS,
        "chosen": form.data.get("action", "") if form.is_bound else "",
        "error": error,
        "reissued": request.GET.get("reissued", "") if request.method == "GET" else "",
    }
    return render(request, "portal/orders/ticket_operations.html", context, status=status)


def _confirm_page(request, order: Order, form: BulkActionForm, *, error: str = "", status: int = 200) -> HttpResponse:
    action, barcodes = form.cleaned_data["action"], form.cleaned_data["tickets"]
    tickets = list(order.tickets.select_related("ticket_type", "timeslot").order_by("pk"))
    selected = [t for t in tickets if t.barcode in set(barcodes)]
    live = [t for t in tickets if t.state != Ticket.State.VOID]
    context = {
        "order": order,
        "form": form,
        "action": action,
        "label": ACTION_LABELS[action],
        "selected": selected,
        "affected": live if action == "reissue" else selected,
        "error": error,
    }
    if action in ticket_changes.MONEY_ACTIONS:
        context |= ticket_changes.confirm_context(order, action, selected, live)
    else:
        context["consequences"] = consequences(action, barcodes, selected, live)
    return render(request, "portal/orders/ticket_operations_confirm.html", context, status=status)


def _inherited(live: list[Ticket]) -> str:
    states = Counter(t.state for t in live)
    parts = []
    if n := states[Ticket.State.SCANNED_IN]:
        parts.append(f"{n} will be scanned in already (a second entry is refused)")
    if n := states[Ticket.State.SCANNED_OUT]:
        parts.append(f"{n} scanned out")
    if n := states[Ticket.State.BLACKLISTED]:
        parts.append(f"{n} blacklisted (the gate refuses {_them(n)})")
    return f"Of the new tickets, {', '.join(parts)}." if parts else ""


def consequences(action: str, barcodes: list[str], selected: list[Ticket], live: list[Ticket]) -> list[str]:
    """What confirming will do, in the words an operator reads before clicking."""
    n = len(barcodes)
    states = Counter(t.state for t in selected)
    if action == "reissue":
        used = sum(t.state == Ticket.State.SCANNED_IN for t in live)
        void = f"{_n(len(live), 'ticket')} will be void"
        if used:
            void += f"; {used} of them {_was(used)} already scanned in"
        lines = [void + "."]
        if n < len(live):
            lines.append(f"Reissue replaces every valid ticket of the order, not only the {n} selected.")
        lines.append(
            f"{_n(len(live), 'new ticket')} with new barcodes will be added, with the same types, time blocks and "
            "states: each new ticket is what its old one is now (the column “Now”)."
        )
        if inherited := _inherited(live):
            lines.append(inherited)
        lines.append("The new tickets are not sent automatically: send them with Send Ticket(s).")
        return lines
    if action == "blacklisted":
        return [
            f"{_n(n, 'ticket')} will be blacklisted: the gate will refuse {_them(n)} with “ticket is blacklisted”.",
            "Set them to Unscanned to lift the blacklisting.",
        ]
    if action == "unscanned":
        lines = [f"{_n(n, 'ticket')} will be set to Unscanned: unused and valid again, they can be scanned in."]
        if blacklisted := states[Ticket.State.BLACKLISTED]:
            lines.append(f"This lifts the blacklisting of {blacklisted} of them.")
        if used := states[Ticket.State.SCANNED_IN]:
            lines.append(f"{used} of them {_was(used)} already scanned in.")
        return lines
    if action == "scanned_in":
        lines = [f"{_n(n, 'ticket')} will be marked Scanned in (used): the gate will answer “already scanned in”."]
    else:
        lines = [f"{_n(n, 'ticket')} will be marked Scanned out: they can scan in again where re-entry is allowed."]
    if blacklisted := states[Ticket.State.BLACKLISTED]:
        lines.append(
            f"{blacklisted} of them {_was(blacklisted, 'is', 'are')} blacklisted: "
            f"set {_them(blacklisted)} to Unscanned first."
        )
    return lines


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _was(n: int, one: str = "was", many: str = "were") -> str:
    return one if n == 1 else many


def _them(n: int) -> str:
    return "it" if n == 1 else "them"


urls = [
    path("o/<slug:org>/orders/<str:code>/send/<str:kind>/", send, name="send"),
    path("o/<slug:org>/orders/<str:code>/tickets.pdf", download_tickets, name="download_tickets"),
    path("o/<slug:org>/orders/<str:code>/receipt.pdf", download_receipt, name="download_receipt"),
    path("o/<slug:org>/orders/<str:code>/comments/", add_comment, name="add_comment"),
    path("o/<slug:org>/orders/<str:code>/remove/", remove, name="remove"),
    path("o/<slug:org>/orders/<str:code>/refund/", refund, name="refund"),
    path("o/<slug:org>/orders/<str:code>/messages/<id:message>/resend/", resend_message, name="resend_message"),
    path("o/<slug:org>/orders/<str:code>/ticket-operations/", ticket_operations, name="ticket_operations"),
]
