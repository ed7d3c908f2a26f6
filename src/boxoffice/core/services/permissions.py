from boxoffice.core.errors import PermissionDenied
from boxoffice.core.models import Membership
from boxoffice.core.rules.permissions import Permission, role_allows

_WHAT = {
    Permission.VIEW: "view orders",
    Permission.SELL: "sell tickets",
    Permission.CHANGE_ORDERS: "change orders",
    Permission.REFUND: "record refunds",
    Permission.SETUP: "set up events",
    Permission.MANAGE_TEAM: "manage the team",
}


def require(actor: Membership, permission: Permission) -> None:
    """Raises PermissionDenied unless the actor's role allows the permission."""
    if actor is None or not role_allows(actor.role, permission):
        role = getattr(actor, "role", "none")
        raise PermissionDenied(f"Your role ({role}) may not {_WHAT[permission]}.")
