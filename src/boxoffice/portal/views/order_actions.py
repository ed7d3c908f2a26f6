"""Actions on one order from its page. (Being built: each route's view below.)"""

from django.http import Http404
from django.urls import path

from boxoffice.portal.access import organizer_view


@organizer_view
def not_yet(request, **kwargs):
    raise Http404("Not available yet")


urls = [
    path("o/<slug:org>/orders/<str:code>/send/<str:kind>/", not_yet, name="send"),
    path("o/<slug:org>/orders/<str:code>/tickets.pdf", not_yet, name="download_tickets"),
    path("o/<slug:org>/orders/<str:code>/receipt.pdf", not_yet, name="download_receipt"),
    path("o/<slug:org>/orders/<str:code>/comments/", not_yet, name="add_comment"),
    path("o/<slug:org>/orders/<str:code>/remove/", not_yet, name="remove"),
    path("o/<slug:org>/orders/<str:code>/refund/", not_yet, name="refund"),
    path("o/<slug:org>/orders/<str:code>/messages/<int:message>/resend/", not_yet, name="resend_message"),
    path("o/<slug:org>/orders/<str:code>/ticket-operations/", not_yet, name="ticket_operations"),
]
