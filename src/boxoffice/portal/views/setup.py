"""Setup pages for admins: events, time blocks, ticket types, the team, API tokens and
scanner devices. Every member may look; only admins change anything (the services refuse
everyone else, and so does each POST here before reading the form)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from boxoffice.accounts.services import members_with_two_factor
from boxoffice.accounts.views import link_base
from boxoffice.core.errors import DomainError, NotFound, PermissionDenied
from boxoffice.core.models import ApiToken, AuditEntry, Device, Event, Membership, Role, TicketType, Timeslot
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.catalogue import get_event, get_ticket_type, get_timeslot
from boxoffice.core.services import setup, team
from boxoffice.core.services.permissions import require
from boxoffice.core.services.setup import DailySeries
from boxoffice.portal.access import organizer_view
from boxoffice.portal.setup_forms import (
    ApiTokenForm,
    DeviceForm,
    EventForm,
    MemberForm,
    RoleForm,
    PrintingForm,
    SecurityForm,
    SeriesForm,
    TicketTypeEditForm,
    TicketTypeForm,
    TimeslotForm,
)

TIMESLOTS_PER_PAGE = 20
INVALID_FORM = 422


# --- helpers ---------------------------------------------------------------------------------

def _refused(request, permission: Permission) -> HttpResponse | None:
    """A 403 page for a POST the user's role may not make (forms are hidden from them)."""
    try:
        require(request.membership, permission, organizer_id=request.organizer.pk)
    except PermissionDenied as exc:
        return render(request, "portal/setup/denied.html", {"nav": "setup", "error": exc.message}, status=exc.status)
    return None


def _fail(form, exc: DomainError, *, field: str | None = None) -> int:
    """Puts a service's refusal next to the field it is about (or on top of the form) and
    returns the HTTP status to answer with."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    target = field or exc.details.get("field")
    form.add_error(target if target in form.fields else None, exc.message)
    return exc.status


def _event(request, event_id: int) -> Event:
    try:
        return get_event(request.organizer, event_id)
    except NotFound:
        raise Http404("No such event") from None


def _organizer_object(queryset, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


def _once(response: HttpResponse, secret: str | None) -> HttpResponse:
    """A page showing a new token is never kept by the browser or a proxy."""
    if secret:
        add_never_cache_headers(response)
    return response


def _confirmed(request, *, act, done: str, back: str, title: str, confirm: str, explanation: str) -> HttpResponse:
    """A confirmation page for a destructive action: GET asks, POST runs `act()` (one service
    call) and goes `back` (a URL name under the organizer, or a path) with `done` as the notice,
    or shows the service's error."""
    back_url = back if back.startswith("/") else reverse(back, kwargs={"org": request.organizer.slug})
    error, status = None, 200
    if request.method == "POST":
        try:
            act()
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, done)
            return redirect(back_url)
    context = {
        "nav": "setup", "title": title, "error": error, "confirm": confirm, "explanation": explanation, "back": back_url,
    }  # fmt: skip
    return render(request, "portal/setup/confirm.html", context, status=status)


def _credential_page(request, form_class, create, template: str, context: dict) -> HttpResponse:
    """A page that lists credentials and creates one: `create(cleaned_data)` (one service call)
    returns (object, plain token); the token is shown in this answer only, never stored."""
    form, status, created, new_token = form_class(organizer=request.organizer), 200, None, None
    if request.method == "POST":
        if denied := _refused(request, Permission.MANAGE_TEAM):
            return denied
        form = form_class(request.POST, organizer=request.organizer)
        status = INVALID_FORM
        if form.is_valid():
            try:
                created, new_token = create(form.cleaned_data)
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                status, form = 201, form_class(organizer=request.organizer)
    context = {"nav": "setup", "form": form, "new_token": new_token, "created": created, **context}
    return _once(render(request, template, context, status=status), new_token)


def _time_range(slot: Timeslot, tz) -> str:
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    return f"{start:%a} {start.day} {start:%b %Y %H:%M}–{end:%H:%M}"


# --- overview and events ---------------------------------------------------------------------

@organizer_view
def overview(request) -> HttpResponse:
    now = timezone.now()
    events = (
        Event.objects.filter(organizer=request.organizer)
        .annotate(
            upcoming=Count("timeslots", filter=Q(timeslots__end__gt=now), distinct=True),
            type_count=Count("ticket_types", filter=Q(ticket_types__active=True), distinct=True),
        )
        .order_by("name")
    )  # fmt: skip
    context = {
        "nav": "setup", "section": "events", "events": events,
        "member_count": Membership.objects.filter(organizer=request.organizer).count(),
        "token_count": ApiToken.objects.filter(membership__organizer=request.organizer, revoked_at__isnull=True).count(),
        "device_count": Device.objects.filter(organizer=request.organizer, revoked_at__isnull=True).count(),
    }  # fmt: skip
    return render(request, "portal/setup/overview.html", context)


@organizer_view
def event_new(request) -> HttpResponse:
    initial = {"timezone": request.organizer.timezone, "currency": request.organizer.currency}
    form, status = EventForm(initial=initial), 200
    if request.method == "POST":
        if denied := _refused(request, Permission.SETUP):
            return denied
        form = EventForm(request.POST)
        status = INVALID_FORM
        if form.is_valid():
            try:
                event = setup.create_event(request.organizer, actor=request.membership, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                messages.success(request, f"Event “{event.name}” created. Add its time blocks and ticket types below.")
                return redirect("portal:setup_event", org=request.organizer.slug, event=event.pk)
    context = {"nav": "setup", "section": "events", "form": form}
    return render(request, "portal/setup/event_form.html", context, status=status)


@organizer_view
def event_edit(request, event: int) -> HttpResponse:
    found = _event(request, event)
    form, status = EventForm(initial={f: getattr(found, f) for f in setup.EVENT_FIELDS}), 200
    if request.method == "POST":
        if denied := _refused(request, Permission.SETUP):
            return denied
        form = EventForm(request.POST)
        status = INVALID_FORM
        if form.is_valid():
            try:
                setup.update_event(found, actor=request.membership, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                messages.success(request, "Event saved.")
                return redirect("portal:setup_event", org=request.organizer.slug, event=found.pk)
    context = {"nav": "setup", "section": "events", "form": form, "event": found}
    return render(request, "portal/setup/event_form.html", context, status=status)


@organizer_view
def event_page(request, event: int) -> HttpResponse:
    found = _event(request, event)
    with timezone.override(found.timezone):
        return render(request, "portal/setup/event.html", _event_context(request, found))


def _event_context(request, event: Event, **forms) -> dict:
    """The event page: its time blocks (upcoming first, or the past ones), ticket types and
    the forms to add more. Views that fail re-render it with their bound form."""
    now = timezone.now()
    past = request.GET.get("past") == "1"
    slots = Timeslot.objects.filter(event=event)
    shown = slots.filter(end__lte=now).order_by("-start") if past else slots.filter(end__gt=now).order_by("start")
    return {
        "nav": "setup", "section": "events", "event": event, "past": past,
        "page": Paginator(shown, TIMESLOTS_PER_PAGE).get_page(request.GET.get("page")),
        "past_count": slots.filter(end__lte=now).count(),
        "upcoming_count": slots.filter(end__gt=now).count(),
        "ticket_types": TicketType.objects.filter(event=event).order_by("-active", "pk"),
        "series_form": forms.get("series_form") or SeriesForm(),
        "timeslot_form": forms.get("timeslot_form") or TimeslotForm(),
        "ticket_type_form": forms.get("ticket_type_form") or TicketTypeForm(),
    }  # fmt: skip


def _event_page_post(request, event: int, form_class, form_key: str, act) -> HttpResponse:
    """Shared POST flow of the forms on the event page: check the role, read the form in the
    event's timezone, call `act(event, data)` (one service) and go back to the page."""
    found = _event(request, event)
    if request.method != "POST":
        return redirect("portal:setup_event", org=request.organizer.slug, event=found.pk)
    if denied := _refused(request, Permission.SETUP):
        return denied
    with timezone.override(found.timezone):
        form = form_class(request.POST)
        status = INVALID_FORM
        if form.is_valid():
            try:
                notice = act(found, form.cleaned_data)
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                messages.success(request, notice)
                return redirect("portal:setup_event", org=request.organizer.slug, event=found.pk)
        context = _event_context(request, found, **{form_key: form})
        return render(request, "portal/setup/event.html", context, status=status)


@organizer_view
def series_new(request, event: int) -> HttpResponse:
    def act(found, data):
        series = DailySeries(**{**data, "weekdays": frozenset(data["weekdays"]), "every_minutes": data["every_minutes"] or 60})
        created = setup.create_timeslot_series(found, series, actor=request.membership)
        tz = timezone.get_current_timezone()
        first, last = created[0].start.astimezone(tz), created[-1].start.astimezone(tz)
        per_day = len(series.starts())
        times = (f"{series.start_time:%H:%M}–{series.end_time:%H:%M}" if per_day == 1
                 else f"{per_day} a day from {series.start_time:%H:%M} to {series.last_start:%H:%M}")  # fmt: skip
        return (
            f"Created {len(created)} time block{'s' if len(created) != 1 else ''} ({times}), "
            f"from {first:%a} {first.day} {first:%b %Y} to {last:%a} {last.day} {last:%b %Y}."
        )

    return _event_page_post(request, event, SeriesForm, "series_form", act)


@organizer_view
def timeslot_new(request, event: int) -> HttpResponse:
    def act(found, data):
        slot = setup.create_timeslot(found, actor=request.membership, **data)
        return f"Time block {_time_range(slot, timezone.get_current_timezone())} added."

    return _event_page_post(request, event, TimeslotForm, "timeslot_form", act)


@organizer_view
def ticket_type_new(request, event: int) -> HttpResponse:
    def act(found, data):
        ticket_type = setup.create_ticket_type(found, actor=request.membership, **data)
        return f"Ticket type “{ticket_type.name}” added."

    return _event_page_post(request, event, TicketTypeForm, "ticket_type_form", act)


@organizer_view
def timeslot_edit(request, event: int, timeslot: int) -> HttpResponse:
    found = _event(request, event)
    try:
        slot = get_timeslot(found, timeslot)
    except NotFound:
        raise Http404("No such time block") from None
    with timezone.override(found.timezone):
        form, status = TimeslotForm(initial={"start": slot.start, "end": slot.end, "capacity": slot.capacity}), 200
        if request.method == "POST":
            if denied := _refused(request, Permission.SETUP):
                return denied
            form = TimeslotForm(request.POST)
            status = INVALID_FORM
            if form.is_valid():
                try:
                    slot = setup.update_timeslot(slot, actor=request.membership, **form.cleaned_data)
                except DomainError as exc:
                    status = _fail(form, exc, field="capacity" if exc.code == "capacity_below_sold" else None)
                else:
                    messages.success(request, f"Time block {_time_range(slot, timezone.get_current_timezone())} saved.")
                    return redirect("portal:setup_event", org=request.organizer.slug, event=found.pk)
            slot.refresh_from_db()
        slot.ticket_count = slot.tickets.count()
        context = {"nav": "setup", "section": "events", "event": found, "slot": slot, "form": form}
        return render(request, "portal/setup/timeslot.html", context, status=status)


@organizer_view
def timeslot_open(request, event: int, timeslot: int) -> HttpResponse:
    found = _event(request, event)
    if request.method != "POST":
        return redirect("portal:setup_timeslot", org=request.organizer.slug, event=found.pk, timeslot=timeslot)
    if denied := _refused(request, Permission.SETUP):
        return denied
    try:
        slot = get_timeslot(found, timeslot)
    except NotFound:
        raise Http404("No such time block") from None
    opening = request.POST.get("open") == "1"
    slot = setup.set_timeslot_open(slot, open_for_sale=opening, actor=request.membership)
    with timezone.override(found.timezone):
        label = _time_range(slot, timezone.get_current_timezone())
    messages.success(request, f"Time block {label} is {'open for sale again' if opening else 'closed for sale'}.")
    return redirect("portal:setup_timeslot", org=request.organizer.slug, event=found.pk, timeslot=slot.pk)


@organizer_view
def timeslot_delete(request, event: int, timeslot: int) -> HttpResponse:
    if denied := _refused(request, Permission.SETUP):
        return denied
    found = _event(request, event)
    try:
        slot = get_timeslot(found, timeslot)
    except NotFound:
        raise Http404("No such time block") from None
    with timezone.override(found.timezone):
        label = _time_range(slot, timezone.get_current_timezone())
    return _confirmed(
        request,
        act=lambda: setup.delete_timeslot(slot, actor=request.membership),
        done=f"Time block {label} deleted.",
        back=reverse("portal:setup_event", kwargs={"org": request.organizer.slug, "event": found.pk}),
        title=f"Delete time block {label}?",
        confirm="Delete time block",
        explanation="It has no tickets; it disappears from the event and from Sell tickets. This cannot be undone.",
    )


@organizer_view
def ticket_type_edit(request, event: int, ticket_type: int) -> HttpResponse:
    found = _event(request, event)
    try:
        current = get_ticket_type(found, ticket_type)
    except NotFound:
        raise Http404("No such ticket type") from None
    fields = ("name", "price", "vat_rate", "quota", "max_per_order", "active")
    form, status = TicketTypeEditForm(initial={f: getattr(current, f) for f in fields}), 200
    if request.method == "POST":
        if denied := _refused(request, Permission.SETUP):
            return denied
        form = TicketTypeEditForm(request.POST)
        status = INVALID_FORM
        if form.is_valid():
            try:
                setup.update_ticket_type(current, actor=request.membership, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(form, exc, field="quota" if exc.code == "capacity_below_sold" else None)
            else:
                messages.success(request, f"Ticket type “{form.cleaned_data['name'].strip()}” saved.")
                return redirect("portal:setup_event", org=request.organizer.slug, event=found.pk)
    context = {"nav": "setup", "section": "events", "event": found, "ticket_type": current, "form": form}
    return render(request, "portal/setup/ticket_type.html", context, status=status)


# --- team ------------------------------------------------------------------------------------

def _members(organizer):
    return Membership.objects.filter(organizer=organizer).select_related("user").order_by("user__username")


@organizer_view
def team_page(request) -> HttpResponse:
    form, status = MemberForm(), 200
    if request.method == "POST":
        if denied := _refused(request, Permission.MANAGE_TEAM):
            return denied
        form = MemberForm(request.POST)
        status = INVALID_FORM
        if form.is_valid():
            try:
                member = team.invite_member(
                    request.organizer, actor=request.membership, link_base=link_base(request), **form.cleaned_data
                )
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                messages.success(
                    request, f"{member.label} was added as {member.get_role_display().lower()}. We emailed them how to sign in."
                )
                return redirect("portal:setup_team", org=request.organizer.slug)
    return render(request, "portal/setup/team.html", _team_context(request, form=form), status=status)


def _team_context(request, **extra) -> dict:
    members = list(_members(request.organizer))
    return {
        "nav": "setup", "section": "team", "members": members, "roles": Role.choices,
        "two_factor_ids": members_with_two_factor(members), **extra,
    }  # fmt: skip


@organizer_view
def member_role(request, member: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("portal:setup_team", org=request.organizer.slug)
    if denied := _refused(request, Permission.MANAGE_TEAM):
        return denied
    found = _organizer_object(_members(request.organizer), member)
    form = RoleForm(request.POST)
    error, status = None, INVALID_FORM
    if form.is_valid():
        try:
            team.change_role(found, role=form.cleaned_data["role"], actor=request.membership)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            found.refresh_from_db()
            messages.success(request, f"{found.label} is now {found.get_role_display().lower()}.")
            return redirect("portal:setup_team", org=request.organizer.slug)
    else:
        error = "Choose a role."
    context = _team_context(request, form=MemberForm(), role_error=error, role_error_member=found.pk)
    return render(request, "portal/setup/team.html", context, status=status)


@organizer_view
def member_resend(request, member: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("portal:setup_team", org=request.organizer.slug)
    if denied := _refused(request, Permission.MANAGE_TEAM):
        return denied
    found = _organizer_object(_members(request.organizer), member)
    try:
        team.resend_invitation(found, actor=request.membership, link_base=link_base(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"We emailed {found.label} again; earlier links no longer work.")
    return redirect("portal:setup_team", org=request.organizer.slug)


@organizer_view
def member_remove(request, member: int) -> HttpResponse:
    if denied := _refused(request, Permission.MANAGE_TEAM):
        return denied
    found = _organizer_object(_members(request.organizer), member)
    return _confirmed(
        request,
        act=lambda: team.remove_member(found, actor=request.membership),
        done=f"{found.label} was removed from the team.",
        back="portal:setup_team",
        title=f"Remove {found.label}?",
        confirm="Remove from the team",
        explanation=f"{found.label} ({found.get_role_display().lower()}) loses access to {request.organizer.name} at "
        "once, also in browsers where they are signed in; their API tokens for it stop working and an invitation "
        "not yet accepted no longer works. Orders, comments and history they made keep their name.",
    )


# --- security --------------------------------------------------------------------------------

ACCOUNT_ACTIONS = ("member.", "token.", "device.", "password.", "two_factor.", "signin.", "sessions.", "organizer.")
ACTIVITY_PER_PAGE = 25


@organizer_view
def security_page(request) -> HttpResponse:
    """Who must use two-factor authentication, and what happened to the team's accounts."""
    form, status = SecurityForm(initial={"two_factor": request.organizer.two_factor}), 200
    if request.method == "POST":
        if denied := _refused(request, Permission.MANAGE_TEAM):
            return denied
        form = SecurityForm(request.POST)
        status = INVALID_FORM
        if form.is_valid():
            try:
                team.set_two_factor_policy(request.organizer, policy=form.cleaned_data["two_factor"], actor=request.membership)
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                messages.success(request, f"Two-factor authentication: {request.organizer.get_two_factor_display().lower()}.")
                return redirect("portal:setup_security", org=request.organizer.slug)
    context = {"nav": "setup", "section": "security", "form": form, "activity": _activity(request)}
    return render(request, "portal/setup/security.html", context, status=status)


@organizer_view
def printing_page(request) -> HttpResponse:
    """What the desk's Print tickets and Print receipt print on."""
    organizer = request.organizer
    form = PrintingForm(initial={"ticket_paper": organizer.ticket_paper, "receipt_paper": organizer.receipt_paper})
    status = 200
    if request.method == "POST":
        if denied := _refused(request, Permission.SETUP):
            return denied
        form, status = PrintingForm(request.POST), INVALID_FORM
        if form.is_valid():
            try:
                setup.set_desk_paper(organizer, actor=request.membership, **form.cleaned_data)
            except DomainError as exc:
                status = _fail(form, exc)
            else:
                messages.success(request, f"Tickets print on {organizer.get_ticket_paper_display()}; "
                                          f"receipts on {organizer.get_receipt_paper_display()}.")  # fmt: skip
                return redirect("portal:setup_printing", org=organizer.slug)
    return render(request, "portal/setup/printing.html", {"nav": "setup", "section": "printing", "form": form}, status=status)


def _activity(request):
    matches = Q()
    for prefix in ACCOUNT_ACTIONS:
        matches |= Q(action__startswith=prefix)
    entries = AuditEntry.objects.filter(matches, organizer=request.organizer).order_by("-at", "-pk")
    return Paginator(entries, ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))


# --- API tokens ------------------------------------------------------------------------------

def _tokens(organizer):
    return (
        ApiToken.objects.filter(membership__organizer=organizer).select_related("membership__user")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-pk")
    )  # fmt: skip


@organizer_view
def tokens_page(request) -> HttpResponse:
    def create(data):
        token = team.create_api_token(data["membership"], name=data["name"], actor=request.membership)
        return None, token

    context = {"section": "tokens", "tokens": _tokens(request.organizer)}
    return _credential_page(request, ApiTokenForm, create, "portal/setup/tokens.html", context)


@organizer_view
def token_revoke(request, token: int) -> HttpResponse:
    if denied := _refused(request, Permission.MANAGE_TEAM):
        return denied
    found = _organizer_object(_tokens(request.organizer).filter(revoked_at__isnull=True), token)
    what = f"“{found.name}” " if found.name else ""
    return _confirmed(
        request,
        act=lambda: team.revoke_api_token(found, actor=request.membership),
        done=f"API token {found.prefix}… revoked; it no longer works.",
        back="portal:setup_tokens",
        title=f"Revoke API token {found.prefix}…?",
        confirm="Revoke token",
        explanation=f"The token {what}acting as {found.membership.label} stops working at once. Anything that "
        "still uses it gets 401 “unauthenticated” answers. This cannot be undone; create a new token instead.",
    )


# --- scanner devices -------------------------------------------------------------------------

def _devices(organizer):
    return (
        Device.objects.filter(organizer=organizer).prefetch_related("events")
        .order_by(F("revoked_at").asc(nulls_first=True), "name", "pk")
    )  # fmt: skip


@organizer_view
def devices_page(request) -> HttpResponse:
    def create(data):
        return team.create_device(
            request.organizer, name=data["name"], gate=data["gate"], events=list(data["events"]), actor=request.membership
        )

    context = {"section": "devices", "devices": _devices(request.organizer)}
    return _credential_page(request, DeviceForm, create, "portal/setup/devices.html", context)


@organizer_view
def device_revoke(request, device: int) -> HttpResponse:
    if denied := _refused(request, Permission.MANAGE_TEAM):
        return denied
    found = _organizer_object(_devices(request.organizer).filter(revoked_at__isnull=True), device)
    return _confirmed(
        request,
        act=lambda: team.revoke_device(found, actor=request.membership),
        done=f"Scanner device “{found.name}” revoked; it can no longer scan.",
        back="portal:setup_devices",
        title=f"Revoke scanner device “{found.name}”?",
        confirm="Revoke device",
        explanation=f"{found.label} stops working at once: every scan it sends is refused. This cannot be undone; "
        "create a new device token to replace it.",
    )


urls = [
    path("o/<slug:org>/setup/", overview, name="setup"),
    path("o/<slug:org>/setup/events/new/", event_new, name="setup_event_new"),
    path("o/<slug:org>/setup/events/<id:event>/", event_page, name="setup_event"),
    path("o/<slug:org>/setup/events/<id:event>/edit/", event_edit, name="setup_event_edit"),
    path("o/<slug:org>/setup/events/<id:event>/series/", series_new, name="setup_series"),
    path("o/<slug:org>/setup/events/<id:event>/timeslots/new/", timeslot_new, name="setup_timeslot_new"),
    path("o/<slug:org>/setup/events/<id:event>/timeslots/<id:timeslot>/", timeslot_edit, name="setup_timeslot"),
    path("o/<slug:org>/setup/events/<id:event>/timeslots/<id:timeslot>/open/", timeslot_open, name="setup_timeslot_open"),
    path("o/<slug:org>/setup/events/<id:event>/timeslots/<id:timeslot>/delete/", timeslot_delete,
         name="setup_timeslot_delete"),
    path("o/<slug:org>/setup/events/<id:event>/ticket-types/new/", ticket_type_new, name="setup_ticket_type_new"),
    path("o/<slug:org>/setup/events/<id:event>/ticket-types/<id:ticket_type>/", ticket_type_edit,
         name="setup_ticket_type"),
    path("o/<slug:org>/setup/team/", team_page, name="setup_team"),
    path("o/<slug:org>/setup/team/<id:member>/role/", member_role, name="setup_member_role"),
    path("o/<slug:org>/setup/team/<id:member>/remove/", member_remove, name="setup_member_remove"),
    path("o/<slug:org>/setup/team/<id:member>/resend/", member_resend, name="setup_member_resend"),
    path("o/<slug:org>/setup/security/", security_page, name="setup_security"),
    path("o/<slug:org>/setup/printing/", printing_page, name="setup_printing"),
    path("o/<slug:org>/setup/api-tokens/", tokens_page, name="setup_tokens"),
    path("o/<slug:org>/setup/api-tokens/<id:token>/revoke/", token_revoke, name="setup_token_revoke"),
    path("o/<slug:org>/setup/devices/", devices_page, name="setup_devices"),
    path("o/<slug:org>/setup/devices/<id:device>/revoke/", device_revoke, name="setup_device_revoke"),
]
