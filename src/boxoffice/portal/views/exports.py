"""Export the orders Look up orders finds (admins): a file at once, or the job page that
writes a big one."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from boxoffice.core.errors import DomainError, PermissionDenied
from boxoffice.core.selectors.orders import OrderFilters
from boxoffice.exports.service import export
from boxoffice.portal.access import organizer_view
from boxoffice.db.replicas import reads_from_replica
from boxoffice.portal.forms import OrderSearchForm
from boxoffice.portal.views.orders import filters_of


@organizer_view
@reads_from_replica
@require_GET
def export_orders(request, kind: str, fmt: str) -> HttpResponse:
    form = OrderSearchForm(request.GET or None, organizer=request.organizer)
    back = reverse("portal:box_office", kwargs={"org": request.organizer.slug}) + (f"?{request.GET.urlencode()}" if request.GET else "")
    if form.is_bound and not form.is_valid():
        messages.error(request, "Fix the search first: " + next(iter(form.errors.values()))[0])
        return redirect(back)
    filters = filters_of(form.cleaned_data) if form.is_bound else OrderFilters()
    try:
        made = export(request.organizer, kind=kind, fmt=fmt, filters=filters, actor=request.membership)
    except PermissionDenied as exc:
        return render(request, "portal/setup/denied.html", {"nav": "box_office", "error": exc.message}, status=exc.status)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if made.job is not None:
        return redirect("portal:job", org=request.organizer.slug, job=made.job.pk)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "no-store"  # buyers' personal data: no copy kept by the browser
    return response


urls = [path("o/<slug:org>/export/<slug:kind>.<slug:fmt>", export_orders, name="export")]
