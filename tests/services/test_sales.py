"""sell_order (§3.9): payment methods, buyers, capacity, quotas and every refusal."""

import re
from decimal import Decimal

import pytest

from boxoffice.core.errors import PermissionDenied
from boxoffice.core.models import AuditEntry, Buyer, Message, Order, Payment, Ticket, TicketType, Timeslot
from boxoffice.core.services import setup
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order


def _reload(obj):
    obj.refresh_from_db()
    return obj


# --- payment methods -------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["cash", "card"])
def test_cash_or_card_sale_is_paid_with_a_payment_equal_to_the_total(sell, method, operator):
    order = sell(2, payment_method=method)
    assert _reload(order).status == "paid"
    assert order.payment_method == method
    assert order.total == Decimal("35.00")
    payment = Payment.objects.get(order=order)
    assert (payment.method, payment.amount, payment.created_by) == (method, Decimal("35.00"), operator)


def test_invoice_sale_is_pending_payment_without_a_payment(sell):
    order = sell(2, payment_method="invoice")
    assert _reload(order).status == "pending"
    assert order.total == Decimal("35.00")
    assert not Payment.objects.filter(order=order).exists()
    assert order.tickets.count() == 2


def test_free_sale_is_paid_at_zero_without_a_payment(sell):
    order = sell(2, payment_method="free")
    assert _reload(order).status == "paid"
    assert order.total == Decimal("0.00")
    assert not Payment.objects.filter(order=order).exists()
    assert set(order.tickets.values_list("price", flat=True)) == {Decimal("0.00")}


def test_unknown_payment_method_is_refused(sell, refused):
    with refused("validation_error"):
        sell(1, payment_method="bitcoin")


def test_totals_are_exact_decimals(sell_lines, adult, child, timeslot):
    order = sell_lines([(adult, timeslot, 3)])
    assert _reload(order).total == Decimal("52.50")
    assert Payment.objects.get(order=order).amount == Decimal("52.50")
    mixed = sell_lines([(adult, timeslot, 2), (child, timeslot, 1)], email="bo@example.test")
    assert _reload(mixed).total == Decimal("43.00")
    assert sorted((line.description, line.quantity, line.unit_price) for line in mixed.lines.all()) == [
        ("Adult", 2, Decimal("17.50")),
        ("Child", 1, Decimal("8.00")),
    ]


# --- what a sale records ---------------------------------------------------------------------

def test_sale_is_audited_with_actor_status_total_and_tickets(sell):
    order = sell(2)
    entry = AuditEntry.objects.get(order=order)
    assert entry.action == "order.sold"
    assert entry.actor_label == "desk@museum.test"
    assert entry.before is None
    assert entry.after["status"] == "paid"
    assert entry.after["total"] == "35.00"
    assert entry.after["buyer"] == "ann@example.test"
    barcodes = sorted(order.tickets.values_list("barcode", flat=True))
    assert sorted(t["barcode"] for t in entry.after["tickets"]) == barcodes
    assert entry.after["messages"] == []


def test_sale_queues_tickets_and_receipt_messages_when_asked(sell):
    order = sell(2, email="Ann@Example.test", send_tickets=True, send_receipt=True)
    messages = Message.objects.filter(order=order).order_by("kind")
    assert [(m.kind, m.to, m.status) for m in messages] == [
        ("receipt", "Ann@Example.test", "queued"),
        ("tickets", "Ann@Example.test", "queued"),
    ]
    assert sorted(AuditEntry.objects.get(order=order).after["messages"]) == ["receipt", "tickets"]


def test_sale_queues_no_message_unless_asked(sell):
    order = sell(2)
    assert not Message.objects.filter(order=order).exists()


def test_refused_sale_queues_no_message(sell, make_timeslot, refused):
    small = make_timeslot(capacity=1)
    with refused("timeslot_full"):
        sell(2, slot=small, send_tickets=True, send_receipt=True)


# --- buyers ----------------------------------------------------------------------------------

def test_new_email_creates_the_buyer_with_name_and_phone(sell, organizer):
    order = sell(1, email="new@example.test", name="New Person", phone="06 1234 5678")
    buyer = order.buyer
    assert (buyer.organizer, buyer.email, buyer.name, buyer.phone) == (
        organizer, "new@example.test", "New Person", "06 1234 5678"
    )


def test_second_sale_finds_the_buyer_by_email_case_insensitively(sell):
    first = sell(1, email="Ann@Example.test", name="Ann Buyer")
    second = sell(1, email="  ann@EXAMPLE.TEST ", name="Someone Else")
    assert second.buyer_id == first.buyer_id
    assert Buyer.objects.count() == 1
    assert _reload(first.buyer).name == "Ann Buyer"  # an existing buyer keeps their name


# --- capacity and quotas ---------------------------------------------------------------------

def test_sale_takes_places_in_each_timeslot_it_sells(sell_lines, adult, timeslot, other_timeslot):
    order = sell_lines([(adult, timeslot, 2), (adult, other_timeslot, 3)])
    assert _reload(timeslot).sold == 2
    assert _reload(other_timeslot).sold == 3
    assert sorted(order.tickets.values_list("timeslot_id", flat=True)) == sorted(
        [timeslot.pk] * 2 + [other_timeslot.pk] * 3
    )


def test_last_places_can_be_sold(sell, make_timeslot):
    slot = make_timeslot(capacity=3)
    sell(3, slot=slot)
    assert _reload(slot).sold == 3


def test_full_timeslot_refuses_the_sale_and_creates_nothing(sell, make_timeslot, refused):
    slot = make_timeslot(capacity=3)
    sell(2, slot=slot)
    with refused("timeslot_full") as info:
        sell(2, slot=slot, email="late@example.test")
    assert info.value.details["available"] == 1
    assert not Buyer.objects.filter(email_normalized="late@example.test").exists()
    assert _reload(slot).sold == 2


def test_full_timeslot_releases_places_taken_on_other_lines(sell_lines, adult, timeslot, make_timeslot, refused):
    full = make_timeslot(capacity=1)
    with refused("timeslot_full"):
        sell_lines([(adult, timeslot, 2), (adult, full, 2)])
    assert _reload(timeslot).sold == 0


def test_ticket_type_quota_refuses_more_than_it_has_left(sell, event, admin, timeslot, refused):
    limited = setup.create_ticket_type(event, name="Members", price=Decimal("5.00"), vat_rate=Decimal("9"),
                                       quota=3, actor=admin)
    sell(2, ticket_type=limited)
    with refused("ticket_type_sold_out") as info:
        sell(2, ticket_type=limited, email="other@example.test")
    assert info.value.details["available"] == 1
    assert (_reload(limited).sold, _reload(timeslot).sold) == (2, 2)


def test_max_per_order_counts_all_lines_of_the_type(sell_lines, event, admin, timeslot, other_timeslot, refused):
    capped = setup.create_ticket_type(event, name="Family", price=Decimal("10.00"), vat_rate=Decimal("9"),
                                      max_per_order=4, actor=admin)
    with refused("max_per_order_exceeded"):
        sell_lines([(capped, timeslot, 3), (capped, other_timeslot, 2)])
    assert sell_lines([(capped, timeslot, 2), (capped, other_timeslot, 2)]).tickets.count() == 4


# --- catalogue checks ------------------------------------------------------------------------

def test_timeslot_of_another_event_is_refused(sell, second_event, refused):
    _, foreign_slot, _ = second_event
    with refused("timeslot_wrong_event"):
        sell(1, slot=foreign_slot)


def test_ticket_type_of_another_event_is_refused(sell, second_event, refused):
    _, _, foreign_type = second_event
    with refused("ticket_type_wrong_event"):
        sell(1, ticket_type=foreign_type)


def test_unknown_timeslot_is_a_validation_error(sell, timeslot, refused):
    missing = Timeslot(pk=Timeslot.objects.order_by("-pk").first().pk + 1000)
    with refused("validation_error") as info:
        sell(1, slot=missing)
    assert info.value.details["field"] == "timeslot"


def test_unknown_ticket_type_is_a_validation_error(sell, adult, refused):
    missing = TicketType(pk=TicketType.objects.order_by("-pk").first().pk + 1000)
    with refused("validation_error") as info:
        sell(1, ticket_type=missing)
    assert info.value.details["field"] == "ticket_type"


def test_timeslot_of_another_organizer_is_reported_as_unknown(sell, other_org, refused):
    with refused("validation_error") as info:
        sell(1, slot=other_org.timeslot)
    assert info.value.details["field"] == "timeslot"


def test_ticket_type_of_another_organizer_is_reported_as_unknown(sell, other_org, refused):
    with refused("validation_error") as info:
        sell(1, ticket_type=other_org.ticket_type)
    assert info.value.details["field"] == "ticket_type"


@pytest.mark.parametrize("quantity", [0, -1, -1000, 1001, 10**9])
def test_quantity_must_be_between_one_and_the_order_limit(sell, quantity, refused):
    with refused("validation_error"):
        sell(quantity)


def test_sale_without_lines_is_refused(event, operator, refused):
    with refused("validation_error"):
        sell_order(Sale(event=event, buyer=BuyerDetails("a@example.test", "A"), lines=[], payment_method="cash"),
                   actor=operator)


@pytest.mark.parametrize("email,name", [("not-an-email", "Ann"), ("a@example.test", "  "), ("a@b", "Ann")])
def test_a_buyer_with_an_email_needs_a_valid_one_and_a_name(sell, email, name, refused):
    with refused("validation_error"):
        sell(1, email=email, name=name)


# --- who may sell ----------------------------------------------------------------------------

def test_viewer_cannot_sell(sell, viewer, refused):
    with refused("permission_denied"):
        sell(1, actor=viewer)


def test_admin_can_sell(sell, admin):
    order = sell(1, actor=admin)
    assert AuditEntry.objects.get(order=order).actor_label == "admin@museum.test"


def test_actorless_sale_is_refused(sell, event, adult, timeslot):
    sale = Sale(event=event, buyer=BuyerDetails("a@example.test", "A"),
                lines=[SaleLine(adult.pk, timeslot.pk, 1)], payment_method="cash")
    with pytest.raises(PermissionDenied) as info:
        sell_order(sale, actor=None)
    assert info.value.code == "permission_denied"
    assert not Order.objects.exists()


# --- codes -----------------------------------------------------------------------------------

def test_order_codes_avoid_confusable_characters_and_are_unique(sell):
    codes = [sell(1).code for _ in range(25)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[2-9A-Z]{7}", code), code
        assert not set(code) & set("0O1IL"), code


def test_barcodes_are_twenty_characters_and_unique(sell):
    sell(40)
    sell(40, email="bo@example.test")
    barcodes = list(Ticket.objects.values_list("barcode", flat=True))
    assert len(barcodes) == 80 == len(set(barcodes))
    assert all(re.fullmatch(r"[A-Z2-9]{20}", b) for b in barcodes)
