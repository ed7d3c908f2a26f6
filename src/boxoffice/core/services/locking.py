from boxoffice.core.models import Order


def lock_order(order: Order) -> Order:
    """The order re-read under a row lock: every change to an order and its tickets takes it
    first, so concurrent edits of one order run one after the other on fresh data.

    Only the order row is locked (of="self"), and as FOR NO KEY UPDATE: locking the joined
    event and organizer rows too would block every sale's foreign-key checks on them and
    deadlock against sales holding a timeslot row."""
    return (
        Order.objects.select_for_update(of=("self",), no_key=True)
        .select_related("buyer", "event", "organizer")
        .get(pk=order.pk)
    )
