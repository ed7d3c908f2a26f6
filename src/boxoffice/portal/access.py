"""The portal's one access check: the signed-in user's membership in the organizer named in
the URL. Organizers the user does not belong to answer 404, exactly like missing ones."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from boxoffice.core.models import Membership
from boxoffice.core.rules.permissions import Permission, role_allows
from boxoffice.core.services import team


def organizer_view(view):
    """Decorates `view(request, *args, **kwargs)` mounted under `o/<slug:org>/`; sets
    `request.membership` and `request.organizer`."""

    @login_required
    @wraps(view)
    def wrapper(request, org: str, *args, **kwargs):
        membership = (
            Membership.objects.select_related("organizer", "user")
            .filter(user=request.user, organizer__slug=org, user__is_active=True)
            .first()
        )
        if membership is None:
            raise Http404("No such organizer")
        team.note_joined(membership)
        request.membership = membership
        request.organizer = membership.organizer
        # Times show in the organizer's timezone; event pages switch to the event's.
        with timezone.override(membership.organizer.timezone):
            return view(request, *args, **kwargs)

    return wrapper


def can(membership: Membership, permission: str) -> bool:
    return role_allows(membership.role, Permission(permission))
