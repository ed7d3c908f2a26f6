"""Who may do what (rules/permissions.py): viewer < operator < admin."""

import pytest

from boxoffice.core.rules.permissions import Permission, role_allows

P = Permission
EXPECTED = {
    "viewer": {P.VIEW},
    "operator": {P.VIEW, P.SELL, P.CHANGE_ORDERS},
    "admin": {P.VIEW, P.SELL, P.CHANGE_ORDERS, P.REFUND, P.SETUP, P.MANAGE_TEAM, P.EXPORT, P.REPORTS, P.BULK_CHANGES},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_table(role, permission):
    assert role_allows(role, permission) is (permission in EXPECTED[role])


@pytest.mark.parametrize("role", ["", "owner", "Admin", "ADMIN", None])
def test_unknown_role_may_do_nothing(role):
    assert not any(role_allows(role, permission) for permission in Permission)


def test_only_admins_refund_set_up_manage_the_team_and_export():
    for permission in (P.REFUND, P.SETUP, P.MANAGE_TEAM, P.EXPORT, P.REPORTS, P.BULK_CHANGES):
        assert [r for r in ("viewer", "operator", "admin") if role_allows(r, permission)] == ["admin"]


def test_roles_are_nested():
    allowed = {role: {p for p in Permission if role_allows(role, p)} for role in EXPECTED}
    assert allowed["viewer"] < allowed["operator"] < allowed["admin"]
