"""The ticket PDF (§3.4, §3.7): one page per valid ticket, each with a QR code of its barcode
that a real decoder reads; void tickets are never printed; a selection prints only itself."""

import pytest

from boxoffice import documents
from boxoffice.core.errors import DomainError
from boxoffice.core.models import Ticket
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import tickets as ticket_services

from .pdf import page_count, page_texts, text, text_overlaps_qr, ticket_barcodes


def barcodes(order, *, live_only: bool = True) -> list[str]:
    tickets = Ticket.objects.filter(order=order).order_by("pk")
    if live_only:
        tickets = tickets.exclude(state=Ticket.State.VOID)
    return list(tickets.values_list("barcode", flat=True))


def test_ticket_pdf_has_one_page_per_ticket_with_a_qr_code_of_its_barcode(sell):
    order = sell(3)

    pdf = documents.tickets_pdf(order)

    assert page_count(pdf) == 3
    assert ticket_barcodes(pdf) == barcodes(order)


def test_ticket_page_shows_event_time_in_the_event_timezone_type_holder_and_order(sell):
    order = sell(1, name="Ann Buyer")

    (page,) = page_texts(documents.tickets_pdf(order))
    page = " ".join(page.split())  # lines wrap beside the QR code

    # The timeslot is 10:00-11:00 in Amsterdam (09:00 UTC), shown as the visitor reads it.
    for expected in ("City Museum", "Old Masters", "Main hall", "Monday 1 March 2027, 10:00–11:00",
                     "Adult", "EUR 17.50", "Ann Buyer", order.code, barcodes(order)[0]):  # fmt: skip
        assert expected in page, (expected, page)
    assert "09:00" not in page
    assert "CET" not in page and "TIME ZONE" not in page  # the event is in the organizer's own time zone


def _fresh(order):
    from boxoffice.core.models import Order

    return Order.objects.select_related("event", "organizer", "buyer").get(pk=order.pk)


def test_an_event_in_another_time_zone_says_which(sell, event):
    from boxoffice.core.models import Event

    Event.objects.filter(pk=event.pk).update(timezone="Europe/London")
    order = _fresh(sell(1))
    (page,) = page_texts(documents.tickets_pdf(order))
    assert "TIME ZONE" in page and "GMT" in page and "Monday 1 March 2027, 09:00–10:00" in " ".join(page.split())


@pytest.mark.parametrize("field", ["event", "ticket_type", "holder"])
def test_long_names_never_run_into_the_qr_code(sell, event, adult, field, operator):
    from boxoffice.core.models import Event, TicketType

    long = "Rijksmuseum Grand Retrospective of the Dutch Golden Age Masters and Their Pupils, Rivals and Followers"
    long = (long + " " + long)[:120]
    if field == "event":
        Event.objects.filter(pk=event.pk).update(name=long, venue="Philips Wing, " + "very long venue name " * 8)
    elif field == "ticket_type":
        TicketType.objects.filter(pk=adult.pk).update(name=long + " " + long[:70])  # the column holds 200
    order = _fresh(sell(1, name=long[:200] if field == "holder" else "Ann Buyer"))
    content = documents.tickets_pdf(order)
    assert not text_overlaps_qr(content), field
    assert ticket_barcodes(content) == barcodes(order)  # still decodes
    if field == "event":
        assert "Rijksmuseum Grand Retrospective" in " ".join(page_texts(content)[0].split())


def test_the_ticket_says_whether_re_entry_is_allowed(sell, event):
    from boxoffice.core.models import Event

    assert "admits one person once" in page_texts(documents.tickets_pdf(sell(1)))[0]
    Event.objects.filter(pk=event.pk).update(reentry_allowed=True, address="Museumplein 1\n1071 DJ Amsterdam")
    page = page_texts(documents.tickets_pdf(_fresh(sell(1))))[0]
    assert "who may leave and come back" in page and "Museumplein 1, 1071 DJ Amsterdam" in page


def test_void_tickets_are_never_printed(sell, operator):
    order = sell(2)
    old = barcodes(order)
    new = [t.barcode for t in ticket_services.reissue_tickets(order, actor=operator)]

    pdf = documents.tickets_pdf(order)

    assert ticket_barcodes(pdf) == new
    content = text(pdf)
    assert not any(barcode in content for barcode in old)


def test_a_selection_prints_only_the_selected_tickets(sell):
    order = sell(3)
    first, _, third = barcodes(order)

    pdf = documents.tickets_pdf(order, barcodes=[third, first])

    assert page_count(pdf) == 2
    assert sorted(ticket_barcodes(pdf)) == sorted([first, third])


def test_a_selection_accepts_barcodes_as_a_scanner_types_them(sell):
    order = sell(2)
    first, _ = barcodes(order)

    pdf = documents.tickets_pdf(order, barcodes=[f"  {first.lower()} "])

    assert ticket_barcodes(pdf) == [first]


def test_a_selection_with_a_ticket_of_another_order_is_refused(sell):
    order, other = sell(1), sell(1, email="bob@example.test", name="Bob")
    stranger = barcodes(other)[0]

    with pytest.raises(DomainError) as refused:
        documents.tickets_pdf(order, barcodes=[barcodes(order)[0], stranger])

    assert refused.value.code == "ticket_not_in_order"
    assert refused.value.details["barcodes"] == [stranger]


def test_a_selection_with_a_void_ticket_is_refused(sell, operator):
    order = sell(1)
    (old,) = barcodes(order)
    ticket_services.reissue_tickets(order, actor=operator)

    with pytest.raises(DomainError) as refused:
        documents.tickets_pdf(order, barcodes=[old])

    assert refused.value.code == "ticket_void"
    assert refused.value.details["barcodes"] == [old]


def test_a_removed_order_has_no_tickets_to_print(sell, operator):
    order = sell(2)
    order_services.remove_order(order, actor=operator, reason="The buyer cannot come")

    with pytest.raises(DomainError) as refused:
        documents.tickets_pdf(order)

    assert refused.value.code == "nothing_to_send"
