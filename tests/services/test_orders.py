"""Order actions: Send Ticket(s), Send payment receipt, comments, Remove purchase, refunds
(§3.2, 3.3, 3.5, 3.6)."""

from decimal import Decimal

import pytest

from boxoffice.core.models import AuditEntry, Message, Payment, Refund, Ticket
from boxoffice.core.selectors.orders import buyer_comments, paid_balance
from boxoffice.core.services import setup
from boxoffice.core.services.orders import add_comment, record_refund, remove_order, send_receipt, send_tickets
from boxoffice.core.services.tickets import set_ticket_states


def _last_audit(order):
    return AuditEntry.objects.filter(order=order).order_by("-pk").first()


# --- Send Ticket(s) / Send payment receipt ---------------------------------------------------

@pytest.mark.parametrize("send, kind", [(send_tickets, "tickets"), (send_receipt, "receipt")])
def test_send_queues_a_message_to_the_buyer_and_audits_it(sell, operator, send, kind):
    order = sell(2, email="Ann@Example.test")
    message = send(order, actor=operator)
    assert Message.objects.get(order=order) == message
    assert (message.kind, message.to, message.status, message.attempts) == (kind, "Ann@Example.test", "queued", 0)
    assert message.created_by == operator
    entry = _last_audit(order)
    assert (entry.action, entry.actor_label) == (f"order.send_{kind}", "desk@museum.test")
    assert entry.after == {"message": message.pk, "to": "Ann@Example.test"}


def test_sending_again_queues_another_message(sell, operator):
    order = sell(1)
    send_tickets(order, actor=operator)
    send_tickets(order, actor=operator)
    assert Message.objects.filter(order=order, kind="tickets").count() == 2


def test_tickets_of_a_removed_order_cannot_be_sent(sell, operator, refused):
    order = sell(2)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    with refused("order_removed"):
        send_tickets(order, actor=operator)


@pytest.mark.parametrize("send", [send_tickets, send_receipt])
def test_viewer_cannot_send(sell, viewer, send, refused):
    order = sell(1)
    with refused("permission_denied"):
        send(order, actor=viewer)


# --- comments --------------------------------------------------------------------------------

def test_buyer_comment_shows_on_every_order_of_the_buyer(sell, operator):
    first = sell(1)
    second = sell(1)
    comment = add_comment(first, scope="buyer", text="  Uses a wheelchair  ", actor=operator)
    assert comment.text == "Uses a wheelchair"
    assert list(buyer_comments(second)) == [comment]
    assert list(buyer_comments(first)) == [comment]
    assert not second.comments.exists()  # not a purchase comment of either order
    entry = _last_audit(first)
    assert (entry.action, entry.actor_label) == ("comment.buyer", "desk@museum.test")
    assert entry.after == {"comment": comment.pk, "text": "Uses a wheelchair"}


def test_buyer_comment_does_not_show_for_another_buyer(sell, operator):
    anns = sell(1)
    bos = sell(1, email="bo@example.test")
    add_comment(anns, scope="buyer", text="VIP", actor=operator)
    assert not buyer_comments(bos).exists()


def test_purchase_comment_shows_only_on_that_order(sell, operator):
    first = sell(1)
    second = sell(1)
    comment = add_comment(first, scope="purchase", text="Refunded by phone", actor=operator)
    assert list(first.comments.all()) == [comment]
    assert not second.comments.exists()
    assert not buyer_comments(second).exists()
    assert _last_audit(first).action == "comment.purchase"


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_comment_is_refused(sell, operator, text, refused):
    order = sell(1)
    with refused("validation_error"):
        add_comment(order, scope="purchase", text=text, actor=operator)


def test_comment_needs_a_known_scope(sell, operator, refused):
    order = sell(1)
    with refused("validation_error"):
        add_comment(order, scope="everyone", text="hello", actor=operator)


def test_viewer_cannot_comment(sell, viewer, refused):
    order = sell(1)
    with refused("permission_denied"):
        add_comment(order, scope="buyer", text="hello", actor=viewer)


# --- Remove purchase -------------------------------------------------------------------------

def test_remove_voids_every_ticket_and_marks_the_order_removed(sell, operator):
    order = sell(3)
    barcodes = sorted(order.tickets.values_list("barcode", flat=True))
    set_ticket_states(order, barcodes=barcodes[:1], state="scanned_in", actor=operator)
    removed = remove_order(order, actor=operator, reason="The buyer cannot come")
    order.refresh_from_db()
    assert removed.status == order.status == "removed"
    assert set(Ticket.objects.filter(order=order).values_list("state", "void_reason")) == {("void", "removed")}
    entry = _last_audit(order)
    assert (entry.action, entry.actor_label) == ("order.removed", "desk@museum.test")
    assert entry.before["status"] == "paid"
    assert entry.before["tickets"] == {barcodes[0]: "scanned_in", barcodes[1]: "unscanned", barcodes[2]: "unscanned"}
    assert entry.after["status"] == "removed"
    assert entry.after["tickets_voided"] == 3


def test_remove_releases_places_and_quota(sell, event, admin, operator, timeslot):
    limited = setup.create_ticket_type(event, name="Members", price=Decimal("5.00"), vat_rate=Decimal("9"),
                                       quota=4, actor=admin)
    order = sell(3, ticket_type=limited)
    timeslot.refresh_from_db()
    limited.refresh_from_db()
    assert (timeslot.sold, limited.sold) == (3, 3)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    timeslot.refresh_from_db()
    limited.refresh_from_db()
    assert (timeslot.sold, limited.sold) == (0, 0)
    sell(4, ticket_type=limited, email="next@example.test")  # the released places sell again


def test_remove_makes_no_refund(sell, operator):
    order = sell(2)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    assert not Refund.objects.filter(order=order).exists()
    assert Payment.objects.get(order=order).amount == Decimal("35.00")
    assert paid_balance(order) == Decimal("35.00")
    assert _last_audit(order).after["refund"] is None


def test_remove_after_reissue_releases_only_live_tickets(sell, operator, timeslot):
    from boxoffice.core.services.tickets import reissue_tickets

    order = sell(2)
    reissue_tickets(order, actor=operator)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    timeslot.refresh_from_db()
    assert timeslot.sold == 0
    assert _last_audit(order).after["tickets_voided"] == 2


def test_removing_twice_is_refused(sell, operator, refused):
    order = sell(2)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    with refused("order_removed"):
        remove_order(order, actor=operator, reason="The buyer cannot come")


def test_viewer_cannot_remove(sell, viewer, refused):
    order = sell(2)
    with refused("permission_denied"):
        remove_order(order, actor=viewer, reason="The buyer cannot come")


# --- refunds ---------------------------------------------------------------------------------

def test_admin_records_a_refund(sell, admin):
    order = sell(2)
    refund = record_refund(order, amount=Decimal("17.50"), method="card", reason=" one guest ill ", actor=admin)
    assert (refund.amount, refund.method, refund.reason, refund.created_by) == (
        Decimal("17.50"), "card", "one guest ill", admin
    )
    assert paid_balance(order) == Decimal("17.50")
    entry = _last_audit(order)
    assert (entry.action, entry.actor_label) == ("order.refunded", "admin@museum.test")
    assert entry.before == {"refundable": "35.00"}
    assert entry.after["amount"] == "17.50"
    assert entry.after["refund"] == refund.pk


def test_refund_does_not_change_order_or_tickets(sell, admin):
    order = sell(2)
    record_refund(order, amount=Decimal("35.00"), method="cash", reason="Goodwill", actor=admin)
    order.refresh_from_db()
    assert order.status == "paid"
    assert set(order.tickets.values_list("state", flat=True)) == {"unscanned"}


def test_operator_cannot_refund(sell, operator, refused):
    order = sell(2)
    with refused("permission_denied"):
        record_refund(order, amount=Decimal("1.00"), method="cash", reason="Goodwill", actor=operator)


def test_refund_never_exceeds_what_was_paid(sell, admin, refused):
    order = sell(2)
    with refused("refund_exceeds_paid") as info:
        record_refund(order, amount=Decimal("35.01"), method="card", reason="Goodwill", actor=admin)
    assert info.value.details["refundable"] == "35.00"


def test_partial_refunds_add_up_to_what_was_paid(sell, admin, refused):
    order = sell(2)
    record_refund(order, amount=Decimal("10.00"), method="card", reason="Goodwill", actor=admin)
    record_refund(order, amount=Decimal("20.00"), method="cash", reason="Goodwill", actor=admin)
    with refused("refund_exceeds_paid") as info:
        record_refund(order, amount=Decimal("5.01"), method="card", reason="Goodwill", actor=admin)
    assert info.value.details["refundable"] == "5.00"
    record_refund(order, amount=Decimal("5.00"), method="card", reason="Goodwill", actor=admin)
    assert paid_balance(order) == Decimal("0.00")
    assert Refund.objects.filter(order=order).count() == 3


@pytest.mark.parametrize("method", ["invoice", "free"])
def test_unpaid_order_cannot_be_refunded(sell, admin, method, refused):
    order = sell(2, payment_method=method)
    with refused("refund_exceeds_paid"):
        record_refund(order, amount=Decimal("0.01"), method="card", reason="Goodwill", actor=admin)


def test_removed_order_can_be_refunded_up_to_what_was_paid(sell, operator, admin, refused):
    order = sell(2)
    remove_order(order, actor=operator, reason="The buyer cannot come")
    record_refund(order, amount=Decimal("35.00"), method="card", reason="removed", actor=admin)
    with refused("refund_exceeds_paid"):
        record_refund(order, amount=Decimal("0.01"), method="card", reason="Goodwill", actor=admin)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00"), Decimal("1.005")])
def test_refund_amount_is_positive_with_at_most_two_decimals(sell, admin, amount, refused):
    order = sell(2)
    with refused("validation_error"):
        record_refund(order, amount=amount, method="card", reason="Goodwill", actor=admin)


def test_refund_needs_a_method(sell, admin, refused):
    order = sell(2)
    with refused("validation_error"):
        record_refund(order, amount=Decimal("1.00"), method="  ", reason="Goodwill", actor=admin)

