"""A signed-in member with two-factor authentication gives their code before anything else;
a member whom an organizer requires to have it sets it up first. Decided once, at sign-in
(signals.py), and kept in the session: no query per request."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "two_factor"
VERIFY, SET_UP = "verify", "set_up"
# Neither the API (tokens) nor the gate page (device tokens) uses a member's session.
_NOT_PORTAL = ("/api/", "/gate/", "/static/")
# The pages a member in each state may still open.
_OPEN = {
    VERIFY: ("accounts:verify", "accounts:logout"),
    SET_UP: ("accounts:two_factor_setup", "accounts:logout"),
}
_DESTINATION = {VERIFY: "accounts:verify", SET_UP: "accounts:two_factor_setup"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(_NOT_PORTAL):
            state = request.session.get(SESSION_KEY)
            if state in _OPEN and request.user.is_authenticated:
                if request.path_info not in {reverse(name) for name in _OPEN[state]}:
                    return redirect(_destination(request, state))
        return self.get_response(request)


def _destination(request, state: str) -> str:
    """The page to give or set up the second factor, coming back to this one afterwards."""
    target = reverse(_DESTINATION[state])
    if request.method == "GET" and request.get_full_path() != "/":
        target += "?" + urlencode({"next": request.get_full_path()}, safe="/")
    return target


def require_at_sign_in(request, *, has_device: bool, required: bool) -> None:
    if has_device:
        request.session[SESSION_KEY] = VERIFY
    elif required:
        request.session[SESSION_KEY] = SET_UP
    else:
        request.session.pop(SESSION_KEY, None)


def second_factor_given(request) -> None:
    request.session.pop(SESSION_KEY, None)


def pending(request) -> str | None:
    return request.session.get(SESSION_KEY)
