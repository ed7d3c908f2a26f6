from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from boxoffice.core.models import Membership


class LoginView(auth_views.LoginView):
    template_name = "portal/auth/login.html"
    redirect_authenticated_user = True


@login_required
def home(request) -> HttpResponse:
    """Straight to the box office of the user's organizer; a chooser when there are several."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("organizer").order_by("organizer__name"))
    if len(memberships) == 1:
        return redirect("portal:box_office", org=memberships[0].organizer.slug)
    return render(request, "portal/auth/choose_organizer.html", {"memberships": memberships})


urls = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("", home, name="home"),
]
