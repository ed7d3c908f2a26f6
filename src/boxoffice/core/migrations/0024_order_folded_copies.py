from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower

from boxoffice.core.rules.contact import folded
from boxoffice.core.vendor_sql import VendorSQL

TRIGRAM_INDEXES = ["DROP INDEX order_buyer_name_trgm_idx", "DROP INDEX order_buyer_email_trgm_idx"]
FOLDED_TRIGRAM_INDEXES = [
    "CREATE INDEX order_buyer_name_trgm_idx ON core_order USING gin (folded_buyer_name gin_trgm_ops)",
    "CREATE INDEX order_buyer_email_trgm_idx ON core_order USING gin (folded_buyer_email gin_trgm_ops)",
]
UPPER_TRIGRAM_INDEXES = [
    "CREATE INDEX order_buyer_name_trgm_idx ON core_order USING gin (UPPER(buyer_name) gin_trgm_ops)",
    "CREATE INDEX order_buyer_email_trgm_idx ON core_order USING gin (UPPER(buyer_email) gin_trgm_ops)",
]


def fold_copies(apps, schema_editor):
    """One UPDATE lowers every copy (for ASCII, lower() is the fold); the buyers whose name or
    address is not ASCII then have their orders' copies folded one by one, in Python, so that
    they are exactly what rules/contact.folded makes of a new sale."""
    Order, Buyer = apps.get_model("core", "Order"), apps.get_model("core", "Buyer")
    alias = schema_editor.connection.alias
    buyer = Buyer.objects.using(alias).filter(pk=OuterRef("buyer_id"))
    Order.objects.using(alias).update(
        folded_buyer_name=Subquery(buyer.values(lowered=Lower("name"))[:1]),
        folded_buyer_email=Subquery(buyer.values(lowered=Lower("email_normalized"))[:1]),
    )
    for pk, name, email in Buyer.objects.using(alias).values_list("pk", "name", "email_normalized").iterator():
        if not (name + email).isascii():
            Order.objects.using(alias).filter(buyer_id=pk).update(
                folded_buyer_name=folded(name), folded_buyer_email=folded(email)
            )
    _run_pending_checks(schema_editor)


def unfold_copies(apps, schema_editor):
    Order, Buyer = apps.get_model("core", "Order"), apps.get_model("core", "Buyer")
    buyer = Buyer.objects.using(schema_editor.connection.alias).filter(pk=OuterRef("buyer_id"))
    Order.objects.using(schema_editor.connection.alias).update(
        folded_buyer_name=Subquery(buyer.values("name")[:1]),
        folded_buyer_email=Subquery(buyer.values("email_normalized")[:1]),
    )
    _run_pending_checks(schema_editor)


def _run_pending_checks(schema_editor):
    """A rewrite of every order queues the checks of its deferred foreign keys; PostgreSQL makes
    no index on a table with checks pending in the transaction, so they are run at once."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    """The orders' copies of their buyer's name and address are stored case-folded, and the
    trigram indexes are on the columns themselves: a search folds its term once instead of
    every row it tests (bench/README.md). The indexes are made again after the copies are
    rewritten, which is quicker than updating them row by row."""

    dependencies = [
        ("core", "0023_order_search_copies"),
    ]

    operations = [
        VendorSQL(forwards={"postgresql": TRIGRAM_INDEXES}, backwards={"postgresql": UPPER_TRIGRAM_INDEXES}),
        migrations.RemoveIndex(model_name="order", name="order_recent_idx"),
        migrations.RenameField(model_name="order", old_name="buyer_email", new_name="folded_buyer_email"),
        migrations.RenameField(model_name="order", old_name="buyer_name", new_name="folded_buyer_name"),
        migrations.RunPython(fold_copies, unfold_copies),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["organizer", "-created_at", "-id"],
                include=("event", "status", "folded_buyer_name", "folded_buyer_email"),
                name="order_recent_idx",
            ),
        ),
        VendorSQL(forwards={"postgresql": FOLDED_TRIGRAM_INDEXES}, backwards={"postgresql": TRIGRAM_INDEXES}),
    ]
