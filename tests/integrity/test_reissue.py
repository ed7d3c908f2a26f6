"""A reissue in the portal: the confirmation says what each new ticket inherits, and an old
barcode typed or scanned into Look up orders finds the order and says it was reissued."""

import pytest

from boxoffice.core.services import tickets as ticket_services


def _barcodes(order) -> list[str]:
    return list(order.tickets.order_by("pk").values_list("barcode", flat=True))


def test_the_confirmation_says_what_the_new_tickets_inherit(desk, sell, operator):
    order = sell(3)
    inside, stopped, _ = _barcodes(order)
    ticket_services.set_ticket_states(order, barcodes=[inside], state="scanned_in", actor=operator)
    ticket_services.set_ticket_states(order, barcodes=[stopped], state="blacklisted", actor=operator)
    page = desk.get(f"/o/museum/orders/{order.code}/ticket-operations/", {"action": "reissue", "tickets": [inside]})
    text = page.content.decode()
    assert "same types, time blocks and states" in text
    assert "1 will be scanned in already (a second entry is refused)" in text
    assert "1 blacklisted (the gate refuses it)" in text


@pytest.mark.parametrize("typed", [str.upper, str.lower])
def test_an_old_barcode_finds_the_order_and_says_it_was_reissued(desk, sell, operator, typed):
    order = sell(1)
    (old,) = _barcodes(order)
    (first,) = ticket_services.reissue_tickets(order, actor=operator)
    (current,) = ticket_services.reissue_tickets(order, actor=operator)
    answer = desk.get("/o/museum/", {"q": typed(old)}, follow=True)
    assert answer.redirect_chain == [(f"/o/museum/orders/{order.code}/", 302)]
    assert f"Barcode {old} was reissued and is no longer valid; it was replaced by {current.barcode}" in answer.content.decode()
