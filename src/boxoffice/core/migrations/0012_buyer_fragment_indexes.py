from django.db import migrations

from boxoffice.core.vendor_sql import VendorSQL


class Migration(migrations.Migration):
    """Part of an email ("yara.smit") and the last digits of a phone find buyers through
    trigram indexes on PostgreSQL, as name fragments do (selectors/orders.py)."""

    dependencies = [
        ("core", "0011_jobs"),
    ]

    operations = [
        VendorSQL(
            forwards={"postgresql": [
                "CREATE INDEX buyer_email_trgm_idx ON core_buyer USING gin (UPPER(email_normalized) gin_trgm_ops)",
                "CREATE INDEX buyer_phone_trgm_idx ON core_buyer USING gin (phone_normalized gin_trgm_ops)",
            ]},
            backwards={"postgresql": ["DROP INDEX buyer_email_trgm_idx", "DROP INDEX buyer_phone_trgm_idx"]},
        ),
    ]
