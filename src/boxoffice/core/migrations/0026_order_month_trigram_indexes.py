from django.db import migrations

from boxoffice.core import month_indexes
from boxoffice.core.vendor_sql import VendorSQL

ALL_ORDERS = ["DROP INDEX IF EXISTS order_buyer_name_trgm_idx", "DROP INDEX IF EXISTS order_buyer_email_trgm_idx"]
ALL_ORDERS_BACK = [
    "CREATE INDEX order_buyer_name_trgm_idx ON core_order USING gin (folded_buyer_name gin_trgm_ops)",
    "CREATE INDEX order_buyer_email_trgm_idx ON core_order USING gin (folded_buyer_email gin_trgm_ops)",
]


def make_month_indexes(apps, schema_editor):
    month_indexes.prepare(schema_editor.connection.alias)


def drop_month_indexes(apps, schema_editor):
    month_indexes.drop_all(schema_editor.connection.alias)


class Migration(migrations.Migration):
    """The orders' copies of their buyer's name and address get a trigram index per month
    (core/month_indexes.py) in place of one of all orders: Look up orders reads a fragment's
    newest months first and stops when it has enough (bench/README.md). Outside a transaction,
    so that the indexes are built CONCURRENTLY (a month of 83,000 orders in about a second)."""

    atomic = False

    dependencies = [
        ("core", "0025_order_search_statistics"),
    ]

    operations = [
        migrations.RunPython(make_month_indexes, drop_month_indexes),
        VendorSQL(forwards={"postgresql": ALL_ORDERS}, backwards={"postgresql": ALL_ORDERS_BACK}),
    ]
