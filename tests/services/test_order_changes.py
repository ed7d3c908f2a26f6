"""Remove tickets and Change ticket type (§3.11): what the order holds changes, its lines
show the change, the total follows, and the balance says what is due or to refund; no money
moves by itself, and a refused change changes nothing."""

from decimal import Decimal

import pytest

from boxoffice.core.errors import (
    InvalidInput,
    MaxPerOrderExceeded,
    PermissionDenied,
    TicketTypeSoldOut,
    TicketTypeWrongEvent,
    TicketVoid,
)
from boxoffice.core.models import AuditEntry, Order, Ticket
from boxoffice.core.selectors.orders import balance_of
from boxoffice.core.services import payments, setup
from boxoffice.core.services.changes import change_ticket_type, remove_tickets

pytestmark = pytest.mark.django_db


def _fresh(order):
    return Order.objects.get(pk=order.pk)


def _lines(order):
    return [(line.kind, line.description, line.quantity, line.unit_price) for line in _fresh(order).lines.all()]


def _snapshot(order, timeslot, *types):
    timeslot.refresh_from_db()
    for t in types:
        t.refresh_from_db()
    fresh = _fresh(order)
    return (fresh.status, fresh.total, _lines(order), timeslot.sold, [t.sold for t in types],
            sorted(fresh.tickets.values_list("barcode", "state", "ticket_type_id")))  # fmt: skip


def test_one_of_three_removed_releases_its_place_and_leaves_a_refund_due(sell, operator, timeslot):
    order = sell(3)  # 3 × 17.50 paid by card
    one = order.tickets.first()
    change = remove_tickets(order, barcodes=[one.barcode], reason="One of us cannot come", actor=operator)
    order = _fresh(order)
    assert order.status == Order.Status.PAID and order.total == Decimal("35.00")
    assert _lines(order) == [("sold", "Adult", 3, Decimal("17.50")), ("removed", "Adult", -1, Decimal("17.50"))]
    balance = balance_of(order)
    assert (balance.total, balance.paid, balance.due, balance.to_refund) == (
        Decimal("35.00"), Decimal("52.50"), Decimal("0.00"), Decimal("17.50")
    )
    one.refresh_from_db()
    assert (one.state, one.void_reason) == ("void", "removed")
    timeslot.refresh_from_db()
    assert timeslot.sold == 2
    entry = AuditEntry.objects.get(order=order, action="tickets.removed")
    assert entry.before["total"] == "52.50" and entry.after["total"] == "35.00"
    assert entry.after["to_refund"] == "17.50" and entry.after["reason"] == "One of us cannot come"
    assert change.total_before == Decimal("52.50")


def test_removing_every_live_ticket_is_remove_purchase(sell, operator):
    order = sell(2)
    remove_tickets(order, barcodes=list(order.tickets.values_list("barcode", flat=True)), reason="Ill", actor=operator)
    order = _fresh(order)
    assert order.status == Order.Status.REMOVED
    assert balance_of(order).to_refund == Decimal("35.00")
    assert AuditEntry.objects.get(order=order, action="order.removed").after["reason"] == "Ill"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_removal_needs_a_reason_and_changes_nothing_without_one(sell, operator, timeslot, adult, reason):
    order = sell(2)
    before = _snapshot(order, timeslot, adult)
    with pytest.raises(InvalidInput) as refused:
        remove_tickets(order, barcodes=[order.tickets.first().barcode], reason=reason, actor=operator)
    assert refused.value.details["field"] == "reason"
    assert _snapshot(order, timeslot, adult) == before


def test_a_void_ticket_cannot_be_removed(sell, operator, timeslot, adult):
    order = sell(3)
    first = order.tickets.first()
    remove_tickets(order, barcodes=[first.barcode], reason="x", actor=operator)
    before = _snapshot(order, timeslot, adult)
    with pytest.raises(TicketVoid):
        remove_tickets(order, barcodes=[first.barcode], reason="again", actor=operator)
    assert _snapshot(order, timeslot, adult) == before


def test_two_children_become_adults_and_the_difference_is_due_then_paid(sell, operator, child, adult):
    order = sell(2, ticket_type=child, payment_method="cash")  # 2 × 8.00
    barcodes = sorted(order.tickets.values_list("barcode", flat=True))
    change_ticket_type(order, barcodes=barcodes, to_type=adult.pk, actor=operator)
    order = _fresh(order)
    assert sorted(order.tickets.values_list("barcode", flat=True)) == barcodes  # the same tickets
    assert set(order.tickets.values_list("ticket_type_id", "price")) == {(adult.pk, Decimal("17.50"))}
    assert _lines(order) == [("sold", "Child", 2, Decimal("8.00")), ("changed_from", "Child", -2, Decimal("8.00")),
                             ("changed_to", "Adult", 2, Decimal("17.50"))]  # fmt: skip
    assert order.total == Decimal("35.00") and balance_of(order).due == Decimal("19.00")
    child.refresh_from_db()
    adult.refresh_from_db()
    assert (child.sold, adult.sold) == (0, 2)
    payments.register_payment(order, amount=Decimal("19.00"), method="cash", actor=operator)
    assert balance_of(_fresh(order)).due == 0


def test_a_change_down_leaves_money_to_refund(sell, operator, child):
    order = sell(1)  # an adult, 17.50 paid
    change_ticket_type(order, barcodes=[order.tickets.get().barcode], to_type=child.pk, actor=operator)
    balance = balance_of(_fresh(order))
    assert (balance.total, balance.to_refund) == (Decimal("8.00"), Decimal("9.50"))


def test_a_type_of_another_event_is_refused(sell, operator, admin, organizer, timeslot, adult):
    other = setup.create_event(organizer, name="Jazz night", venue="Hall", actor=admin)
    jazz = setup.create_ticket_type(other, name="Jazz", price=Decimal("30"), vat_rate=Decimal("9"), actor=admin)
    order = sell(1)
    before = _snapshot(order, timeslot, adult, jazz)
    with pytest.raises(TicketTypeWrongEvent):
        change_ticket_type(order, barcodes=[order.tickets.get().barcode], to_type=jazz.pk, actor=operator)
    assert _snapshot(order, timeslot, adult, jazz) == before


def test_the_quota_and_the_per_order_maximum_of_the_new_type_hold(sell, operator, admin, event, timeslot, adult):
    vip = setup.create_ticket_type(event, name="VIP", price=Decimal("40"), vat_rate=Decimal("9"), quota=1, actor=admin)
    order = sell(3)
    before = _snapshot(order, timeslot, adult, vip)
    with pytest.raises(TicketTypeSoldOut):
        change_ticket_type(order, barcodes=list(order.tickets.values_list("barcode", flat=True))[:2],
                           to_type=vip.pk, actor=operator)  # fmt: skip
    assert _snapshot(order, timeslot, adult, vip) == before

    duo = setup.create_ticket_type(event, name="Duo", price=Decimal("20"), vat_rate=Decimal("9"), max_per_order=2, actor=admin)
    with pytest.raises(MaxPerOrderExceeded):
        change_ticket_type(order, barcodes=list(order.tickets.values_list("barcode", flat=True)), to_type=duo.pk, actor=operator)
    assert _snapshot(order, timeslot, adult, vip) == before


def test_a_viewer_changes_nothing(sell, viewer, child, timeslot, adult):
    order = sell(2)
    before = _snapshot(order, timeslot, adult, child)
    barcode = order.tickets.first().barcode
    with pytest.raises(PermissionDenied):
        remove_tickets(order, barcodes=[barcode], reason="x", actor=viewer)
    with pytest.raises(PermissionDenied):
        change_ticket_type(order, barcodes=[barcode], to_type=child.pk, actor=viewer)
    assert _snapshot(order, timeslot, adult, child) == before


def test_an_invoice_order_owes_less_after_a_removal_and_stays_pending(sell, operator):
    order = sell(2, payment_method="invoice")
    remove_tickets(order, barcodes=[order.tickets.first().barcode], reason="Fewer people", actor=operator)
    order = _fresh(order)
    assert order.status == Order.Status.PENDING and balance_of(order).due == Decimal("17.50")
    assert Ticket.objects.filter(order=order, state="unscanned").count() == 1


def test_remove_purchase_and_a_refund_need_a_reason_and_change_nothing_without_one(sell, operator, admin, timeslot, adult):
    from boxoffice.core.services.orders import record_refund, remove_order

    order = sell(2)
    before = _snapshot(order, timeslot, adult)
    with pytest.raises(InvalidInput) as refused:
        remove_order(order, actor=operator, reason=" ")
    assert refused.value.details["field"] == "reason"
    with pytest.raises(InvalidInput) as refused:
        record_refund(order, amount=Decimal("5.00"), method="cash", reason="", actor=admin)
    assert refused.value.details["field"] == "reason"
    assert _snapshot(order, timeslot, adult) == before and not order.refunds.exists()


def test_a_change_to_a_group_order_of_300_tickets_is_recorded_with_every_barcode(sell, operator, child, make_timeslot):
    """The history's one-line target names the first barcodes and how many more (the column
    holds 200 characters; PostgreSQL refuses longer); before and after name all 300."""
    from boxoffice.core.services.tickets import set_ticket_states

    order = sell(300, slot=make_timeslot(capacity=400), email="school@example.test")
    barcodes = list(order.tickets.values_list("barcode", flat=True))
    change_ticket_type(order, barcodes=barcodes, to_type=child.pk, actor=operator)
    set_ticket_states(_fresh(order), barcodes=barcodes, state="blacklisted", actor=operator)
    for action in ("tickets.type_changed", "tickets.blacklisted"):
        entry = AuditEntry.objects.filter(order=order, action=action).get()
        assert len(entry.target) <= 200 and entry.target.startswith(barcodes[0]) and entry.target.endswith(" more")
        assert set(entry.before if action == "tickets.blacklisted" else entry.before["tickets"]) == set(barcodes)
