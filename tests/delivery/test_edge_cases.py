"""Delivery corner cases: regional language tags, blacklisted tickets, addresses we cannot
send to, and a message that brings its worker down every time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from boxoffice.core.errors import InvalidInput
from boxoffice.core.models import Message, Order
from boxoffice.core.services import tickets as ticket_services
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order
from boxoffice.delivery import outbox
from boxoffice.delivery.tasks import recover_stale_messages
from documents.pdf import ticket_barcodes

from .helpers import message_of, pdf_attachment

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_regional_language_tag_gets_the_base_language(smtp, worker, event, operator, timeslot, adult):
    order = sell_order(
        Sale(event=event, buyer=BuyerDetails(email="joost@example.test", name="Joost", language="nl-NL"),
             lines=[SaleLine(adult.pk, timeslot.pk, 1)], payment_method="card", send_tickets=True),
        actor=operator,
    )  # fmt: skip
    worker()
    assert smtp.received[0].email["Subject"].startswith("Je tickets voor")
    assert message_of(order).status == "sent"


def test_blacklisted_tickets_are_not_sent_to_the_buyer(sell, smtp, worker, operator):
    order = sell(3)
    blacklisted, *valid = [t.barcode for t in order.tickets.order_by("pk")]
    ticket_services.set_ticket_states(order, barcodes=[blacklisted], state="blacklisted", actor=operator)
    from boxoffice.core.services.orders import send_tickets

    send_tickets(order, actor=operator)
    worker()
    pdf = pdf_attachment(smtp.received[0].email, f"tickets-{order.code}.pdf")
    assert sorted(ticket_barcodes(pdf)) == sorted(valid)


def test_a_buyer_address_we_cannot_send_to_is_refused_at_sale(event, operator, timeslot, adult):
    for address in ["zoë@example.test", "not-an-address", "ann@", "@example.test"]:
        sale = Sale(event=event, buyer=BuyerDetails(email=address, name="Zoë"),
                    lines=[SaleLine(adult.pk, timeslot.pk, 1)], payment_method="card")  # fmt: skip
        with pytest.raises(InvalidInput) as info:
            sell_order(sale, actor=operator)
        assert info.value.code == "validation_error"
    assert not Order.objects.exists()


def test_a_message_whose_worker_dies_every_time_ends_failed(sell, settings, smtp, worker):
    settings.DELIVERY_RETRY_DELAYS = [1]
    settings.DELIVERY_LEASE_SECONDS = 1
    order = sell(1, send_tickets=True)
    message = message_of(order)
    for _ in range(2):  # claimed, and its worker never came back
        assert outbox.claim(message.pk) is not None
        Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(seconds=5))
        recover_stale_messages()
    message.refresh_from_db()
    assert message.status == "failed"
    assert "stopped" in message.last_error
    worker()
    assert smtp.received == []


def test_a_line_break_an_older_version_let_into_an_event_name_does_not_stop_its_emails(smtp, worker, sell, event):
    from boxoffice.core.models import Event

    Event.objects.filter(pk=event.pk).update(name="Old\nMasters")
    order = sell(1, send_tickets=True)
    worker()
    assert message_of(order).status == "sent"
    assert smtp.received[0].email["Subject"] == f"Your tickets for Old Masters (order {order.code})"
