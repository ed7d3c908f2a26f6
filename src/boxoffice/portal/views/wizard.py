"""The purchase wizard: new sales and edits of an order (pencil icon). (Being built.)"""

from django.http import Http404
from django.urls import path

from boxoffice.portal.access import organizer_view


@organizer_view
def not_yet(request, **kwargs):
    raise Http404("Not available yet")


urls = [
    path("o/<slug:org>/sell/", not_yet, name="sell"),
    path("o/<slug:org>/orders/<str:code>/edit/", not_yet, name="edit_order"),
]
