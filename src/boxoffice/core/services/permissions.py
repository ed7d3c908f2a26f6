from boxoffice.core.errors import NotFound, PermissionDenied
from boxoffice.core.models import Membership
from boxoffice.core.rules.permissions import Permission, role_allows

_WHAT = {
    Permission.VIEW: "view orders",
    Permission.SELL: "sell tickets",
    Permission.CHANGE_ORDERS: "change orders",
    Permission.REFUND: "record refunds",
    Permission.SETUP: "set up events",
    Permission.MANAGE_TEAM: "manage the team",
    Permission.EXPORT: "export buyers' data",
    Permission.REPORTS: "see the sales reports",
    Permission.BULK_CHANGES: "move, cancel or message whole time blocks",
}


def require(actor: Membership, permission: Permission, *, organizer_id: int) -> None:
    """Raises NotFound when the actor is not a member of the organizer (its objects do not
    exist for them), PermissionDenied unless the actor's role allows the permission."""
    if actor is not None and actor.organizer_id != organizer_id:
        raise NotFound("Not found.")
    if actor is None or not role_allows(actor.role, permission):
        role = getattr(actor, "role", "none")
        raise PermissionDenied(f"Your role ({role}) may not {_WHAT[permission]}.")
