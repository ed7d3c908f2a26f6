from boxoffice.core.models import AuditEntry, Message


def test_sale_creates_paid_order_with_tickets_and_queued_email(sell, timeslot):
    order = sell(3, send_tickets=True)
    assert order.status == "paid"
    assert order.tickets.count() == 3
    timeslot.refresh_from_db()
    assert timeslot.sold == 3
    assert Message.objects.get(order=order).kind == "tickets"
    assert AuditEntry.objects.get(order=order).action == "order.sold"
