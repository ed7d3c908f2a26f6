from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from boxoffice.core.models import Membership


@login_required
def home(request) -> HttpResponse:
    """Straight to the box office of the user's organizer; a chooser when there are several."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("organizer").order_by("organizer__name"))
    if len(memberships) == 1:
        return redirect("portal:box_office", org=memberships[0].organizer.slug)
    return render(request, "portal/auth/choose_organizer.html", {"memberships": memberships})


urls = [
    path("", home, name="home"),
]
