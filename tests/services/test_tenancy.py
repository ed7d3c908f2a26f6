"""An actor of one organizer cannot touch another organizer's objects through any service,
even when handed the object directly: it does not exist for them."""

from decimal import Decimal

import pytest

from boxoffice.core.services import orders, reschedule, setup, team, tickets


def _live_barcodes(order):
    return [t.barcode for t in order.tickets.exclude(state="void")]


ACTIONS = {
    "sell": lambda o, org, order: org.sell(1),
    "send_tickets": lambda o, org, order: orders.send_tickets(order, actor=o),
    "send_receipt": lambda o, org, order: orders.send_receipt(order, actor=o),
    "comment": lambda o, org, order: orders.add_comment(order, scope="buyer", text="hi", actor=o),
    "remove": lambda o, org, order: orders.remove_order(order, actor=o, reason="The buyer cannot come"),
    "refund": lambda o, org, order: orders.record_refund(order, amount=Decimal("1"), method="cash", reason="Goodwill", actor=o),
    "blacklist": lambda o, org, order: tickets.set_ticket_states(order, barcodes=_live_barcodes(order), state="blacklisted", actor=o),
    "reissue": lambda o, org, order: tickets.reissue_tickets(order, actor=o),
    "reschedule": lambda o, org, order: reschedule.reschedule_order(order, to_timeslot=org.timeslot, actor=o),
    "create_timeslot": lambda o, org, order: setup.create_timeslot(
        org.event, start=org.timeslot.start, end=org.timeslot.end, capacity=1, actor=o
    ),
    "update_timeslot": lambda o, org, order: setup.update_timeslot(org.timeslot, capacity=99, actor=o),
    "create_ticket_type": lambda o, org, order: setup.create_ticket_type(
        org.event, name="X", price=Decimal("1"), vat_rate=Decimal("0"), actor=o
    ),
    "invite_member": lambda o, org, order: team.invite_member(
        org.organizer, email="mole@example.test", role="admin", actor=o, link_base="http://x/"
    ),
    "change_role": lambda o, org, order: team.change_role(org.operator, role="admin", actor=o),
    "resend_invitation": lambda o, org, order: team.resend_invitation(org.operator, actor=o, link_base="http://x/"),
    "remove_member": lambda o, org, order: team.remove_member(org.operator, actor=o),
    "two_factor_policy": lambda o, org, order: team.set_two_factor_policy(org.organizer, policy="everyone", actor=o),
    "create_device": lambda o, org, order: team.create_device(org.organizer, name="rogue", actor=o),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_actor_of_another_organizer_finds_nothing_and_changes_nothing(action, admin, other_org, refused):
    order = other_org.sell(2)
    if action == "sell":
        other_org.operator = admin  # the museum's admin tries to sell on the theatre's event
    with refused("not_found"):
        ACTIONS[action](admin, other_org, order)
