"""Refunds due (admins): every order with money to give back, after a removal or a change,
with Record refund from the row."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from boxoffice.core.errors import PermissionDenied
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import refunds_due
from boxoffice.core.services.permissions import require
from boxoffice.portal.access import organizer_view

PAGE_SIZE = 50


@organizer_view
@require_GET
def refunds_due_page(request) -> HttpResponse:
    try:
        require(request.membership, Permission.REFUND, organizer_id=request.organizer.pk)
    except PermissionDenied as exc:
        return render(request, "portal/setup/denied.html", {"nav": "refunds", "error": exc.message}, status=exc.status)
    page = Paginator(refunds_due(request.organizer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/orders/refunds_due.html", {"nav": "refunds", "page": page})


urls = [path("o/<slug:org>/refunds-due/", refunds_due_page, name="refunds_due")]
