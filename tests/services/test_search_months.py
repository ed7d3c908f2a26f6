"""Look up orders month by month (§3.1, core/month_indexes.py): a fragment's matches from every
month of the span, in their order, whatever month they fall in, and each month through its own
trigram index on PostgreSQL."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from boxoffice.core import month_indexes
from boxoffice.core.models import Order
from boxoffice.core.selectors import orders as orders_selector
from boxoffice.core.selectors.orders import OrderFilters, search_orders

postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="month indexes are PostgreSQL's")


def _dated(order, moment):
    Order.objects.filter(pk=order.pk).update(created_at=moment)
    return order.code


@pytest.fixture
def spread(sell, db):
    """A buyer's orders (and one of someone else) dated over eleven years, newest first."""
    now = timezone.now()
    month = month_indexes.month_of(now)
    moments = [
        month_indexes.next_month(month_indexes.next_month(month)) + timedelta(days=3),  # a clock set wrong
        now - timedelta(minutes=5),
        month_indexes.previous_month(month) + timedelta(days=20),
        month_indexes.previous_month(month) + timedelta(days=2),
        now - timedelta(days=150),
        now - timedelta(days=430),
        now - timedelta(days=11 * 366),  # older than any month index
    ]
    codes = [_dated(sell(1, email=f"ann{i}@example.test", name="Ann Smit"), moment) for i, moment in enumerate(moments)]
    _dated(sell(1, email="bob@example.test", name="Bob Jansen"), now - timedelta(days=40))
    return codes, moments


def _listed(organizer, **filters):
    found = search_orders(organizer, OrderFilters(search="smit", **filters))
    return [o.code for o in found[0:50]], found.count(), found.count_exact


def test_a_fragment_is_found_in_every_month_newest_first(organizer, spread):
    codes, _ = spread
    assert _listed(organizer) == (codes, len(codes), True)


def test_a_span_cuts_its_first_and_last_months_where_it_says(organizer, spread):
    codes, moments = spread
    tz = ZoneInfo(organizer.timezone)
    # From the day after the fourth order (in the month of the third) to the day of the second.
    since = timezone.localtime(moments[3], tz).date() + timedelta(days=1)
    until = timezone.localtime(moments[1], tz).date()
    assert _listed(organizer, created_from=since, created_to=until) == (codes[1:3], 2, True)
    # A span of last year only, and one wholly before the oldest month index.
    assert _listed(organizer, created_from=date.today() - timedelta(days=500), created_to=date.today() - timedelta(days=400)) == (
        [codes[5]], 1, True
    )
    old = (moments[6] - timedelta(days=3)).date()
    assert _listed(organizer, created_from=old, created_to=old + timedelta(days=6)) == ([codes[6]], 1, True)
    # A span in the future, and one that ends before it starts.
    assert _listed(organizer, created_from=date.today() + timedelta(days=1)) == ([codes[0]], 1, True)
    assert _listed(organizer, created_from=date.today(), created_to=date.today() - timedelta(days=1)) == ([], 0, True)


def test_a_span_from_year_one_to_year_9999_holds_every_order(organizer, spread):
    codes, _ = spread
    assert _listed(organizer, created_from=date(1, 1, 1), created_to=date(9999, 12, 31)) == (codes, len(codes), True)
    assert _listed(organizer, created_from=date(9999, 12, 31)) == ([], 0, True)
    assert _listed(organizer, created_to=date(1, 1, 1)) == ([], 0, True)


def test_beyond_the_bound_the_newest_months_give_the_count_and_the_walk_the_page(organizer, spread, monkeypatch):
    codes, _ = spread
    monkeypatch.setattr(orders_selector, "COUNT_BOUND", 2)
    assert _listed(organizer) == (codes, 2, False)
    assert _listed(organizer, created_from=date.today() - timedelta(days=200)) == (codes[:5], 2, False)


def test_beyond_the_bound_a_page_is_only_taken_from_the_months_the_walk_read_whole(organizer, sell, monkeypatch):
    """The walk stops inside the month that completes the count and takes any of its matches
    (here the older of last month's two, the first written): a page is taken from the walk
    only as far as the months before that one go, the rest from walking the newest orders."""
    last_month = month_indexes.previous_month(month_indexes.month_of(timezone.now()))
    older, newer, now = (sell(1, email=f"ann{i}@example.test", name="Ann Smit") for i in range(3))
    _dated(older, last_month + timedelta(days=2)), _dated(newer, last_month + timedelta(days=20))
    monkeypatch.setattr(orders_selector, "COUNT_BOUND", 1)
    found = search_orders(organizer, OrderFilters(search="smit"))
    assert ([o.code for o in found[0:2]], found.count_exact) == ([now.code, newer.code], False)
    assert [o.code for o in found[0:1]] == [now.code]
    assert [o.code for o in found[1:3]] == [newer.code, older.code]


def test_an_order_older_than_the_oldest_one_read_before_is_found(organizer, sell):
    """The walk keeps the date of the oldest order it read for a while; an order dated before
    it since (an import's, a clock set right) is still found, in its place."""
    codes = [sell(1, email=f"ann{i}@example.test", name="Ann Smit").code for i in range(2)]
    assert _listed(organizer) == (codes[::-1], 2, True)
    _dated(Order.objects.get(code=codes[1]), timezone.now() - timedelta(days=100))
    assert _listed(organizer) == (codes, 2, True)


def _only_month_indexes():
    """No other index of the orders to take (undone with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'core_order'::regclass "
            "AND NOT indisunique AND indexrelid::regclass::text !~ '_trgm_'"
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL indexes no table with checks pending


def _plan(found, walk) -> str:
    statement, params = orders_selector.first_matches_statement(found, 1001, (None, None), walk)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = 0; SET enable_indexscan = 0")  # a handful of orders: the planner would read them all
        cursor.execute(f"EXPLAIN {statement}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    return plan


@postgresql
def test_each_month_of_the_span_is_read_through_its_own_index(organizer, spread):
    """With no other index of the orders to take, the plan names this month's index and last
    month's: were a month's bounds written other than its index's condition, PostgreSQL could
    not take it and would read the whole table."""
    this = month_indexes.month_of(timezone.now())
    _only_month_indexes()
    with connection.cursor() as cursor:
        # The migration made the months from this one on; the spread has orders of the last.
        cursor.execute(month_indexes.index_sql("name", month_indexes.previous_month(this), concurrently=False))
    found = Order.objects.filter(folded_buyer_name__contains="smit").order_by().values_list("created_at", "pk")
    plan = _plan(found, orders_selector.month_walk(organizer, None, None))
    for month in (this, month_indexes.previous_month(this)):
        assert f"Bitmap Index Scan on order_name_trgm_{month:%Y_%m}" in plan


@postgresql
def test_an_address_fragment_is_read_through_the_months_index_of_the_addresses(organizer, sell):
    """The index holds the addresses with their separators as digits; the search must write
    that expression exactly as the index does, or PostgreSQL reads every order of the month."""
    sell(1, email="martina.ortiz@example.test", name="Martina Ortiz")
    _only_month_indexes()
    found = Order.objects.filter(orders_selector._in_address("martina.o")).order_by().values_list("created_at", "pk")
    plan = _plan(found, orders_selector.month_walk(organizer, None, None))
    scan = plan.split(f"Bitmap Index Scan on order_address_trgm_{month_indexes.month_of(timezone.now()):%Y_%m}")[1]
    # Looked up in it, not merely read whole for the month its condition holds.
    assert "Index Cond: (translate" in scan.splitlines()[1] and "~~ '%martina0o%'" in scan.splitlines()[1]


@postgresql
def test_the_migration_made_this_months_index_and_those_of_the_months_ahead(db):
    made = month_indexes.existing()
    month = month_indexes.month_of(timezone.now())
    for _ in range(month_indexes.MONTHS_AHEAD + 1):
        assert made[f"order_name_trgm_{month:%Y_%m}"] and made[f"order_address_trgm_{month:%Y_%m}"]
        month = month_indexes.next_month(month)


@postgresql
def test_preparing_makes_the_missing_months_once_back_to_the_oldest_order(organizer, sell):
    oldest = datetime(2024, 2, 10, tzinfo=UTC)
    _dated(sell(1), oldest)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL indexes no table with checks pending
    later = datetime.now(UTC) + timedelta(days=200)
    made = month_indexes.prepare(now=later)
    assert "order_name_trgm_2024_02" in made and "order_address_trgm_2024_03" in made
    ahead = month_indexes.month_of(later)
    for _ in range(month_indexes.MONTHS_AHEAD):
        ahead = month_indexes.next_month(ahead)
    assert f"order_name_trgm_{ahead:%Y_%m}" in made
    assert "order_name_trgm_2024_01" not in made
    assert month_indexes.prepare(now=later) == []


@postgresql
def test_an_index_left_invalid_is_made_again(db):
    """A concurrent build that was interrupted leaves its index invalid, and PostgreSQL never
    reads it; preparing replaces it."""
    name = f"order_name_trgm_{month_indexes.month_of(timezone.now()):%Y_%m}"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [name])
    assert month_indexes.existing()[name] is False
    assert month_indexes.prepare() == [name]
    assert month_indexes.existing()[name] is True


@postgresql
def test_the_workers_sweep_makes_a_missing_month(db):
    from boxoffice.delivery.worker import sweep

    name = f"order_address_trgm_{month_indexes.next_month(month_indexes.month_of(timezone.now())):%Y_%m}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {name}")
    assert name not in month_indexes.existing()
    sweep()
    assert month_indexes.existing()[name] is True
