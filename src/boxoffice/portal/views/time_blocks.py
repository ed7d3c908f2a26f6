"""The bad day in the portal (admins): Move time block, Cancel time block and Message buyers.
Each is a form, then a preview of what would happen (nothing changed yet), then Apply, which
starts the job and opens its page with the progress bar. The services decide everything."""

import secrets
from functools import wraps

from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from boxoffice.core.errors import DomainError, PermissionDenied
from boxoffice.core.models import Event, Timeslot
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.rules.time_blocks import PLACEHOLDERS
from boxoffice.core.selectors.orders import OrderFilters
from boxoffice.core.services import buyer_messages, time_blocks
from boxoffice.core.services.formatting import timeslot_label
from boxoffice.core.services.permissions import require
from boxoffice.portal.access import organizer_view
from boxoffice.portal.forms import OrderSearchForm
from boxoffice.portal.views.orders import filters_of


def _denied(request, exc: DomainError) -> HttpResponse:
    return render(request, "portal/setup/denied.html", {"nav": "setup", "error": exc.message}, status=exc.status)


def _ids(request, name: str) -> list[str]:
    return (request.POST if request.method == "POST" else request.GET).getlist(name)


def _sources(request) -> list[Timeslot]:
    ids = [i for i in _ids(request, "block") if i.isdigit() and len(i) <= 18]  # a number the database can hold
    return list(Timeslot.objects.select_related("event").filter(pk__in=ids, event__organizer=request.organizer))


def _choices(event: Event, sources: list[Timeslot]) -> list[Timeslot]:
    """Blocks to move to: the event's blocks that have not ended, open for sale."""
    return list(
        event.timeslots.filter(end__gt=timezone.now(), closed_at__isnull=True).exclude(pk__in=[s.pk for s in sources])
        .order_by("start", "pk")
    )  # fmt: skip


def bulk_view(view):
    """An admin's bad-day page: the permission first, GET and POST only."""

    @organizer_view
    @require_http_methods(["GET", "POST"])
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require(request.membership, Permission.BULK_CHANGES, organizer_id=request.organizer.pk)
        except PermissionDenied as exc:
            return _denied(request, exc)
        return view(request, *args, **kwargs)

    return wrapper


def _preview_or_apply(request, context: dict, template: str, *, preview, start, **kwargs) -> HttpResponse:
    """The form (GET), its preview (POST; nothing changes), or Apply: the job starts and its
    page opens. A refusal is shown on the form, which keeps what was entered."""
    if request.method == "POST":
        kwargs["actor"] = request.membership
        try:
            if "apply" in request.POST:
                job = start(request.organizer, request_key=context["key"], **kwargs)
                return redirect("portal:job", org=request.organizer.slug, job=job.pk)
            context["preview"] = preview(request.organizer, **kwargs)
        except DomainError as exc:
            context["error"] = exc.message
    return render(request, template, context)


@bulk_view
def move_block(request) -> HttpResponse:
    sources = _sources(request)
    if not sources:
        return _no_block(request)
    targets = _ids(request, "target")
    notify, close_source = _flag(request, "notify"), _flag(request, "close_source")
    context = {"nav": "setup", "sources": sources, "event": sources[0].event, "chosen": set(targets), "notify": notify,
               "close_source": close_source, "choices": _choices(sources[0].event, sources), "key": _key(request)}  # fmt: skip
    return _preview_or_apply(request, context, "portal/time_blocks/move.html", preview=time_blocks.preview_move,
                             start=time_blocks.start_move, sources=[s.pk for s in sources], targets=targets,
                             notify=notify, close_source=close_source)  # fmt: skip


@bulk_view
def cancel_block(request) -> HttpResponse:
    sources = _sources(request)
    if not sources:
        return _no_block(request)
    reason, notify = request.POST.get("reason", ""), _flag(request, "notify")
    context = {"nav": "setup", "sources": sources, "event": sources[0].event, "reason": reason, "notify": notify,
               "key": _key(request)}  # fmt: skip
    return _preview_or_apply(request, context, "portal/time_blocks/cancel.html", preview=time_blocks.preview_cancel,
                             start=time_blocks.start_cancel, sources=[s.pk for s in sources], reason=reason,
                             notify=notify)  # fmt: skip


@bulk_view
def message_buyers(request) -> HttpResponse:
    scope, described, query = _scope(request)
    if scope is None:
        return render(request, "portal/setup/denied.html", {
            "nav": "box_office", "error": "Choose whose buyers first: a time block, or an event or a search in Look up orders.",
        }, status=400)  # fmt: skip
    subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
    attach = _flag(request, "attach_tickets", default=False)
    context = {"nav": "box_office", "scope_words": described, "query": query, "subject": subject, "body": body,
               "attach_tickets": attach, "placeholders": PLACEHOLDERS, "key": _key(request),
               "blocks": scope.timeslot_ids}  # fmt: skip
    return _preview_or_apply(request, context, "portal/time_blocks/message.html", preview=buyer_messages.preview_message,
                             start=buyer_messages.start_message, scope=scope, subject=subject, body=body,
                             attach_tickets=attach)  # fmt: skip


def _scope(request):
    """Whose buyers, from the page's query: time blocks (`block=`), or the filters of Look up
    orders (an event alone, or a whole search). None when neither says anything."""
    sources = _sources(request)
    if sources:
        words = "the buyers of " + ", ".join(f"{s.event.name} {timeslot_label(s)}" for s in sources)
        return buyer_messages.Scope(timeslot_ids=tuple(s.pk for s in sources)), words, ""
    query = request.POST.get("query", request.GET.urlencode()) if request.method == "POST" else request.GET.urlencode()
    form = OrderSearchForm(QueryDict(query), organizer=request.organizer)
    if not query or not form.is_valid():
        return None, "", ""
    filters: OrderFilters = filters_of(form.cleaned_data)
    if filters == OrderFilters():
        return None, "", ""
    return buyer_messages.Scope(filters=filters), _filter_words(request.organizer, filters), query


def _filter_words(organizer, filters: OrderFilters) -> str:
    """The search in words: "the buyers of the orders found in Look up orders: Old Masters, “smit”"."""
    parts = []
    if filters.event_id:
        parts += list(Event.objects.filter(pk=filters.event_id, organizer=organizer).values_list("name", flat=True))
    if filters.timeslot_id:
        parts += [timeslot_label(s) for s in Timeslot.objects.select_related("event").filter(pk=filters.timeslot_id)]
    if filters.search:
        parts.append(f"“{filters.search}”")
    if filters.status:
        parts.append(f"status {filters.status}")
    if filters.created_from or filters.created_to:
        parts.append(f"sold {filters.created_from or '…'} to {filters.created_to or '…'}")
    return "the buyers of the orders found in Look up orders: " + ", ".join(parts)


def _no_block(request) -> HttpResponse:
    return render(request, "portal/setup/denied.html", {
        "nav": "setup", "error": "Choose a time block first: from its page in Setup, or from Look up orders filtered on it.",
    }, status=400)  # fmt: skip


def _flag(request, name: str, *, default: bool = True) -> bool:
    """A checkbox: on by default on the first visit, then as the form sent it."""
    if request.method != "POST":
        return default
    return request.POST.get(name) == "on"


def _key(request) -> str:
    """One key per form, kept through the preview: Apply sent twice starts one job."""
    key = request.POST.get("key", "")
    return key if key.isalnum() and len(key) <= 64 else secrets.token_hex(16)


urls = [
    path("o/<slug:org>/time-blocks/move/", move_block, name="move_block"),
    path("o/<slug:org>/time-blocks/cancel/", cancel_block, name="cancel_block"),
    path("o/<slug:org>/messages/new/", message_buyers, name="message_buyers"),
]
