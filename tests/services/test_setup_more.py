"""Changing ticket types and removing team members (admins only); an organizer keeps an admin."""

from decimal import Decimal

import pytest

from boxoffice.core.errors import DomainError
from boxoffice.core.models import ApiToken, AuditEntry, Membership, TicketType
from boxoffice.core.services import setup, team


def _audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


# --- ticket types ----------------------------------------------------------------------------

def test_update_ticket_type_changes_price_and_records_before_and_after(adult, admin):
    updated = setup.update_ticket_type(adult, name=" Adult (peak) ", price=Decimal("19.00"), vat_rate=Decimal("9"),
                                       actor=admin)
    adult.refresh_from_db()
    assert (updated.pk, adult.name, adult.price) == (adult.pk, "Adult (peak)", Decimal("19.00"))
    entry = _audit("ticket_type.updated")
    assert (entry.actor_label, entry.target) == ("admin@museum.test", "Adult (peak)")
    assert entry.before == {"name": "Adult", "price": "17.50"}
    assert entry.after == {"name": "Adult (peak)", "price": "19.00"}


def test_update_ticket_type_without_changes_records_nothing(adult, admin):
    count = AuditEntry.objects.count()
    setup.update_ticket_type(adult, name="Adult", price=Decimal("17.50"), actor=admin)
    assert AuditEntry.objects.count() == count


def test_ticket_type_taken_off_sale_cannot_be_sold_but_its_tickets_stay_valid(adult, admin, sell):
    order = sell(2)
    setup.update_ticket_type(adult, active=False, actor=admin)
    assert _audit("ticket_type.updated").after == {"active": False}
    with pytest.raises(DomainError) as info:
        sell(1)
    assert info.value.code == "validation_error"
    assert set(order.tickets.values_list("state", flat=True)) == {"unscanned"}


def test_quota_cannot_go_below_the_tickets_of_that_type_sold(adult, admin, sell, refused):
    sell(3)
    with refused("capacity_below_sold") as info:
        setup.update_ticket_type(adult, quota=2, actor=admin)
    assert info.value.details["sold"] == 3
    setup.update_ticket_type(adult, quota=3, actor=admin)
    adult.refresh_from_db()
    assert (adult.quota, adult.sold) == (3, 3)


def test_quota_can_be_lifted_again(adult, admin):
    setup.update_ticket_type(adult, quota=10, actor=admin)
    setup.update_ticket_type(adult, quota=None, actor=admin)
    adult.refresh_from_db()
    assert adult.quota is None
    assert _audit("ticket_type.updated").before == {"quota": 10}


@pytest.mark.parametrize("field,value", [
    ("name", " "), ("price", Decimal("-1")), ("price", Decimal("1.005")), ("price", None),
    ("vat_rate", Decimal("101")), ("quota", 0), ("max_per_order", 0), ("colour", "red"),
])
def test_update_ticket_type_fields_are_validated(adult, admin, field, value, refused):
    with refused("validation_error"):
        setup.update_ticket_type(adult, actor=admin, **{field: value})


def test_operator_cannot_change_ticket_types(adult, operator, refused):
    with refused("permission_denied"):
        setup.update_ticket_type(adult, price=Decimal("0.01"), actor=operator)
    assert TicketType.objects.get(pk=adult.pk).price == Decimal("17.50")


def test_another_organizers_admin_cannot_change_ticket_types(adult, other_org, refused):
    with refused("not_found"):
        setup.update_ticket_type(adult, price=Decimal("0.01"), actor=other_org.admin)


# --- removing members ------------------------------------------------------------------------

def test_removed_member_loses_access_and_their_api_tokens(organizer, admin, operator):
    token = team.create_api_token(operator, actor=admin)
    team.remove_member(operator, actor=admin)
    assert not Membership.objects.filter(pk=operator.pk).exists()
    assert not ApiToken.objects.filter(membership_id=operator.pk).exists()
    assert team.authenticate_api_token(token) is None
    entry = _audit("member.removed")
    assert (entry.actor_label, entry.target, entry.before) == ("admin@museum.test", "desk@museum.test",
                                                               {"role": "operator"})


def test_removed_members_history_keeps_their_name(admin, operator, sell):
    order = sell(1, actor=operator)
    team.remove_member(operator, actor=admin)
    assert order.history.get(action="order.sold").actor_label == "desk@museum.test"


def test_admin_cannot_remove_themselves(admin, refused):
    with refused("validation_error"):
        team.remove_member(admin, actor=admin)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_the_only_admin_cannot_be_removed(organizer, admin, refused):
    with refused("last_admin"):
        team.remove_member(admin)  # the command line, run by the installation's administrator
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_the_only_admin_cannot_be_demoted(organizer, admin, refused):
    with refused("last_admin"):
        team.change_role(admin, role="operator", actor=admin)
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_an_admin_can_step_down_when_another_admin_remains(organizer, admin):
    team.set_member(organizer, email="second@museum.test", role="admin")
    team.change_role(admin, role="viewer", actor=admin)
    admin.refresh_from_db()
    assert admin.role == "viewer"
    assert (_audit("member.role_changed").before, _audit("member.role_changed").after) == ({"role": "admin"}, {"role": "viewer"})


@pytest.mark.parametrize("actor_fixture", ["operator", "viewer"])
def test_only_admins_remove_members(organizer, admin, operator, viewer, actor_fixture, request, refused):
    actor = request.getfixturevalue(actor_fixture)
    with refused("permission_denied"):
        team.remove_member(operator if actor_fixture == "viewer" else viewer, actor=actor)
    assert Membership.objects.filter(organizer=organizer).count() == 3


def test_another_organizers_admin_cannot_remove_members(operator, other_org, refused):
    with refused("not_found"):
        team.remove_member(operator, actor=other_org.admin)
    assert Membership.objects.filter(pk=operator.pk).exists()
