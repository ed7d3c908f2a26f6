"""Concurrent writers on a real PostgreSQL server: places are never oversold, counters stay
equal to the live tickets, and changes to one order run one after the other.

Every test starts its threads together on a barrier; each thread uses its own database
connection (Django's are per thread) and closes it when done."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from boxoffice.core.errors import DomainError
from boxoffice.core.models import AuditEntry, Buyer, Order, Shift, Ticket, TicketType, Timeslot
from boxoffice.core.rules.contact import folded
from boxoffice.core.services import orders as order_services
from boxoffice.core.services import changes, reschedule, setup, shifts, tickets
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True)]

BARRIER_TIMEOUT = 60  # seconds; a thread that never arrives fails the test instead of hanging it


def run_together(calls):
    """Run every zero-argument callable in its own thread, all released at once.
    Returns one ("ok", result) or ("error", exception) per call, in the order given."""
    barrier = threading.Barrier(len(calls), timeout=BARRIER_TIMEOUT)

    def worker(call):
        try:
            barrier.wait()
            return "ok", call()
        except Exception as exc:  # noqa: BLE001 - reported to the test, which asserts on it
            return "error", exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(worker, calls))


def error_codes(outcomes) -> Counter:
    """How many calls failed with each DomainError code; any other exception fails the test."""
    unexpected = [exc for kind, exc in outcomes if kind == "error" and not isinstance(exc, DomainError)]
    summary = "; ".join(f"{type(e).__name__}: {str(e).splitlines()[0]}" for e in unexpected)
    assert not unexpected, f"unexpected errors: {summary}"
    return Counter(exc.code for kind, exc in outcomes if kind == "error")


def successes(outcomes) -> list:
    return [result for kind, result in outcomes if kind == "ok"]


def live_tickets(**filters) -> int:
    return Ticket.objects.filter(**filters).exclude(state=Ticket.State.VOID).count()


def assert_counters_match_live_tickets(event) -> None:
    """Every timeslot's and ticket type's `sold` equals its live tickets."""
    for slot in Timeslot.objects.filter(event=event):
        assert slot.sold == live_tickets(timeslot=slot), f"timeslot {slot.pk}"
        assert slot.sold <= slot.capacity
    for ticket_type in TicketType.objects.filter(event=event):
        assert ticket_type.sold == live_tickets(ticket_type=ticket_type), f"ticket type {ticket_type.pk}"


def warm(*memberships) -> None:
    """Load the lazy relations the services read from shared actor objects, so that threads
    only read them."""
    for membership in memberships:
        _ = membership.user.email, membership.organizer.slug


def audit_actions(order, prefix: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(order=order, action__startswith=prefix).order_by("pk"))


def test_concurrent_sales_never_sell_more_places_than_are_left(sell, make_timeslot, operator, event, adult):
    slot = make_timeslot(capacity=12)
    sell(2, slot=slot, email="early@example.test")
    warm(operator)
    _ = event.organizer

    outcomes = run_together(
        [lambda i=i: sell(1, slot=slot, email=f"visitor{i}@example.test", name=f"Visitor {i}") for i in range(50)]
    )

    sold = successes(outcomes)
    assert len(sold) == 10
    assert error_codes(outcomes) == {"timeslot_full": 40}
    slot.refresh_from_db()
    assert slot.sold == slot.capacity == 12
    assert live_tickets(timeslot=slot) == Ticket.objects.filter(timeslot=slot).count() == 12
    assert Order.objects.filter(event=event).count() == 11
    # A refused sale leaves nothing behind: no buyer, no order, no audit entry.
    assert Buyer.objects.filter(organizer=event.organizer).count() == 11
    assert AuditEntry.objects.filter(action="order.sold").count() == 11
    assert {o.tickets.count() for o in sold} == {1}
    assert_counters_match_live_tickets(event)


def test_concurrent_reschedules_take_no_more_places_than_the_target_has(sell, make_timeslot, operator, event):
    before = make_timeslot(capacity=10)
    target = make_timeslot(capacity=5)
    after = [make_timeslot(capacity=10) for _ in range(2)]
    sources = [before, *after]  # timeslots on both sides of the target's id: locks go in id order
    orders = [sell(1, slot=sources[i % 3], email=f"guest{i}@example.test") for i in range(20)]
    for order in orders:
        _ = order.event.name
    warm(operator)

    outcomes = run_together(
        [lambda o=o: reschedule.reschedule_order(o, to_timeslot=target, actor=operator) for o in orders]
    )

    assert len(successes(outcomes)) == 5
    assert error_codes(outcomes) == {"timeslot_full": 15}
    target.refresh_from_db()
    assert target.sold == target.capacity == 5
    moved = [o for o, (kind, _) in zip(orders, outcomes) if kind == "ok"]
    assert {t.order_id for t in Ticket.objects.filter(timeslot=target)} == {o.pk for o in moved}
    for order, (kind, _) in zip(orders, outcomes):
        assert len(audit_actions(order, "order.rescheduled")) == (1 if kind == "ok" else 0)
    assert sum(Timeslot.objects.get(pk=s.pk).sold for s in sources) == 15
    assert_counters_match_live_tickets(event)


def test_removing_and_rescheduling_one_order_at_once_keeps_counters_equal_to_live_tickets(
    sell, timeslot, other_timeslot, operator, event, adult
):
    orders = [sell(2, email=f"pair{i}@example.test") for i in range(8)]
    for order in orders:
        _ = order.event.name
    warm(operator)
    calls = []
    for order in orders:
        calls.append(lambda o=order: order_services.remove_order(o, actor=operator, reason="The buyer cannot come"))
        calls.append(lambda o=order: reschedule.reschedule_order(o, to_timeslot=other_timeslot, actor=operator))

    outcomes = run_together(calls)

    removals, reschedules = outcomes[0::2], outcomes[1::2]
    assert all(kind == "ok" for kind, _ in removals), removals
    assert set(error_codes(reschedules)) <= {"order_removed"}
    for order, (kind, _) in zip(orders, reschedules):
        order.refresh_from_db()
        assert order.status == Order.Status.REMOVED
        assert live_tickets(order=order) == 0
        removed = audit_actions(order, "order.removed")
        moved = audit_actions(order, "order.rescheduled")
        assert len(removed) == 1
        if kind == "ok":
            # The reschedule ran first; the removal then released the places in the new timeslot.
            assert len(moved) == 1 and moved[0].pk < removed[0].pk
            assert set(removed[0].before["tickets"]) == set(moved[0].before)
        else:
            assert moved == []
    for slot in (timeslot, other_timeslot):
        slot.refresh_from_db()
        assert slot.sold == 0
    adult.refresh_from_db()
    assert adult.sold == 0
    assert_counters_match_live_tickets(event)


def test_concurrent_ticket_state_changes_on_one_order_each_see_the_previous_one(sell, operator, event):
    order = sell(3)
    barcodes = [t.barcode for t in order.tickets.all()]
    warm(operator)
    states = ["scanned_in", "scanned_out", "unscanned"] * 8

    outcomes = run_together(
        [lambda s=s: tickets.set_ticket_states(order, barcodes=barcodes, state=s, actor=operator) for s in states]
    )

    assert len(successes(outcomes)) == len(states)
    entries = audit_actions(order, "tickets.")
    assert len(entries) == len(states)
    assert entries[0].before == {b: "unscanned" for b in barcodes}
    for previous, entry in zip(entries, entries[1:]):
        assert entry.before == previous.after, "a state change read tickets another change had already changed"
    assert {t.barcode: t.state for t in order.tickets.all()} == entries[-1].after
    assert sorted(Counter(e.action for e in entries).values()) == [8, 8, 8]


def test_concurrent_reissues_of_one_order_each_void_the_previous_tickets(sell, timeslot, operator, event):
    order = sell(3)
    original = sorted(t.barcode for t in order.tickets.all())
    warm(operator)

    outcomes = run_together([lambda: tickets.reissue_tickets(order, actor=operator) for _ in range(12)])

    assert len(successes(outcomes)) == 12
    entries = audit_actions(order, "tickets.reissued")
    assert len(entries) == 12
    assert sorted(entries[0].after["void"]) == original
    for previous, entry in zip(entries, entries[1:]):
        assert sorted(entry.after["void"]) == sorted(previous.after["new"])
    live = Ticket.objects.filter(order=order).exclude(state=Ticket.State.VOID)
    assert sorted(t.barcode for t in live) == sorted(entries[-1].after["new"])
    assert Ticket.objects.filter(order=order).count() == 3 * 13
    assert Ticket.objects.filter(order=order, replaces__isnull=False).count() == 3 * 12
    timeslot.refresh_from_db()
    assert timeslot.sold == 3
    assert_counters_match_live_tickets(event)


def test_state_changes_racing_a_reissue_succeed_only_before_it(sell, operator, event):
    order = sell(2)
    barcodes = [t.barcode for t in order.tickets.all()]
    warm(operator)
    calls = [lambda: tickets.reissue_tickets(order, actor=operator)]
    calls += [
        lambda: tickets.set_ticket_states(order, barcodes=barcodes, state="scanned_in", actor=operator)
        for _ in range(9)
    ]

    outcomes = run_together(calls)

    assert outcomes[0][0] == "ok"
    state_changes = outcomes[1:]
    assert set(error_codes(state_changes)) <= {"ticket_void"}
    reissue = audit_actions(order, "tickets.reissued")
    scans = audit_actions(order, "tickets.scanned_in")
    assert len(reissue) == 1
    assert len(scans) == len(successes(state_changes))
    assert all(entry.pk < reissue[0].pk for entry in scans)
    old = Ticket.objects.filter(barcode__in=barcodes)
    assert {(t.state, t.void_reason) for t in old} == {("void", "reissued")}
    assert live_tickets(order=order) == 2
    assert_counters_match_live_tickets(event)


def test_concurrent_first_purchases_by_one_buyer_create_one_buyer(event, admin, operator, make_timeslot):
    # Each sale takes its own timeslot and ticket type, so nothing but the buyer is shared.
    types = [
        setup.create_ticket_type(event, name=f"Type {i}", price=Decimal("5.00"), vat_rate=Decimal("9"), actor=admin)
        for i in range(6)
    ]
    lines = [SaleLine(ticket_type.pk, make_timeslot(capacity=5).pk, 1) for ticket_type in types]
    warm(operator)
    _ = event.organizer
    spellings = ["Sam@Example.test", " sam@example.test", "SAM@EXAMPLE.TEST"]

    outcomes = run_together(
        [
            lambda i=i, line=line: sell_order(
                Sale(
                    event=event,
                    buyer=BuyerDetails(email=spellings[i % 3], name="Sam Visitor", phone="+31 6 1234 5678"),
                    lines=[line],
                    payment_method="cash",
                ),
                actor=operator,
            )
            for i, line in enumerate(lines)
        ]
    )

    assert error_codes(outcomes) == {}
    buyers = Buyer.objects.filter(organizer=event.organizer, email_normalized="sam@example.test")
    assert buyers.count() == 1
    assert {o.buyer_id for o in successes(outcomes)} == {buyers.get().pk}
    assert Order.objects.filter(buyer=buyers.get()).count() == 6
    assert_counters_match_live_tickets(event)


def test_sales_and_reschedules_into_one_timeslot_at_once_neither_deadlock_nor_oversell(
    sell, timeslot, make_timeslot, operator, event
):
    target = make_timeslot(capacity=10)
    orders = [sell(1, slot=timeslot, email=f"mover{i}@example.test") for i in range(10)]
    for order in orders:
        _ = order.event.name
    warm(operator)
    _ = event.organizer
    calls = []
    for i, order in enumerate(orders):
        calls.append(lambda o=order: reschedule.reschedule_order(o, to_timeslot=target, actor=operator))
        calls.append(lambda i=i: sell(1, slot=target, email=f"walkin{i}@example.test"))

    outcomes = run_together(calls)

    assert error_codes(outcomes) == {"timeslot_full": 10}
    target.refresh_from_db()
    assert target.sold == target.capacity == 10
    assert_counters_match_live_tickets(event)


def test_twenty_concurrent_type_changes_into_a_quota_of_five_make_exactly_five(sell, operator, admin, event, adult):
    vip = setup.create_ticket_type(event, name="VIP", price=Decimal("40.00"), vat_rate=Decimal("9"), quota=5, actor=admin)
    orders = [sell(1, email=f"upgrade{i}@example.test") for i in range(20)]
    for order in orders:
        _ = order.event.name
    warm(operator)

    outcomes = run_together([
        lambda o=o: changes.change_ticket_type(o, barcodes=[o.tickets.get().barcode], to_type=vip.pk, actor=operator)
        for o in orders
    ])  # fmt: skip

    assert len(successes(outcomes)) == 5
    assert error_codes(outcomes) == {"ticket_type_sold_out": 15}
    vip.refresh_from_db()
    assert vip.sold == 5 == live_tickets(ticket_type=vip)
    for order, (kind, _) in zip(orders, outcomes):
        order.refresh_from_db()
        assert order.total == (Decimal("40.00") if kind == "ok" else Decimal("17.50"))
        assert len(audit_actions(order, "tickets.type_changed")) == (1 if kind == "ok" else 0)
    assert_counters_match_live_tickets(event)


def test_two_desks_removing_the_same_ticket_at_once_remove_it_once(sell, operator, event):
    order = sell(3)
    barcode = order.tickets.first().barcode
    _ = order.event.name
    warm(operator)

    outcomes = run_together(
        [lambda: changes.remove_tickets(order, barcodes=[barcode], reason="twice", actor=operator) for _ in range(2)]
    )

    assert len(successes(outcomes)) == 1
    assert error_codes(outcomes) == {"ticket_void": 1}
    order.refresh_from_db()
    assert order.total == Decimal("35.00") and order.lines.filter(kind="removed").count() == 1
    assert_counters_match_live_tickets(event)


def test_a_shift_closed_twice_at_once_closes_once(operator):
    shift = shifts.open_shift(operator, desk="Desk 1", opening_float=Decimal("100.00"))
    warm(operator)

    outcomes = run_together([
        lambda amount=amount: shifts.close_shift(shift, counted_cash=amount, counted_card=None, actor=operator)
        for amount in (Decimal("100.00"), Decimal("90.00"))
    ])  # fmt: skip

    assert len(successes(outcomes)) == 1
    assert error_codes(outcomes) == {"shift_closed": 1}
    assert AuditEntry.objects.filter(action="shift.closed").count() == 1
    closed = Shift.objects.get(pk=shift.pk)
    assert closed.counted_cash == Decimal(AuditEntry.objects.get(action="shift.closed").after["counted_cash"])


def test_a_buyer_renamed_while_their_orders_are_sold_leaves_no_order_under_an_old_name(
    sell, make_timeslot, operator, event, adult
):
    """Look up orders tests names on each order's copy (Order.folded_buyer_name): a sale and a
    rename of the same buyer at the same moment must leave every order with the name the
    buyer has at the end."""
    from boxoffice.core.services.buyers import update_buyer

    slot = make_timeslot(capacity=100)
    first = sell(1, email="ann@example.test", name="Ann Buyer", slot=slot)
    warm(operator)
    sale = Sale(event=event, buyer=BuyerDetails(email="ann@example.test", name="Ann Buyer"),
                lines=[SaleLine(adult.pk, slot.pk, 1)], payment_method="card")  # fmt: skip
    names = [f"Ann Renamed {i}" for i in range(6)]
    calls = [lambda: sell_order(sale, actor=operator) for _ in range(12)]
    calls += [lambda n=n: update_buyer(first, actor=operator, name=n, email="ann@example.test") for n in names]

    outcomes = run_together(calls)

    assert not error_codes(outcomes)
    buyer = Buyer.objects.get(email_normalized="ann@example.test")
    assert buyer.name in names
    assert set(Order.objects.filter(buyer=buyer).values_list("folded_buyer_name", flat=True)) == {folded(buyer.name)}
    assert Order.objects.filter(buyer=buyer).count() == 13
