"""A trigram index of each month's orders, on PostgreSQL, in place of one of all orders.

A common fragment ("mit") is in tens of thousands of orders of all time, and PostgreSQL reads
the whole of an index's lists for it before it can take the first match; the list of one
month is a twelfth as long. Look up orders asks the newest months first, each through its own
index, and stops when it has enough (selectors/orders.py): the first 1,001 matches of "mit"
14 → 3.6 ms at a million orders (bench/README.md). Months are UTC calendar months.

The indexes are made ahead of time: the migration makes them for every month that has orders,
the worker's sweep for the months to come. A missing one costs speed, never an answer: the
month's orders are then read by their date (the index of created_at) and tested one by one."""

import logging
from datetime import UTC, datetime

from django.db import connections

from boxoffice.core.rules.contact import ADDRESS_SEPARATOR_DIGITS, ADDRESS_SEPARATORS

logger = logging.getLogger(__name__)

# What is searched, each by the short name its month indexes carry: the name, and the address
# with its separators as digits (rules/contact.address_words; the expression exactly as
# models/orders.AddressWords writes it).
COLUMNS = {
    "name": "folded_buyer_name",
    "address": f"translate(folded_buyer_email, '{ADDRESS_SEPARATORS}', '{ADDRESS_SEPARATOR_DIGITS}')",
}
MONTHS_AHEAD = 3
# Orders older than this (an import's) get no month index: read by their date, slower.
OLDEST_YEARS = 10
_NAME = "order_{key}_trgm_{month:%Y_%m}"
_TABLE = "core_order"


def month_of(moment: datetime) -> datetime:
    """The start of moment's month, in UTC."""
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(month: datetime) -> datetime:
    return month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)


def previous_month(month: datetime) -> datetime:
    return month.replace(year=month.year - (month.month == 1), month=(month.month - 2) % 12 + 1)


def bound(moment: datetime) -> str:
    """A month's bound as SQL, written exactly as the index's condition has it: PostgreSQL takes
    a partial index only for a query whose conditions imply the index's."""
    return f"'{moment.astimezone(UTC).isoformat()}'::timestamptz"


def index_sql(key: str, month: datetime, *, concurrently: bool) -> str:
    """A month's index. Each sale goes into its month's index at once (fastupdate off): with
    GIN's default, sales wait in a pending list of up to 4 MB that every search must read
    through as well until the next vacuum (PostgreSQL's documentation, "GIN Fast Update")."""
    name = _NAME.format(key=key, month=month)
    return (
        f"CREATE INDEX {'CONCURRENTLY ' if concurrently else ''}{name} ON {_TABLE} "
        f"USING gin ({COLUMNS[key]} gin_trgm_ops) WITH (fastupdate = off) "
        f"WHERE created_at >= {bound(month)} AND created_at < {bound(next_month(month))}"
    )


def months_to_index(using: str = "default", *, now: datetime | None = None) -> list[datetime]:
    """From the month of the oldest order (or this one; at most OLDEST_YEARS back) to
    MONTHS_AHEAD months after this one."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT min(created_at) FROM {_TABLE}")
        (oldest,) = cursor.fetchone()
    this = month_of(now or datetime.now(UTC))
    month = max(min(month_of(oldest), this) if oldest else this, this.replace(year=this.year - OLDEST_YEARS))
    months = []
    while len(months) <= MONTHS_AHEAD or months[-MONTHS_AHEAD - 1] < this:
        months.append(month)
        month = next_month(month)
    return months


def existing(using: str = "default") -> dict[str, bool]:
    """The month indexes there are, by name, and whether each is valid (one whose concurrent
    build was interrupted is left invalid, and PostgreSQL never uses it)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND c.relname ~ '^order_[a-z]+_trgm_[0-9]{4}_[0-9]{2}$'",
            [_TABLE],
        )
        return dict(cursor.fetchall())


def prepare(using: str = "default", *, now: datetime | None = None) -> list[str]:
    """Make the month indexes that are missing (and again any left invalid); their names.
    Outside a transaction they are made CONCURRENTLY, so that sales go on while one is built
    (0.5–1 s for a month at a million orders); inside one (a test's) plainly."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    concurrently = not connection.in_atomic_block
    found = existing(using)
    made = []
    with connection.cursor() as cursor:
        for month in months_to_index(using, now=now):
            for key in COLUMNS:
                name = _NAME.format(key=key, month=month)
                if found.get(name):
                    continue
                if name in found:
                    logger.warning("Month index %s was left invalid; making it again", name)
                    cursor.execute(f"DROP INDEX {'CONCURRENTLY ' if concurrently else ''}{name}")
                cursor.execute(index_sql(key, month, concurrently=concurrently))
                made.append(name)
    return made


def drop_all(using: str = "default") -> None:
    if connections[using].vendor != "postgresql":
        return
    with connections[using].cursor() as cursor:
        for name in existing(using):
            cursor.execute(f"DROP INDEX {name}")
