"""Forms of the account pages. Passwords are checked by Django's validators (settings:
AUTH_PASSWORD_VALIDATORS) here and in the services that set them."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from boxoffice.core.rules.contact import normalize_email


class SignInForm(auth_forms.AuthenticationForm):
    """An account is its email address, in any case."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Your email and password didn't match. Please try again.",
        "inactive": "This account is switched off. Ask an admin of your team.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}),
    )  # fmt: skip


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


class NewPasswordForm(auth_forms.SetPasswordForm):
    """A new password, twice, checked by the validators against this user."""


def user_with_email(email: str):
    """The active user with this address, if any."""
    return get_user_model().objects.filter(username=normalize_email(email), is_active=True).first()
