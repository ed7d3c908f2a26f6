"""The portal's side of the gate: pairing a phone with a scanner device by QR code (admins),
and the gate dashboard (every member): who is inside and who came in today, per time block
and per gate, updating on its own."""

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from boxoffice.core.errors import PermissionDenied
from boxoffice.core.models import Device
from boxoffice.core.selectors.occupancy import gate_counts
from boxoffice.core.services import pairing
from boxoffice.portal.access import organizer_view

DASHBOARD_POLL_SECONDS = 5


@organizer_view
@require_POST
def pair_device(request, device: int) -> HttpResponse:
    """A new one-time pairing link for the device, shown once as a QR code and as a link."""
    found = Device.objects.filter(pk=device, organizer=request.organizer, revoked_at__isnull=True).first()
    if found is None:
        raise Http404("No such device")
    try:
        token = pairing.pairing_token(found, actor=request.membership)
    except PermissionDenied as exc:
        return render(request, "portal/setup/denied.html", {"nav": "setup", "error": exc.message}, status=exc.status)
    link = request.build_absolute_uri(reverse("gate:pair", kwargs={"token": token}))
    qr = segno.make(link, error="m").svg_inline(scale=6, dark="#1b1f24", title=f"Pairing link for {found.name}")
    response = render(request, "portal/setup/pair_device.html", {
        "nav": "setup", "section": "devices", "device": found, "link": link, "qr": qr, "minutes": pairing.PAIRING_MINUTES,
    })  # fmt: skip
    response["Cache-Control"] = "no-store"  # the link signs a phone in: no copy is kept
    return response


@organizer_view
@require_GET
@vary_on_headers("HX-Request")
def gate_dashboard(request) -> HttpResponse:
    context = {"nav": "gate", "counts": gate_counts(request.organizer), "poll": DASHBOARD_POLL_SECONDS}
    template = "portal/gate/_dashboard.html" if request.headers.get("HX-Request") else "portal/gate/dashboard.html"
    return render(request, template, context)


urls = [
    path("o/<slug:org>/setup/devices/<id:device>/pair/", pair_device, name="setup_device_pair"),
    path("o/<slug:org>/gate/", gate_dashboard, name="gate_dashboard"),
]
