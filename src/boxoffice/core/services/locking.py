from boxoffice.core.models import Order


def lock_order(order: Order) -> Order:
    """The order re-read under a row lock: every change to an order and its tickets takes it
    first, so concurrent edits of one order run one after the other on fresh data."""
    return Order.objects.select_for_update().select_related("buyer", "event", "organizer").get(pk=order.pk)
