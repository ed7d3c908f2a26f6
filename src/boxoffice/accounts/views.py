"""Signing in and out, the second factor, forgotten passwords, invitations and the account
page. Each POST calls one service (accounts.services, core.services.team)."""

from base64 import b32encode

import django_otp
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from boxoffice.accounts import middleware, services
from boxoffice.accounts.forms import CodeForm, ForgotPasswordForm, NewPasswordForm, PasswordConfirmForm, SignInForm
from boxoffice.core.errors import DomainError, InvitationInvalid
from boxoffice.core.models import Membership
from boxoffice.core.services import team

INVALID_FORM = 422
TOO_MANY_ATTEMPTS = 429
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def link_base(request) -> str:
    """Where links in emails sent for this request point: the address it came in on."""
    return request.build_absolute_uri("/")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("portal:home")


def _private(response: HttpResponse) -> HttpResponse:
    """A page with a secret on it (recovery codes, a set-up key) is never kept by a cache."""
    add_never_cache_headers(response)
    return response


def _refused(form, exc: DomainError) -> int:
    field = exc.details.get("field")
    form.add_error(field if field in form.fields else None, exc.message)
    return exc.status


# --- signing in ------------------------------------------------------------------------------

class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def locked_out(request, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer while an account or address is locked (AXES_LOCKOUT_CALLABLE)."""
    form = SignInForm(request, initial={"username": (credentials or {}).get("username", "")})
    context = {"form": form, "locked": True, "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=TOO_MANY_ATTEMPTS)


@login_required
def verify(request) -> HttpResponse:
    if middleware.pending(request) != middleware.VERIFY:
        return redirect(_next(request))
    form, status = CodeForm(request.POST or None), 200
    if request.method == "POST" and form.is_valid():
        try:
            given = services.verify_second_factor(request.user, form.cleaned_data["code"])
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            middleware.second_factor_given(request)
            django_otp.login(request, given.device)
            if given.used_recovery_code:
                left = given.device.token_set.count()
                messages.warning(request, f"You signed in with a recovery code; {left} left. Make new ones on your account page.")
            return redirect(_next(request))
    elif request.method == "POST":
        status = INVALID_FORM
    return render(request, "accounts/verify.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


class SignOutView(auth_views.LogoutView):
    next_page = "accounts:login"


# --- two-factor set-up -----------------------------------------------------------------------

@login_required
def two_factor_setup(request) -> HttpResponse:
    device = services.pending_app_device(request.user)
    form, status = CodeForm(request.POST or None), 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.turn_on_two_factor(request.user, device=device, code=form.cleaned_data["code"])
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            middleware.second_factor_given(request)
            device.refresh_from_db()
            django_otp.login(request, device)
            return _recovery_codes_page(request, codes, first_time=True)
    elif request.method == "POST":
        status = INVALID_FORM
    context = {
        "form": form,
        "device": device,
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "qr_svg": _qr_svg(device.config_url),
        "required_by": services.organizers_requiring_two_factor(request.user),
        "must": middleware.pending(request) == middleware.SET_UP,
        "next": request.GET.get("next", ""),
    }
    return _private(render(request, "accounts/two_factor_setup.html", context, status=status))


def _recovery_codes_page(request, codes: list[str], *, first_time: bool) -> HttpResponse:
    context = {"codes": codes, "first_time": first_time, "next": _next(request)}
    return _private(render(request, "accounts/recovery_codes.html", context))


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, dark="#1b1f24", title="Scan with your authenticator app")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_POST
def recovery_codes_new(request) -> HttpResponse:
    def act(password):
        return _recovery_codes_page(request, services.new_recovery_codes(request.user, password=password), first_time=False)

    return _password_confirmed(request, "codes", act)


@login_required
@require_POST
def two_factor_off(request) -> HttpResponse:
    def act(password):
        services.turn_off_two_factor(request.user, password=password)
        messages.success(request, "Two-factor authentication is off. You sign in with your password alone.")
        return redirect("accounts:account")

    return _password_confirmed(request, "off", act)


def _password_confirmed(request, form_key: str, act) -> HttpResponse:
    """An account page action confirmed with the password: `act(password)` calls one service
    and returns the answer; a wrong password or a refusal shows next to the form."""
    form = PasswordConfirmForm(request.POST, auto_id=f"{form_key}_%s")
    status = INVALID_FORM
    if form.is_valid():
        try:
            return act(form.cleaned_data["password"])
        except DomainError as exc:
            status = _refused(form, exc)
    return _account_page(request, status=status, **{f"{form_key}_form": form})


# --- the account page ------------------------------------------------------------------------

@login_required
def account(request) -> HttpResponse:
    return _account_page(request)


def _account_page(request, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    context = {
        "memberships": Membership.objects.filter(user=user).select_related("organizer").order_by("organizer__name"),
        "two_factor": services.has_two_factor(user),
        "required_by": services.organizers_requiring_two_factor(user),
        "recovery_left": services.recovery_codes_left(user),
        "off_form": forms.get("off_form") or PasswordConfirmForm(auto_id="off_%s"),
        "codes_form": forms.get("codes_form") or PasswordConfirmForm(auto_id="codes_%s"),
        "everywhere_form": forms.get("everywhere_form") or PasswordConfirmForm(auto_id="everywhere_%s"),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def password_change(request) -> HttpResponse:
    form, status = PasswordChangeForm(request.user, request.POST or None), 200
    if request.method == "POST":
        status = INVALID_FORM
        if form.is_valid():
            services.change_password(request.user, new_password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, request.user)  # this session stays; every other one ends
            messages.success(request, "Password changed. You were signed out everywhere else.")
            return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@login_required
@require_POST
def sign_out_everywhere(request) -> HttpResponse:
    def act(password):
        services.sign_out_everywhere(request.user, password=password)
        logout(request)
        messages.success(request, "You were signed out everywhere, on this device too.")
        return redirect("accounts:login")

    return _password_confirmed(request, "everywhere", act)


# --- forgotten passwords and invitations -----------------------------------------------------

def forgot_password(request) -> HttpResponse:
    form, status = ForgotPasswordForm(request.POST or None), 200
    if request.method == "POST":
        status = INVALID_FORM
        if form.is_valid():
            services.request_password_reset(form.cleaned_data["email"], link_base=link_base(request))
            return render(request, "accounts/forgot_password_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/forgot_password.html", {"form": form}, status=status)


class ResetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's check of the link (one-time: it is bound to the current password hash and
    expires after PASSWORD_RESET_TIMEOUT); the new password is set by the service."""

    template_name = "accounts/reset_password.html"
    form_class = NewPasswordForm

    def form_valid(self, form):
        services.change_password(form.user, new_password=form.cleaned_data["new_password1"], reset=True)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, "Your password was changed, and every session signed out. Sign in with it now.")
        return redirect("accounts:login")


def invitation(request, token: str) -> HttpResponse:
    try:
        found = team.find_invitation(token)
    except InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"error": exc.message}, status=exc.status)
    user, organizer = found.membership.user, found.membership.organizer
    has_account = user.has_usable_password()
    form = None if has_account else NewPasswordForm(user, request.POST or None)
    status = 200
    if request.method == "POST":
        status = INVALID_FORM
        if form is None or form.is_valid():
            try:
                joined = team.accept_invitation(token, password=form.cleaned_data["new_password1"] if form else None)
            except DomainError as exc:
                if form is None:
                    return render(request, "accounts/invitation_invalid.html", {"error": exc.message}, status=exc.status)
                status = _refused(form, exc)
            else:
                home = reverse("portal:box_office", kwargs={"org": organizer.slug})
                if has_account:
                    messages.success(request, f"You joined {organizer.name}. Sign in with your Boxoffice password.")
                    return redirect(f"{reverse('accounts:login')}?next={home}")
                login(request, joined.user, backend=_MODEL_BACKEND)  # with its new password's session hash
                messages.success(request, f"Welcome to {organizer.name}.")
                return redirect(home)
    context = {"form": form, "invitation": found, "team_name": organizer.name,
               "email": user.email, "role": found.membership.get_role_display().lower(), "has_account": has_account}  # fmt: skip
    return _private(render(request, "accounts/invitation.html", context, status=status))


app_name = "accounts"

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("login/code/", verify, name="verify"),
    path("logout/", SignOutView.as_view(), name="logout"),
    path("password/forgot/", forgot_password, name="password_forgot"),
    path("password/reset/<uidb64>/<token>/", ResetPasswordView.as_view(), name="password_reset"),
    path("invitation/<str:token>/", invitation, name="invitation"),
    path("account/", account, name="account"),
    path("account/password/", password_change, name="password_change"),
    path("account/two-factor/", two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/off/", two_factor_off, name="two_factor_off"),
    path("account/two-factor/recovery-codes/", recovery_codes_new, name="recovery_codes"),
    path("account/sign-out-everywhere/", sign_out_everywhere, name="sign_out_everywhere"),
]
