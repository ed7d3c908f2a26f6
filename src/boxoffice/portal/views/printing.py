"""Print tickets / Print receipt: a PDF shown inline, so that portal.js can load it in a
hidden frame of the order page and open the browser's print dialog on it. The frame is ours,
so these PDFs (and only these) may be framed by our own pages."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from boxoffice.core.errors import DomainError
from boxoffice.documents import printing
from boxoffice.portal.access import organizer_view
from boxoffice.portal.views.order_actions import _order, _order_page

_FRAMED_BY_US = csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF], "object-src": [CSP.SELF]})


def _inline_pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # tickets are admission: no copy kept by the browser
    return response


@organizer_view
@require_GET
@xframe_options_sameorigin
@_FRAMED_BY_US
def print_tickets(request, code: str) -> HttpResponse:
    order = _order(request, code)
    try:
        download = printing.print_tickets(order, actor=request.membership)
    except DomainError as exc:
        return _order_page(request, code, error=exc.message, status=exc.status)
    if download.job is not None:
        return redirect("portal:job", org=request.organizer.slug, job=download.job.pk)
    return _inline_pdf(download.content, download.filename)


@organizer_view
@require_GET
@xframe_options_sameorigin
@_FRAMED_BY_US
def print_receipt(request, code: str) -> HttpResponse:
    order = _order(request, code)
    try:
        content = printing.print_receipt(order, actor=request.membership)
    except DomainError as exc:
        return _order_page(request, code, error=exc.message, status=exc.status)
    return _inline_pdf(content, f"receipt-{order.code}.pdf")


urls = [
    path("o/<slug:org>/orders/<str:code>/print/tickets.pdf", print_tickets, name="print_tickets"),
    path("o/<slug:org>/orders/<str:code>/print/receipt.pdf", print_receipt, name="print_receipt"),
]
