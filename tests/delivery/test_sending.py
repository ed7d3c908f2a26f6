"""Emails to buyers (§3.2, §3.3, §5), sent by the worker to a real SMTP server: what arrives,
what the outbox row records, and that what is sent is the order as it is when it is sent."""

from decimal import Decimal
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from boxoffice.core.models import AuditEntry, Message
from boxoffice.core.rules.money import PricedLine, vat_breakdown
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import setup
from boxoffice.core.services import tickets as ticket_services
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order
from boxoffice.delivery.compose import compose
from documents.pdf import page_count, page_texts, text, ticket_barcodes

from .helpers import bodies, live_barcodes, message_of, pdf_attachment

pytestmark = pytest.mark.django_db(transaction=True)


def test_tickets_email_reaches_the_buyer_with_both_bodies_and_a_pdf_page_per_ticket(sell, smtp, worker):
    order = sell(2, email="ann@example.test", name="Ann Buyer", send_tickets=True)
    barcodes = live_barcodes(order)

    worker()

    (received,) = smtp.received
    assert received.rcpt_tos == ["ann@example.test"]
    assert received.mail_from == settings.EMAIL_FROM
    mail = received.email
    assert mail["To"] == "ann@example.test"
    assert parseaddr(mail["From"]) == ("City Museum", settings.EMAIL_FROM)
    assert mail["Subject"] == f"Your tickets for Old Masters (order {order.code})"
    plain, html = bodies(mail)
    for body in (plain, html):
        assert "Ann Buyer" in body and order.code in body
        assert all(barcode in body for barcode in barcodes)
    assert "<html" not in plain and "<html" in html
    assert "Monday 1 March 2027, 10:00–11:00" in plain  # the timeslot, in the event's timezone, in words
    pdf = pdf_attachment(mail, f"tickets-{order.code}.pdf")
    assert page_count(pdf) == 2
    assert ticket_barcodes(pdf) == barcodes

    message = message_of(order)
    assert message.status == Message.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.last_error == ""
    assert message.smtp_message_id == received.message_id


@pytest.mark.django_db
def test_preparing_a_tickets_email_reads_the_same_number_of_queries_for_any_number_of_tickets(sell):
    def queries_to_compose(quantity: int) -> int:
        message = message_of(sell(quantity, send_tickets=True))
        with CaptureQueriesContext(connection) as captured:
            compose(message)
        return len(captured.captured_queries)

    assert queries_to_compose(1) == queries_to_compose(6)


def test_a_sent_message_is_not_sent_again_by_the_next_worker_run(sell, smtp, worker):
    sell(1, send_tickets=True)

    worker()
    worker()

    assert len(smtp.received) == 1


def test_receipt_email_carries_the_receipt_pdf_with_totals_and_vat_breakdown(
    smtp, worker, event, admin, operator, timeslot, adult
):
    guide = setup.create_ticket_type(event, name="Audio guide", price=Decimal("4.50"), vat_rate=Decimal("21"),
                                     actor=admin)
    order = sell_order(
        Sale(event=event, buyer=BuyerDetails(email="ann@example.test", name="Ann Buyer"),
             lines=[SaleLine(adult.pk, timeslot.pk, 2), SaleLine(guide.pk, timeslot.pk, 1)], payment_method="card"),
        actor=operator,
    )  # fmt: skip

    message = order_services.send_receipt(order, actor=operator)
    worker()

    audit = AuditEntry.objects.get(order=order, action="order.send_receipt")
    assert audit.after["message"] == message.pk
    (received,) = smtp.received
    assert received.rcpt_tos == ["ann@example.test"]
    mail = received.email
    assert mail["To"] == "ann@example.test"
    assert mail["Subject"] == f"Payment receipt for order {order.code}"
    plain, html = bodies(mail)
    assert order.code in plain and order.code in html
    assert "EUR 39.50" in plain and "EUR 39.50" in html
    content = " ".join(text(pdf_attachment(mail, f"receipt-{order.code}.pdf")).split())
    assert f"Order {order.code}" in content
    assert "Total (VAT included) EUR 39.50" in content
    breakdown = vat_breakdown([PricedLine(l.quantity, l.unit_price, l.vat_rate) for l in order.lines.all()])
    assert set(breakdown) == {Decimal("9"), Decimal("21")}
    for rate, (gross, vat) in breakdown.items():
        assert f"{rate.normalize():f}% EUR {gross - vat} EUR {vat} EUR {gross}" in content
    message.refresh_from_db()
    assert (message.status, message.attempts, message.smtp_message_id) == ("sent", 1, received.message_id)


def test_a_dutch_buyer_gets_the_email_in_dutch(smtp, worker, event, operator, timeslot, adult):
    order = sell_order(
        Sale(event=event, buyer=BuyerDetails(email="joost@example.test", name="Joost", language="nl"),
             lines=[SaleLine(adult.pk, timeslot.pk, 1)], payment_method="card", send_tickets=True),
        actor=operator,
    )  # fmt: skip

    worker()

    mail = smtp.received[0].email
    assert mail["Subject"] == f"Je tickets voor Old Masters (bestelling {order.code})"
    plain, html = bodies(mail)
    assert plain.startswith("Beste Joost")
    assert "Beste Joost" in html


def test_names_in_any_european_script_arrive_intact(smtp, worker, organizer, admin, operator, timeslot, adult):
    event = setup.create_event(organizer, name="Ausstellung „Größe“ — Ωmega", venue="Salle Ü", actor=admin)
    slot = setup.create_timeslot(event, start=timeslot.start, end=timeslot.end, capacity=5, actor=admin)
    entry = setup.create_ticket_type(event, name="Entrée réduite", price=Decimal("9.00"), vat_rate=Decimal("9"),
                                     actor=admin)
    order = sell_order(
        Sale(event=event, buyer=BuyerDetails(email="zoe@example.test", name="Zoë Ørsted"),
             lines=[SaleLine(entry.pk, slot.pk, 1)], payment_method="card", send_tickets=True),
        actor=operator,
    )  # fmt: skip

    worker()

    mail = smtp.received[0].email
    assert mail["Subject"] == f"Your tickets for Ausstellung „Größe“ — Ωmega (order {order.code})"
    plain, html = bodies(mail)
    assert "Dear Zoë Ørsted," in plain and "Zoë Ørsted" in html
    assert "Entrée réduite" in plain
    (page,) = page_texts(pdf_attachment(mail, f"tickets-{order.code}.pdf"))
    page = " ".join(page.split())  # long names wrap beside the QR code
    for name in ("Ausstellung „Größe“ — Ωmega", "Salle Ü", "Entrée réduite", "Zoë Ørsted"):
        assert name in page


def test_html_body_escapes_the_buyer_name_and_the_text_body_keeps_it(sell, smtp, worker):
    sell(1, name="Ann & Bob <Smith>", send_tickets=True)

    worker()

    plain, html = bodies(smtp.received[0].email)
    assert "Dear Ann & Bob <Smith>," in plain
    assert "Ann &amp; Bob &lt;Smith&gt;" in html
    assert "<Smith>" not in html


def test_a_message_queued_in_a_transaction_that_rolls_back_is_never_sent(sell, smtp, worker, operator):
    order = sell(1)
    tasks, messages = DBTaskResult.objects.count(), Message.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.send_tickets(order, actor=operator)
        raise RuntimeError("the change that queued the email failed")

    assert (DBTaskResult.objects.count(), Message.objects.count()) == (tasks, messages)
    worker()
    assert smtp.received == []


def test_tickets_queued_before_a_reissue_are_sent_as_the_new_tickets(sell, smtp, worker, operator):
    order = sell(2, send_tickets=True)
    old = live_barcodes(order)
    new = [t.barcode for t in ticket_services.reissue_tickets(order, actor=operator)]

    worker()

    mail = smtp.received[0].email
    pdf = pdf_attachment(mail, f"tickets-{order.code}.pdf")
    assert ticket_barcodes(pdf) == new
    plain, html = bodies(mail)
    for content in (plain, html, text(pdf)):
        assert all(barcode in content for barcode in new)
        assert not any(barcode in content for barcode in old)


def test_tickets_of_an_order_removed_after_queueing_are_not_sent(sell, smtp, worker, operator):
    order = sell(2, send_tickets=True)
    order_services.remove_order(order, actor=operator, reason="The buyer cannot come")

    worker()

    assert smtp.received == []
    assert smtp.handler.rcpt_calls == 0
    message = message_of(order)
    assert message.status == Message.Status.FAILED
    assert message.sent_at is None
    assert order.code in message.last_error and "removed" in message.last_error


def test_after_a_reschedule_the_email_says_what_moved_and_that_the_same_tickets_still_admit(
    sell, smtp, worker, operator, other_timeslot
):
    from boxoffice.core.services.reschedule import reschedule_order

    order = sell(2, send_tickets=True)
    worker()
    reschedule_order(order, to_timeslot=other_timeslot, actor=operator, send_tickets=True)
    worker()
    plain, html = bodies(smtp.received[-1].email)
    assert "Your visit has moved:" in plain
    assert "Monday 1 March 2027, 10:00–11:00  →  Monday 1 March 2027, 11:00–12:00" in plain
    assert "keep their barcodes" in plain and "no longer work" not in plain  # a move keeps the barcodes
    assert "Your visit has moved" in html


def test_after_a_reissue_the_email_says_earlier_tickets_no_longer_work(sell, smtp, worker, operator):
    from boxoffice.core.services import orders as order_services
    from boxoffice.core.services.tickets import reissue_tickets

    order = sell(1, send_tickets=True)
    worker()
    reissue_tickets(order, actor=operator)
    order_services.send_tickets(order, actor=operator)
    worker()
    plain, _ = bodies(smtp.received[-1].email)
    assert "Here are your new tickets. They replace the ones we sent you before: those no longer work." in plain


def test_a_first_tickets_email_is_plain_and_dutch_for_a_dutch_buyer_with_venue_and_contact(
    smtp, worker, event, operator, timeslot, adult, organizer
):
    from boxoffice.core.models import Event
    from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

    Event.objects.filter(pk=event.pk).update(address="Museumplein 1\n1071 DJ Amsterdam", reentry_allowed=True)
    organizer.email = "kassa@museum.test"
    organizer.save(update_fields=["email"])
    event.refresh_from_db()
    sell_order(Sale(event=event, buyer=BuyerDetails(email="joost@example.test", name="Joost", language="nl"),
                    lines=[SaleLine(adult.pk, timeslot.pk, 1)], payment_method="card", send_tickets=True), actor=operator)  # fmt: skip
    worker()
    plain, _ = bodies(smtp.received[-1].email)
    assert "maandag 1 maart 2027, 10:00–11:00" in plain
    assert "Museumplein 1" in plain and "kassa@museum.test" in plain
    assert "naar buiten en weer terug mag" in plain and "verplaatst" not in plain
