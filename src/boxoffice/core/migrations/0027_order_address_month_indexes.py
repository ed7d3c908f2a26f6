import re
from datetime import UTC, datetime

from django.db import migrations

from boxoffice.core import month_indexes

_EMAIL_MONTH = re.compile(r"^order_email_trgm_(\d{4})_(\d{2})$")
_ADDRESS_MONTH = re.compile(r"^order_address_trgm_(\d{4})_(\d{2})$")


def _months(connection, pattern):
    """The month indexes whose names match, with their months."""
    months = {}
    for name in month_indexes.existing(connection.alias):
        if match := pattern.match(name):
            months[name] = datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)
    return months


def _drop(connection, names):
    concurrently = "CONCURRENTLY " if not connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP INDEX {concurrently}{name}")


def address_indexes(apps, schema_editor):
    """The new indexes first, then the old ones dropped: a search of the code before keeps
    its indexes while the new ones are built."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    month_indexes.prepare(connection.alias)
    _drop(connection, _months(connection, _EMAIL_MONTH))


def email_indexes(apps, schema_editor):
    """Back to the plain address indexes of 0026, one for each month that has a new one."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    concurrently = "CONCURRENTLY " if not connection.in_atomic_block else ""
    with connection.cursor() as cursor:
        for month in _months(connection, _ADDRESS_MONTH).values():
            cursor.execute(
                f"CREATE INDEX {concurrently}order_email_trgm_{month:%Y_%m} ON core_order "
                "USING gin (folded_buyer_email gin_trgm_ops) WITH (fastupdate = off) "
                f"WHERE created_at >= {month_indexes.bound(month)} "
                f"AND created_at < {month_indexes.bound(month_indexes.next_month(month))}"
            )
    _drop(connection, _months(connection, _ADDRESS_MONTH))


class Migration(migrations.Migration):
    """Each month's trigram index of the addresses is of the addresses with their separators
    written as digits (core/month_indexes.py, rules/contact.address_words), so that an address
    fragment with a short word ("martina.o") is narrowed by the trigrams across its separator.
    Outside a transaction, so that the indexes are built and dropped CONCURRENTLY."""

    atomic = False

    dependencies = [
        ("core", "0026_order_month_trigram_indexes"),
    ]

    operations = [migrations.RunPython(address_indexes, email_indexes)]
