"""A time block closed for sale: nothing more is sold into it or moved into it, its tickets
stay valid, and it can be opened again."""

from boxoffice.core.models import AuditEntry
from boxoffice.core.services import reschedule, setup


def test_a_closed_block_sells_nothing_and_takes_no_moved_tickets(sell, admin, operator, timeslot, other_timeslot, refused):
    order = sell(2, slot=other_timeslot)
    setup.set_timeslot_open(timeslot, open_for_sale=False, actor=admin)
    with refused("timeslot_closed"):
        sell(1)
    with refused("timeslot_closed"):
        reschedule.reschedule_order(order, to_timeslot=timeslot, actor=operator)
    setup.set_timeslot_open(timeslot, open_for_sale=True, actor=admin)
    assert sell(1).status == "paid"
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="timeslot.").order_by("pk")][-2:] == [
        "timeslot.closed", "timeslot.opened"
    ]


def test_tickets_of_a_closed_block_stay_valid(sell, admin, timeslot):
    order = sell(2)
    setup.set_timeslot_open(timeslot, open_for_sale=False, actor=admin)
    assert set(order.tickets.values_list("state", flat=True)) == {"unscanned"}


def test_only_admins_close_blocks(operator, timeslot, refused):
    with refused("permission_denied"):
        setup.set_timeslot_open(timeslot, open_for_sale=False, actor=operator)


def test_the_api_closes_and_shows_a_closed_block(client, admin, event, timeslot):
    from boxoffice.core.services import team

    headers = {"Authorization": f"Bearer {team.create_api_token(admin)}"}
    url = f"/api/v1/organizers/museum/events/{event.pk}/timeslots/{timeslot.pk}"
    answer = client.patch(url, {"closed": True}, content_type="application/json", headers=headers)
    assert answer.status_code == 200 and answer.json()["closed"] is True
    assert client.get(url, headers=headers).json()["closed"] is True
