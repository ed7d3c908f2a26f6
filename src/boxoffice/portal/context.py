from boxoffice.core.models import Membership
from boxoffice.portal.access import can


def portal(request):
    """What every page's header needs: the current organizer, the others to switch to, and
    what the user's role allows (buttons a role cannot use are not shown)."""
    membership = getattr(request, "membership", None)
    if membership is None or not request.user.is_authenticated:
        return {}
    others = (
        Membership.objects.filter(user=request.user).exclude(pk=membership.pk).select_related("organizer")
        .order_by("organizer__name")
    )  # fmt: skip
    return {
        "membership": membership,
        "organizer": membership.organizer,
        "other_memberships": others,
        "perms_portal": {p: can(membership, p) for p in ("sell", "change_orders", "refund", "setup", "manage_team", "export", "reports",
                                                       "bulk_changes")},
    }
