"""Guards Django's field options cannot express: a ticket's timeslot and order belong to the
ticket's event (enforced by trigger on both databases), and a trigram index for finding
buyers by a fragment of their name on PostgreSQL."""

from django.db import migrations

from boxoffice.core.db_guards import POSTGRES_FUNCTION, sqlite_triggers
from boxoffice.core.vendor_sql import VendorSQL

class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        VendorSQL(
            forwards={
                "sqlite": sqlite_triggers(),
                "postgresql": [
                    POSTGRES_FUNCTION,
                    "CREATE TRIGGER ticket_event_matches BEFORE INSERT OR UPDATE OF timeslot_id, order_id, event_id "
                    "ON core_ticket FOR EACH ROW EXECUTE FUNCTION core_ticket_event_matches()",
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                    "CREATE INDEX buyer_name_trgm_idx ON core_buyer USING gin (UPPER(name) gin_trgm_ops)",
                ],
            },
            backwards={
                "sqlite": [
                    "DROP TRIGGER ticket_event_matches_INSERT",
                    "DROP TRIGGER ticket_event_matches_UPDATE",
                ],
                "postgresql": [
                    "DROP INDEX buyer_name_trgm_idx",
                    "DROP TRIGGER ticket_event_matches ON core_ticket",
                    "DROP FUNCTION core_ticket_event_matches()",
                ],
            },
        ),
    ]
