"""Who may do what. Roles are nested: a viewer reads, an operator also acts on orders,
an admin also sets events up, manages the team and records refunds."""

from enum import StrEnum


class Permission(StrEnum):
    VIEW = "view"
    SELL = "sell"
    CHANGE_ORDERS = "change_orders"
    REFUND = "refund"
    SETUP = "setup"
    MANAGE_TEAM = "manage_team"
    EXPORT = "export"  # buyers' personal data leaves the installation: admins only
    REPORTS = "reports"  # the organizer's revenue
    BULK_CHANGES = "bulk_changes"  # a whole time block moved or cancelled, many buyers written to


_VIEWER = frozenset({Permission.VIEW})
_OPERATOR = _VIEWER | {Permission.SELL, Permission.CHANGE_ORDERS}
_ADMIN = _OPERATOR | {Permission.REFUND, Permission.SETUP, Permission.MANAGE_TEAM, Permission.EXPORT, Permission.REPORTS,
                     Permission.BULK_CHANGES}

ROLE_PERMISSIONS = {"viewer": _VIEWER, "operator": _OPERATOR, "admin": _ADMIN}


def role_allows(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
