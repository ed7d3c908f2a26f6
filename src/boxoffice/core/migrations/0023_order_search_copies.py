from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from boxoffice.core.db_guards import sqlite_triggers
from boxoffice.core.vendor_sql import VendorSQL

# SQLite rebuilds core_order to add a column, and cannot rename the new table into place while
# the ticket triggers name the old one: they are dropped around it and made again.
TICKET_TRIGGERS = ["DROP TRIGGER IF EXISTS ticket_event_matches_INSERT", "DROP TRIGGER IF EXISTS ticket_event_matches_UPDATE"]


def copy_buyers(apps, schema_editor):
    Order, Buyer = apps.get_model("core", "Order"), apps.get_model("core", "Buyer")
    buyer = Buyer.objects.filter(pk=OuterRef("buyer_id"))
    Order.objects.using(schema_editor.connection.alias).update(
        buyer_name=Subquery(buyer.values("name")[:1]), buyer_email=Subquery(buyer.values("email_normalized")[:1])
    )


class Migration(migrations.Migration):
    """Orders keep a copy of their buyer's name and address, so that Look up orders tests a
    fragment on the orders themselves: newest first from one index, or through a trigram
    index on PostgreSQL when the fragment is rare (selectors/orders.py). The buyers' own
    trigram indexes on name and address are no longer read."""

    dependencies = [
        ("core", "0022_read_replicas"),
    ]

    operations = [
        VendorSQL(forwards={"sqlite": TICKET_TRIGGERS}, backwards={"sqlite": sqlite_triggers()}),
        migrations.AddField(
            model_name="order",
            name="buyer_email",
            field=models.CharField(blank=True, default="", max_length=254),
        ),
        migrations.AddField(
            model_name="order",
            name="buyer_name",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(copy_buyers, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="order",
            name="order_org_created_idx",
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["organizer", "-created_at", "-id"],
                include=("event", "status", "buyer_name", "buyer_email"),
                name="order_recent_idx",
            ),
        ),
        VendorSQL(
            forwards={"postgresql": [
                "CREATE INDEX order_buyer_name_trgm_idx ON core_order USING gin (UPPER(buyer_name) gin_trgm_ops)",
                "CREATE INDEX order_buyer_email_trgm_idx ON core_order USING gin (UPPER(buyer_email) gin_trgm_ops)",
                "DROP INDEX buyer_name_trgm_idx",
                "DROP INDEX buyer_email_trgm_idx",
            ]},
            backwards={"postgresql": [
                "CREATE INDEX buyer_name_trgm_idx ON core_buyer USING gin (UPPER(name) gin_trgm_ops)",
                "CREATE INDEX buyer_email_trgm_idx ON core_buyer USING gin (UPPER(email_normalized) gin_trgm_ops)",
                "DROP INDEX order_buyer_name_trgm_idx",
                "DROP INDEX order_buyer_email_trgm_idx",
            ]},
        ),
        VendorSQL(forwards={"sqlite": sqlite_triggers()}, backwards={"sqlite": TICKET_TRIGGERS}),
    ]
