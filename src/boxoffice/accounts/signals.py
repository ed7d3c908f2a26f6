"""What happens around signing in: the second factor to ask for, and an audit entry when
failed attempts lock an account."""

from datetime import timedelta

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from boxoffice.accounts import middleware, services
from boxoffice.core import audit
from boxoffice.core.models import AuditEntry
from boxoffice.core.rules.contact import normalize_email

LOCKED = "signin.locked"


@receiver(user_logged_in)
def ask_for_second_factor(sender, request, user, **kwargs):
    if request is None:
        return
    middleware.require_at_sign_in(
        request,
        has_device=services.has_two_factor(user),
        required=bool(services.organizers_requiring_two_factor(user)),
    )


@receiver(user_locked_out)
def record_lockout(sender, request, username=None, ip_address=None, **kwargs):
    """Once per lockout, not for every attempt made while it lasts."""
    user = get_user_model().objects.filter(username=normalize_email(username or "")).first()
    if user is None:
        return
    since = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    if AuditEntry.objects.filter(action=LOCKED, actor__isnull=True, target=user.email, at__gte=since).exists():
        return
    audit.record_for_user(user, LOCKED, by_user=False, after={"address": ip_address})
