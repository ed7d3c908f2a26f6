"""The purchase wizard (§3.8, §3.9): 1 Buy tickets, 2 Buyer details, 3 Review,
4 Payment & Delivery, Finish purchase. "Sell tickets" opens it for a new sale; the pencil
icon opens it on an existing order, where picking another time block and "next" moves the
order's tickets there, and Finish purchase can send the updated tickets.

Between steps the wizard keeps ids and typed values in the session (wizard_state); the
services check everything again when the sale or the move is made."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from boxoffice.core.errors import DomainError, NotFound, PermissionDenied
from boxoffice.core.models import Buyer, Event, Order, Ticket, TicketType, Timeslot
from boxoffice.core.rules import inputs
from boxoffice.core.rules.contact import normalize_email
from boxoffice.core.rules.money import PricedLine, order_total
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.catalogue import get_event
from boxoffice.core.selectors.orders import balance_of, get_order
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import payments
from boxoffice.core.services import shifts as shift_services
from boxoffice.core.services.formatting import block_label
from boxoffice.core.services.permissions import require
from boxoffice.core.services.reschedule import reschedule_order
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order, sold_with_key
from boxoffice.portal import wizard_state
from boxoffice.portal.access import organizer_view
from boxoffice.portal.forms import BuyerDetailsForm, PaymentDeliveryForm, RescheduleForm, TicketQuantitiesForm
from boxoffice.portal.wizard_state import WizardState

STEPS = [("tickets", "Buy tickets"), ("buyer", "Buyer details"), ("review", "Review"), ("payment", "Payment & Delivery")]
# Service errors a sale can meet at Finish purchase that are fixed on step 1.
TICKET_ERRORS = {
    "timeslot_full", "ticket_type_sold_out", "max_per_order_exceeded", "ticket_type_wrong_event",
    "timeslot_wrong_event", "validation_error",
}  # fmt: skip


@dataclass
class Wizard:
    """One request's view of a wizard: its state and the rows it refers to, re-read."""

    request: object
    state: WizardState
    event: Event
    order: Order | None = None
    step: str = "tickets"
    error: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.event.timezone)

    def url(self, step: str) -> str:
        return reverse(f"portal:wizard_{step}", kwargs={"org": self.event.organizer.slug, "wid": self.state.wid})

    def reachable(self, step: str) -> bool:
        state = self.state
        if state.is_edit:
            return step in ("tickets", "payment")
        return {
            "tickets": True,
            "buyer": state.has_tickets,
            "review": state.has_tickets and state.has_buyer,
            "payment": state.has_tickets and state.has_buyer and state.reviewed,
        }[step]

    def save(self) -> None:
        wizard_state.save(self.request.session, self.state)


_SELLABLE = (
    datetime(inputs.FIRST_YEAR, 1, 1, tzinfo=UTC), datetime(inputs.LAST_YEAR + 1, 1, 1, tzinfo=UTC)
)


def sale_key(wid: str) -> str:
    """What a wizard's Finish purchase does happens once, however often it is submitted."""
    return f"wizard:{wid}"


def _forbidden(request, exc: DomainError) -> HttpResponse:
    return render(request, "portal/wizard/forbidden.html", {"error": exc.message}, status=403)


def wizard_view(view):
    """Mounted at o/<org>/wizard/<wid>/...: loads this session's wizard for the organizer,
    checks the role may sell (or change orders, for an edit), then calls view(request, wizard)."""

    @organizer_view
    @wraps(view)
    def wrapper(request, wid: str, **kwargs):
        state = wizard_state.load(request.session, wid, organizer_id=request.organizer.pk)
        permission = Permission.CHANGE_ORDERS if state and state.is_edit else Permission.SELL
        try:
            require(request.membership, permission, organizer_id=request.organizer.pk)
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        if state is None:
            if sold := sold_with_key(request.organizer.pk, sale_key(wid)):  # finished, maybe in another session
                messages.info(request, f"That sale was finished already: order {sold.code}.")
                return redirect("portal:order", org=request.organizer.slug, code=sold.code)
            messages.warning(request, "That sale was already finished or has expired. Start again.")
            return redirect("portal:box_office", org=request.organizer.slug)
        try:
            event = get_event(request.organizer, state.event_id)
            order = get_order(request.organizer, state.order_code) if state.is_edit else None
        except NotFound:
            raise Http404("No such event or order") from None
        return view(request, Wizard(request, state, event, order), **kwargs)

    return wrapper


# --- Starting ---------------------------------------------------------------------------


@organizer_view
def sell(request) -> HttpResponse:
    """Sell tickets: choose the event (when there are several), then step 1."""
    try:
        require(request.membership, Permission.SELL, organizer_id=request.organizer.pk)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    if request.organizer.desk_shifts and shift_services.current_shift(request.membership) is None:
        messages.info(request, "This desk works in shifts: open your shift, then sell.")
        return redirect(reverse("portal:shift", kwargs={"org": request.organizer.slug}) + f"?next={request.path}")
    events = list(Event.objects.filter(organizer=request.organizer).order_by("name"))
    chosen = None
    if request.method == "POST":
        chosen = next((e for e in events if str(e.pk) == request.POST.get("event")), None)
    elif len(events) == 1:
        chosen = events[0]
    if chosen is None:
        return render(request, "portal/wizard/choose_event.html", {"nav": "sell", "events": events})
    state = wizard_state.start(
        request.session, kind=wizard_state.SELL, organizer_id=request.organizer.pk, event_id=chosen.pk
    )
    return redirect("portal:wizard_tickets", org=request.organizer.slug, wid=state.wid)


@organizer_view
def edit_order(request, code: str) -> HttpResponse:
    """The pencil icon: the order in the wizard at Buy tickets, its time block preselected."""
    try:
        require(request.membership, Permission.CHANGE_ORDERS, organizer_id=request.organizer.pk)
        order = get_order(request.organizer, code)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except NotFound:
        raise Http404("No such order") from None
    if order.status == Order.Status.REMOVED:
        messages.error(request, f"Order {order.code} was removed; it cannot be changed.")
        return redirect("portal:order", org=request.organizer.slug, code=order.code)
    slots = _order_slots(order)
    current = Timeslot.objects.filter(pk__in=slots).order_by("start", "pk").first()
    state = wizard_state.start(
        request.session, kind=wizard_state.EDIT, organizer_id=request.organizer.pk, event_id=order.event_id,
        order_code=order.code, timeslot_id=current.pk if current else None, send_tickets=False,
    )  # fmt: skip
    return redirect("portal:wizard_tickets", org=request.organizer.slug, wid=state.wid)


# --- Step 1: Buy tickets ----------------------------------------------------------------


@wizard_view
def tickets_step(request, wizard: Wizard) -> HttpResponse:
    state, slots = wizard.state, Timeslot.objects.filter(event=wizard.event)
    if wizard.order is not None:
        form = RescheduleForm(request.POST or None, timeslots=slots, order_slots=_order_slots(wizard.order))
    else:
        form = TicketQuantitiesForm(request.POST or None, ticket_types=_ticket_types(wizard.event), timeslots=slots)
    if request.method != "POST":
        return _render_tickets(wizard, form)
    if not form.is_valid():
        return _render_tickets(wizard, form, status=422)
    if wizard.order is not None:
        return _reschedule(wizard, form)
    state.quantities = form.cleaned_data["quantities"]
    state.timeslot_id = form.cleaned_data["slot"].pk
    state.reviewed = False  # changed tickets are reviewed again before payment
    wizard.save()
    return redirect(wizard.url("buyer"))


def _reschedule(wizard: Wizard, form: RescheduleForm) -> HttpResponse:
    """"next" on an order edit: move the tickets now (or nothing, if they are there already)."""
    to_slot, from_slot = form.cleaned_data["slot"], form.cleaned_data["from_slot"]
    live = Ticket.objects.filter(order=wizard.order).exclude(state=Ticket.State.VOID)
    if from_slot is not None:
        live = live.filter(timeslot=from_slot)
    if live.exclude(timeslot=to_slot).exists():
        try:
            moved = reschedule_order(
                wizard.order, to_timeslot=to_slot, from_timeslot=from_slot, actor=wizard.request.membership, send_tickets=False
            )
        except PermissionDenied as exc:
            return _forbidden(wizard.request, exc)
        except DomainError as exc:
            wizard.error = exc.message
            return _render_tickets(wizard, form, status=exc.status)
        wizard.state.moves.append({"tickets": len(moved), "to": slot_label(to_slot)})
    wizard.state.timeslot_id, wizard.state.from_timeslot_id = to_slot.pk, None
    wizard.save()
    return redirect(wizard.url("payment"))


def _render_tickets(wizard: Wizard, form=None, status: int = 200) -> HttpResponse:
    request, state = wizard.request, wizard.state
    slots = Timeslot.objects.filter(event=wizard.event)
    if form is None or not form.is_bound:
        initial = {f"qty_{type_id}": quantity for type_id, quantity in state.quantities.items()}
        if wizard.order is not None:
            form = RescheduleForm(initial={"from_timeslot": state.from_timeslot_id or "all"}, timeslots=slots, order_slots={})
        else:
            form = TicketQuantitiesForm(initial=initial, ticket_types=_ticket_types(wizard.event), timeslots=slots)
    picked = _int(request.POST.get("timeslot") or request.POST.get("timeslot_selected")) if form.is_bound else None
    picked = picked or _int(request.GET.get("timeslot") or request.GET.get("timeslot_selected")) or state.timeslot_id
    context = {"form": form, **_picker(wizard, picked, request.GET.get("day"))}
    if wizard.order is not None:
        order_slots = _order_slots(wizard.order)
        context["order_slots"] = [
            (slot, slot_label(slot), order_slots[slot.pk])
            for slot in Timeslot.objects.select_related("event").filter(pk__in=order_slots).order_by("start", "pk")
        ]
        context["from_choice"] = str(form["from_timeslot"].value() or "all")
    wizard.step = "tickets"
    return _render(wizard, "portal/wizard/tickets.html", context, status)


def _picker(wizard: Wizard, picked_id: int | None, day_text: str | None) -> dict:
    """Pick time blocks: one day's time blocks with places left, in a week to move through.
    Only blocks within the years Boxoffice sells for (an older version let others in)."""
    tz, slots = wizard.tz, Timeslot.objects.filter(event=wizard.event, start__gte=_SELLABLE[0], start__lt=_SELLABLE[1])
    picked = slots.select_related("event").filter(pk=picked_id).first() if picked_id else None
    day = _date(day_text)
    if day is None:
        anchor = picked or slots.filter(end__gt=timezone.now()).order_by("start").first() or slots.order_by("-start").first()
        day = anchor.start.astimezone(tz).date() if anchor else timezone.now().astimezone(tz).date()
    week_start = day - timedelta(days=day.weekday())
    week_from, week_to = _midnight(week_start, tz), _midnight(week_start + timedelta(days=7), tz)
    week = list(slots.filter(start__gte=week_from, start__lt=week_to).order_by("start", "pk"))
    per_day = Counter(s.start.astimezone(tz).date() for s in week)
    order_slots = _order_slots(wizard.order) if wizard.order is not None else {}
    day_slots = [
        {"slot": s, "time": _times(s, tz), "left": max(s.available, 0), "mine": order_slots.get(s.pk, 0),
         "disabled": (s.available <= 0 or s.closed) and s.pk not in order_slots, "closed": s.closed}
        for s in week if s.start.astimezone(tz).date() == day
    ]  # fmt: skip
    earlier = slots.filter(start__lt=week_from).order_by("-start").first() if not week else None
    later = slots.filter(start__gte=week_to).order_by("start").first() if not week else None
    return {
        "day": day,
        "days": [(d, per_day.get(d, 0)) for d in (week_start + timedelta(days=i) for i in range(7))],
        "previous_week": day - timedelta(days=7),
        "next_week": day + timedelta(days=7),
        "day_slots": day_slots,
        "picked": picked,
        "picked_text": slot_label(picked) if picked else "",
        "picked_elsewhere": picked is not None and all(row["slot"].pk != picked.pk for row in day_slots),
        "earlier_day": earlier.start.astimezone(tz).date() if earlier else None,
        "later_day": later.start.astimezone(tz).date() if later else None,
    }


# --- Step 2: Buyer details --------------------------------------------------------------


@wizard_view
def buyer_step(request, wizard: Wizard) -> HttpResponse:
    if not wizard.reachable("buyer"):
        return redirect(wizard.url("tickets" if not wizard.state.is_edit else "payment"))
    state = wizard.state
    email = request.POST.get("email", state.email)
    form = BuyerDetailsForm(
        request.POST or None,
        initial={"email": state.email, "name": state.name, "phone": state.phone, "language": state.language},
        existing_buyer=_existing_buyer(wizard, email),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        state.email, state.name, state.phone, state.language = data["email"], data["name"].strip(), data["phone"], data["language"]
        state.reviewed = False
        wizard.save()
        return redirect(wizard.url("review"))
    wizard.step = "buyer"
    status = 422 if form.is_bound else 200
    return _render(wizard, "portal/wizard/buyer.html", {"form": form, "existing": form.existing_buyer}, status)


@wizard_view
def buyer_lookup(request, wizard: Wizard) -> HttpResponse:
    """htmx, when the email is typed: is this an existing buyer of the organizer?"""
    email = request.GET.get("email", "")
    return render(request, "portal/wizard/_buyer_match.html", {"existing": _existing_buyer(wizard, email), "email": email})


def _existing_buyer(wizard: Wizard, email: str) -> Buyer | None:
    if not email or "@" not in email:
        return None
    return Buyer.objects.filter(organizer_id=wizard.event.organizer_id, email_normalized=normalize_email(email)).first()


# --- Step 3: Review ---------------------------------------------------------------------


@wizard_view
def review_step(request, wizard: Wizard) -> HttpResponse:
    if not wizard.reachable("review"):
        return redirect(wizard.url("tickets" if not wizard.state.is_edit else "payment"))
    if request.method == "POST":
        wizard.state.reviewed = True
        wizard.save()
        return redirect(wizard.url("payment"))
    wizard.step = "review"
    return _render(wizard, "portal/wizard/review.html", {"existing": _existing_buyer(wizard, wizard.state.email)})


# --- Step 4: Payment & Delivery, Finish purchase ----------------------------------------


@wizard_view
def payment_step(request, wizard: Wizard) -> HttpResponse:
    state = wizard.state
    if not wizard.reachable("payment"):
        return redirect(wizard.url("tickets"))
    initial = {"payment_method": state.payment_method, "send_tickets": state.send_tickets and not state.walk_in,
               "send_receipt": state.send_receipt, "cash_tendered": state.cash_tendered or None}  # fmt: skip
    due = balance_of(wizard.order).due if state.is_edit else None
    form = PaymentDeliveryForm(request.POST or None, initial=initial, edit=state.is_edit, walk_in=state.walk_in, due=due)
    if request.method != "POST":
        return _render_payment(wizard, form)
    if not form.is_valid():
        return _render_payment(wizard, form, status=422)
    data = form.cleaned_data
    state.send_tickets = data.get("send_tickets", False)
    if state.is_edit:
        return _finish_edit(wizard, form)
    state.payment_method, state.send_receipt = data["payment_method"], data.get("send_receipt", False)
    state.cash_tendered = str(data["cash_tendered"]) if data["cash_tendered"] is not None else ""
    wizard.save()
    return _finish_sale(wizard, form)


def _finish_sale(wizard: Wizard, form) -> HttpResponse:
    state, request = wizard.state, wizard.request
    sale = Sale(
        event=wizard.event,
        buyer=BuyerDetails(email=state.email, name=state.name, phone=state.phone, language=state.language),
        lines=[SaleLine(int(type_id), state.timeslot_id, quantity) for type_id, quantity in state.quantities.items()],
        payment_method=state.payment_method,
        send_tickets=state.send_tickets,
        send_receipt=state.send_receipt,
        key=sale_key(state.wid),
        cash_tendered=form.cleaned_data["cash_tendered"],
    )
    try:
        order = sell_order(sale, actor=request.membership)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except DomainError as exc:
        if exc.code in TICKET_ERRORS:
            wizard.error = exc.message
            return _render_tickets(wizard, status=exc.status)
        if exc.details.get("field") in form.fields:
            form.add_error(exc.details["field"], exc.message)
        else:
            wizard.error = exc.message
        return _render_payment(wizard, form, status=exc.status)
    wizard_state.discard(request.session, state)
    count, slot = sum(state.quantities.values()), Timeslot.objects.select_related("event").get(pk=state.timeslot_id)
    paid = {"invoice": "to be paid (invoice)", "free": "(free)"}.get(order.payment_method, f"paid by {order.payment_method}")
    notice = (
        f"Sold order {order.code}: {count} ticket{'s' if count != 1 else ''} for {slot_label(slot)}, "
        f"{order.event.currency} {order.total} {paid}"
    )
    sent = [what for what, on in ((f"tickets sent to {order.buyer.email}", state.send_tickets), ("payment receipt sent", state.send_receipt)) if on]
    payment = order.payments.first()
    if payment is not None and payment.change is not None:
        sent.append(f"{order.event.currency} {payment.tendered} tendered, change {order.event.currency} {payment.change}")
    if order.buyer.walk_in:
        sent.append("nothing emailed (walk-in): print the tickets")
    messages.success(request, "; ".join([notice, *sent]) + ".")
    return redirect("portal:order", org=request.organizer.slug, code=order.code)


def _finish_edit(wizard: Wizard, form) -> HttpResponse:
    state, request, order = wizard.state, wizard.request, wizard.order
    collected = None
    if form.cleaned_data.get("collect") in ("cash", "card"):
        try:
            collected = payments.register_payment(
                order, amount=balance_of(order).due, method=form.cleaned_data["collect"], actor=request.membership,
                tendered=form.cleaned_data.get("cash_tendered"),
            )
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        except DomainError as exc:
            form.add_error("cash_tendered" if exc.details.get("field") == "cash_tendered" else None, exc.message)
            return _render_payment(wizard, form, status=exc.status)
    if state.send_tickets:
        try:
            message = order_services.send_tickets(order, actor=request.membership, request_key=sale_key(state.wid))
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        except DomainError as exc:
            wizard.error = exc.message
            return _render_payment(wizard, form, status=exc.status)
    moved = [f"Moved {m['tickets']} ticket{'s' if m['tickets'] != 1 else ''} to {m['to']}" for m in state.moves]
    parts = moved or ["Time block unchanged"]
    if collected is not None:
        change = f", change {order.event.currency} {collected.change}" if collected.tendered is not None else ""
        parts.append(f"{order.event.currency} {collected.amount} collected ({collected.method}{change})")
    if state.send_tickets:
        parts.append(f"tickets sent to {message.to}")
    elif moved:
        parts.append("tickets not sent (use Send Ticket(s) to send them)")
    wizard_state.discard(request.session, state)
    messages.success(request, "; ".join(parts) + ".")
    return redirect("portal:order", org=request.organizer.slug, code=order.code)


def _render_payment(wizard: Wizard, form, status: int = 200) -> HttpResponse:
    wizard.step = "payment"
    balance = balance_of(wizard.order) if wizard.order else None
    return _render(wizard, "portal/wizard/payment.html", {"form": form, "walk_in": wizard.state.walk_in, "balance": balance}, status)


# --- Shared -----------------------------------------------------------------------------


def _render(wizard: Wizard, template: str, context: dict, status: int = 200) -> HttpResponse:
    state = wizard.state
    slot = Timeslot.objects.select_related("event").filter(event=wizard.event, pk=state.timeslot_id).first() if state.timeslot_id else None
    lines, total = _lines(wizard)
    steps = [
        {"number": n, "key": key, "label": label, "current": key == wizard.step,
         "url": wizard.url(key) if wizard.reachable(key) else None}
        for n, (key, label) in enumerate(STEPS, start=1)
    ]  # fmt: skip
    base = {
        "nav": "sell" if not state.is_edit else "", "wizard": state, "event": wizard.event, "order": wizard.order,
        "steps": steps, "step": wizard.step, "error": wizard.error, "slot_text": slot_label(slot) if slot else "",
        "lines": lines, "total": total,
        "urls": {key: wizard.url(key) for key, _ in STEPS} | {"lookup": wizard.url("buyer_lookup")},
        "several_events": Event.objects.filter(organizer_id=wizard.event.organizer_id).count() > 1,
    }  # fmt: skip
    return render(wizard.request, template, base | context, status=status)


def _lines(wizard: Wizard) -> tuple[list[dict], object]:
    """Sale lines priced as they stand now (the service prices them again on sale)."""
    if wizard.state.is_edit:
        return [], None
    types = TicketType.objects.filter(event=wizard.event, pk__in=[int(k) for k in wizard.state.quantities]).in_bulk()
    lines = []
    for type_id, quantity in wizard.state.quantities.items():
        if ticket_type := types.get(int(type_id)):
            priced = PricedLine(quantity, ticket_type.price, ticket_type.vat_rate)
            lines.append({"ticket_type": ticket_type, "quantity": quantity, "unit_price": ticket_type.price, "total": priced.total})
    return lines, order_total([PricedLine(line["quantity"], line["unit_price"], 0) for line in lines])


def _ticket_types(event: Event):
    return TicketType.objects.filter(event=event, active=True).order_by("pk")


def _order_slots(order: Order) -> dict[int, int]:
    """{timeslot id: live tickets of the order in it}."""
    live = Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID)
    return dict(Counter(live.values_list("timeslot_id", flat=True)))


def slot_label(slot: Timeslot) -> str:
    """"Fri 4 Dec 14:00–15:00" in the event's timezone (with the year when it is not this year)."""
    this_year = timezone.now().astimezone(ZoneInfo(slot.event.timezone)).year
    return block_label(slot.start, slot.end, slot.event.timezone, year=slot.start.year != this_year)


def _times(slot: Timeslot, tz: ZoneInfo) -> str:
    """A time block on its day's list: "14:00–15:00", or with the end's day when it ends later."""
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a} {end.day} {end:%b} {end:%H:%M}"
    return f"{start:%H:%M}–{until}"


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _date(text: str | None) -> date | None:
    """A day to show, if it is one within the years Boxoffice sells for."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day and inputs.FIRST_YEAR <= day.year <= inputs.LAST_YEAR else None


def _int(text) -> int | None:
    return int(text) if text and str(text).isdigit() else None


urls = [
    path("o/<slug:org>/sell/", sell, name="sell"),
    path("o/<slug:org>/orders/<str:code>/edit/", edit_order, name="edit_order"),
    path("o/<slug:org>/wizard/<str:wid>/tickets/", tickets_step, name="wizard_tickets"),
    path("o/<slug:org>/wizard/<str:wid>/buyer/", buyer_step, name="wizard_buyer"),
    path("o/<slug:org>/wizard/<str:wid>/buyer/lookup/", buyer_lookup, name="wizard_buyer_lookup"),
    path("o/<slug:org>/wizard/<str:wid>/review/", review_step, name="wizard_review"),
    path("o/<slug:org>/wizard/<str:wid>/payment/", payment_step, name="wizard_payment"),
]
