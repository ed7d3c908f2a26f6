"""Reports (admins): what an event sold per day, ticket type, channel and payment method, and
who came per time block, with a chart of the revenue per day drawn on the server."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from boxoffice.core.errors import InvalidInput, PermissionDenied
from boxoffice.core.models import Event
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.reports import chart_bars, sales_report
from boxoffice.core.services.permissions import require
from boxoffice.portal.access import organizer_view
from boxoffice.db.replicas import reads_from_replica

CHART_HEIGHT, CHART_WIDTH = 120, 720


class ReportForm(forms.Form):
    event = forms.ModelChoiceField(queryset=Event.objects.none(), label="Event", empty_label=None)
    date_from = forms.DateField(label="Sold from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="to", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(organizer=organizer).order_by("name")


@organizer_view
@reads_from_replica
@require_GET
def report_page(request):
    try:
        require(request.membership, Permission.REPORTS, organizer_id=request.organizer.pk)
    except PermissionDenied as exc:
        return render(request, "portal/setup/denied.html", {"nav": "reports", "error": exc.message}, status=exc.status)
    first_event = Event.objects.filter(organizer=request.organizer).order_by("name").first()
    # Today where the event is: its sales are counted by its own days (selectors/reports.py),
    # and just after midnight there the server's day would still be yesterday.
    today = timezone.localdate(timezone=ZoneInfo(first_event.timezone if first_event else request.organizer.timezone))
    defaults = {"event": first_event.pk if first_event else None, "date_from": today - timedelta(days=29), "date_to": today}
    form = ReportForm(request.GET or defaults, organizer=request.organizer)
    report, bars, status = None, [], 200
    if first_event is None:
        pass
    elif form.is_valid():
        data = form.cleaned_data
        try:
            report = sales_report(data["event"], date_from=data["date_from"], date_to=data["date_to"])
        except InvalidInput as exc:
            form.add_error(None, exc.message)
            status = 422
        else:
            bars = chart_bars(report.per_day, height=CHART_HEIGHT, width=CHART_WIDTH)
    else:
        status = 422
    context = {"nav": "reports", "form": form, "report": report, "bars": bars, "chart_height": CHART_HEIGHT,
               "chart_width": CHART_WIDTH}  # fmt: skip
    return render(request, "portal/reports/sales.html", context, status=status)


urls = [path("o/<slug:org>/reports/", report_page, name="reports")]
