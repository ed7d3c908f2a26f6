"""Failed sign-ins, counted by django-axes in the database (so every web process sees the same
counts): per account and per client address, with different limits. An account locks after
AXES_FAILURE_LIMIT failures; an address after BOXOFFICE_ADDRESS_FAILURE_LIMIT, higher because
a museum's whole desk may sign in from one address, and one colleague's typos must not lock
out the others. Both last AXES_COOLOFF_TIME."""

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

from boxoffice.core.rules.contact import normalize_email


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes compares one number with AXES_FAILURE_LIMIT: the account's failures, or the
    address's scaled to the account limit, whichever is nearer to its own limit."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )  # the order of AXES_LOCKOUT_PARAMETERS: username, ip_address
        scale = settings.AXES_FAILURE_LIMIT / settings.BOXOFFICE_ADDRESS_FAILURE_LIMIT
        return max(by_account, math.floor(by_address * scale + 1e-9))


def username_of(request, credentials) -> str | None:
    """An account is its email, whatever its case: ANN@x and ann@x share one count."""
    username = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return normalize_email(username) if username else None


def client_address(request) -> str | None:
    """The connecting address, or with BOXOFFICE_TRUSTED_PROXIES=N the address the Nth proxy
    from the end of X-Forwarded-For saw (entries before it can be forged by the client)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
