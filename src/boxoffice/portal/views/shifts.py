"""Shift: open one at a desk with a float, follow what it took, close it with what was
counted, and read (or download) its report. Admins see every shift and set whether the desk
works in shifts."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boxoffice.core.errors import DomainError, PermissionDenied
from boxoffice.core.models import Shift
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.services import setup
from boxoffice.core.services import shifts as shift_services
from boxoffice.documents.shift_report import render_shift_report_csv, render_shift_report_pdf
from boxoffice.portal.access import can, organizer_view

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class OpenShiftForm(forms.Form):
    desk = forms.CharField(max_length=100, label="Desk", initial="Desk 1")
    opening_float = forms.DecimalField(label="Opening float (cash in the drawer)", **MONEY,
                                       widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))  # fmt: skip


class CloseShiftForm(forms.Form):
    counted_cash = forms.DecimalField(label="Counted cash", **MONEY,
                                      widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))  # fmt: skip
    counted_card = forms.DecimalField(label="Card terminal total (optional)", required=False, **MONEY,
                                      widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))  # fmt: skip


@organizer_view
@require_http_methods(["GET", "POST"])
def shift_page(request) -> HttpResponse:
    if not can(request.membership, Permission.SELL):
        return _denied(request, "Your role (viewer) may not work a desk shift.")
    current = shift_services.current_shift(request.membership)
    open_form, close_form, status = OpenShiftForm(), CloseShiftForm(), 200
    if request.method == "POST" and "opening_float" in request.POST:
        open_form = OpenShiftForm(request.POST)
        if open_form.is_valid():
            try:
                shift_services.open_shift(request.membership, **open_form.cleaned_data)
            except DomainError as exc:
                open_form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, f"Shift opened at {open_form.cleaned_data['desk']}.")
                return redirect(_safe_next(request))
        else:
            status = 422
    context = {
        "nav": "shift", "current": current, "open_form": open_form, "close_form": close_form,
        "report": shift_services.shift_report(current) if current else None,
        "recent": _visible_shifts(request)[:20], "is_admin": can(request.membership, Permission.REFUND),
    }  # fmt: skip
    return render(request, "portal/shifts/shift.html", context, status=status)


@organizer_view
@require_POST
def close(request, shift: int) -> HttpResponse:
    found = _shift(request, shift)
    form = CloseShiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the counted cash: " + next(iter(form.errors.values()))[0])
        return redirect("portal:shift", org=request.organizer.slug)
    try:
        shift_services.close_shift(found, actor=request.membership, **form.cleaned_data)
    except PermissionDenied as exc:
        return _denied(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:shift_report", org=request.organizer.slug, shift=found.pk)
    messages.success(request, f"Shift at {found.desk} closed.")
    return redirect("portal:shift_report", org=request.organizer.slug, shift=found.pk)


@organizer_view
@require_GET
def report(request, shift: int) -> HttpResponse:
    found = _shift(request, shift)
    return render(request, "portal/shifts/report.html", {"nav": "shift", "report": shift_services.shift_report(found)})


@organizer_view
@require_GET
def report_csv(request, shift: int) -> HttpResponse:
    found = _shift(request, shift)
    content = render_shift_report_csv(shift_services.shift_report(found))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shift-{found.pk}.csv"'
    return response


@organizer_view
@require_GET
def report_pdf(request, shift: int) -> HttpResponse:
    found = _shift(request, shift)
    response = HttpResponse(render_shift_report_pdf(shift_services.shift_report(found)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="shift-{found.pk}.pdf"'
    return response


@organizer_view
@require_POST
def desk_shifts(request) -> HttpResponse:
    try:
        setup.set_desk_shifts(request.organizer, on=request.POST.get("desk_shifts") == "on", actor=request.membership)
    except PermissionDenied as exc:
        return _denied(request, exc.message)
    messages.success(request, "The desk works in shifts." if request.organizer.desk_shifts else "Shifts are optional at the desk.")
    return redirect("portal:shift", org=request.organizer.slug)


def _visible_shifts(request):
    shifts = Shift.objects.filter(organizer=request.organizer).select_related("membership__user")
    return shifts if can(request.membership, Permission.REFUND) else shifts.filter(membership=request.membership)


def _shift(request, pk: int) -> Shift:
    found = _visible_shifts(request).filter(pk=pk).first()
    if found is None:
        raise Http404("No such shift")
    return found


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    return target if target.startswith(f"/o/{request.organizer.slug}/") else f"/o/{request.organizer.slug}/shift/"


def _denied(request, message: str) -> HttpResponse:
    return render(request, "portal/setup/denied.html", {"nav": "shift", "error": message}, status=403)


urls = [
    path("o/<slug:org>/shift/", shift_page, name="shift"),
    path("o/<slug:org>/shift/desk-shifts/", desk_shifts, name="desk_shifts"),
    path("o/<slug:org>/shifts/<id:shift>/", report, name="shift_report"),
    path("o/<slug:org>/shifts/<id:shift>/close/", close, name="shift_close"),
    path("o/<slug:org>/shifts/<id:shift>/report.csv", report_csv, name="shift_report_csv"),
    path("o/<slug:org>/shifts/<id:shift>/report.pdf", report_pdf, name="shift_report_pdf"),
]
