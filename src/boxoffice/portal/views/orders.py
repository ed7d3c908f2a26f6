"""Box office home (look up orders) and the order page."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.vary import vary_on_headers

from boxoffice.core.errors import NotFound
from boxoffice.core.models import Order, Timeslot
from boxoffice.core.selectors.orders import (
    OrderFilters,
    buyer_comments,
    balance_of,
    current_replacement,
    find_ticket_by_barcode,
    get_order_detail,
    get_ticket_detail,
    paid_balance,
    OrderResults,
    search_orders,
    visits_of,
)
from boxoffice.core.selectors.timeline import order_timeline
from boxoffice.portal.access import organizer_view
from boxoffice.db.replicas import reads_from_replica
from boxoffice.portal.forms import OrderSearchForm

PAGE_SIZE = 25
EXPORT_KINDS = [("orders", "Orders"), ("tickets", "Tickets"), ("payments", "Payments"), ("refunds", "Refunds"), ("scans", "Scans")]
LAST_LOOKUP = "last_lookup"  # the term that opened the order page, shown selected in its search box


@organizer_view
@reads_from_replica
@vary_on_headers("HX-Request")  # the page and its htmx part share a URL: caches must tell them apart
def box_office(request) -> HttpResponse:
    form = OrderSearchForm(request.GET or None, organizer=request.organizer)
    filters = OrderFilters()
    if form.is_valid():
        data = form.cleaned_data
        # A handheld scanner types a barcode and Enter: go straight to its order.
        if data["q"] and (ticket := find_ticket_by_barcode(request.organizer, data["q"])):
            _say_if_reissued(request, ticket)
            return _open_order(request, ticket.order.code, data["q"])
        filters = filters_of(data)
    # A search the form refuses finds nothing (and says why), rather than every order.
    orders = search_orders(request.organizer, filters) if not form.is_bound or form.is_valid() else OrderResults(Order.objects.none())
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    if filters.search and page.paginator.count == 1 and request.GET.get("page") is None:
        return _open_order(request, page.object_list[0].code, filters.search)
    timeslots = (
        Timeslot.objects.filter(event_id=filters.event_id).order_by("start") if filters.event_id else Timeslot.objects.none()
    )
    template = _partial_or_page(request, "portal/orders/_results.html", "portal/orders/box_office.html")
    context = {
        "nav": "box_office", "form": form, "page": page, "searched": bool(request.GET), "timeslots": timeslots,
        "filters": filters, "count_exact": orders.count_exact, "visits": visits_of(page.object_list), "partial": template.endswith("_results.html"),
        "export_kinds": EXPORT_KINDS,
    }  # fmt: skip
    return render(request, template, context)


def filters_of(data: dict) -> OrderFilters:
    """Look up orders' filters from its valid form (also what an export of the list exports)."""
    event = data["event"]
    # A time block picked under another event is dropped when the event changes.
    slot_id = data["timeslot"] if event and Timeslot.objects.filter(pk=data["timeslot"], event=event).exists() else None
    return OrderFilters(
        search=data["q"],
        event_id=event.pk if event else None,
        timeslot_id=slot_id,
        status=data["status"] or None,
        created_from=data["created_from"],
        created_to=data["created_to"],
    )


def _open_order(request, code: str, term: str) -> HttpResponse:
    """The one order a lookup found, as a real page load (also when htmx asked: a redirect
    it followed would put the whole page inside the results box). The order page then offers
    the search box with the term selected, so that the next scan replaces it."""
    request.session[LAST_LOOKUP] = term
    url = reverse("portal:order", kwargs={"org": request.organizer.slug, "code": code})
    if request.headers.get("HX-Request"):
        response = HttpResponse()
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _say_if_reissued(request, ticket) -> None:
    if ticket.void_reason != "reissued":
        return
    replacement = current_replacement(ticket)
    now = f"; it was replaced by {replacement.barcode}" if replacement else ""
    messages.warning(request, f"Barcode {ticket.barcode} was reissued and is no longer valid{now}.")


def _partial_or_page(request, partial: str, page: str) -> str:
    """htmx asks for the part it swaps; a boosted link or a plain visit gets the page."""
    is_partial = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return partial if is_partial else page


@organizer_view
def order_page(request, code: str) -> HttpResponse:
    try:
        order = get_order_detail(request.organizer, code)
    except NotFound:
        raise Http404("No such order") from None
    context = {**order_context(order), "lookup_term": request.session.pop(LAST_LOOKUP, "")}
    return render(request, "portal/orders/order.html", context)


def order_context(order) -> dict:
    """Everything the order page shows; action views re-render it with an error next to them."""
    counts = order.ticket_counts
    return {
        "order": order,
        "buyer_comments": list(buyer_comments(order)),
        "purchase_comments": list(order.comments.all()),
        "live_tickets": order.shown_live,
        "void_tickets": order.shown_void,
        "ticket_counts": counts,
        # A big order's PDF comes from a progress page, not as a download straight away.
        "pdf_in_background": counts["printable"] > settings.INLINE_PDF_TICKETS,
        "paid": paid_balance(order),
        "balance": balance_of(order),
        "visits": visits_of([order]),
        "timeline": order_timeline(order),
    }


@organizer_view
def ticket_page(request, code: str, barcode: str) -> HttpResponse:
    try:
        ticket = get_ticket_detail(request.organizer, code, barcode)
    except NotFound:
        raise Http404("No such ticket") from None
    return render(request, "portal/orders/ticket.html", {"order": ticket.order, "ticket": ticket, "scans": list(ticket.scans.all())})


urls = [
    path("o/<slug:org>/", box_office, name="box_office"),
    path("o/<slug:org>/orders/<str:code>/", order_page, name="order"),
    path("o/<slug:org>/orders/<str:code>/tickets/<str:barcode>/", ticket_page, name="ticket"),
]
