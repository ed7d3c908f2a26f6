"""Emails to members (an invitation, a notice of a new team, a password reset link), made
when they are sent: the one-time link is created here, from the current state, and never
stored in the outbox."""

from email.utils import formataddr, make_msgid
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from boxoffice.core.errors import NothingToSend
from boxoffice.core.models import Membership, Message
from boxoffice.core.services.team import invitation_token

SUBJECTS = {
    Message.Kind.INVITATION: "You're invited to join {organizer} on Boxoffice",
    Message.Kind.MEMBERSHIP: "You now have access to {organizer} on Boxoffice",
    Message.Kind.PASSWORD_RESET: "Reset your Boxoffice password",
}


def compose_account_email(message: Message) -> tuple[EmailMultiAlternatives, str]:
    """Raises NothingToSend when the invitation was withdrawn or accepted meanwhile."""
    user, organizer = message.user, message.organizer
    context = {"user": user, "organizer": organizer, "inviter": _inviter(message)}
    if message.kind == Message.Kind.INVITATION:
        context |= _invitation_context(message)
    elif message.kind == Message.Kind.MEMBERSHIP:
        context |= {"link": urljoin(message.link_base, reverse("accounts:login")), "role": _role(message)}
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        path = reverse("accounts:password_reset", args=[uid, default_token_generator.make_token(user)])
        context |= {"link": urljoin(message.link_base, path), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    message_id = make_msgid(idstring=f"{message.kind}.{message.pk}", domain=settings.EMAIL_FROM.rpartition("@")[2])
    email = EmailMultiAlternatives(
        subject=SUBJECTS[message.kind].format(organizer=organizer.name if organizer else ""),
        body=render_to_string(f"delivery/{message.kind}.en.txt", context),
        from_email=formataddr((organizer.name if organizer else "Boxoffice", settings.EMAIL_FROM)),
        to=[message.to],
        headers={"Message-ID": message_id},
    )
    email.attach_alternative(render_to_string(f"delivery/{message.kind}.en.html", context), "text/html")
    return email, message_id


def _invitation_context(message: Message) -> dict:
    invitation = message.invitation
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise NothingToSend("The invitation was withdrawn, accepted or has expired.")
    path = reverse("accounts:invitation", args=[invitation_token(invitation)])
    expires = timezone.localtime(invitation.expires_at, timezone=_zone(message))
    return {
        "link": urljoin(message.link_base, path),
        "expires": f"{expires:%A} {expires.day} {expires:%B %Y, %H:%M} ({expires.tzname()})",
        "role": invitation.membership.get_role_display().lower(),
    }


def _role(message: Message) -> str:
    membership = Membership.objects.filter(user=message.user, organizer=message.organizer).first()
    if membership is None:
        raise NothingToSend("The member was removed from the team meanwhile.")
    return membership.get_role_display().lower()


def _inviter(message: Message) -> str:
    creator = message.created_by
    return creator.label if creator is not None else "An admin"


def _zone(message: Message):
    from zoneinfo import ZoneInfo

    return ZoneInfo(message.organizer.timezone if message.organizer else settings.TIME_ZONE)
