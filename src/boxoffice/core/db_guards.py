"""Rules the database itself enforces beyond Django's field options: a ticket's timeslot and
order belong to the ticket's event. On SQLite the rule is a pair of triggers, and SQLite drops
a table's triggers whenever a migration rebuilds the table, so they are put back after every
migrate (CREATE TRIGGER IF NOT EXISTS)."""


SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS ticket_event_matches_{name}
BEFORE {when} ON core_ticket
WHEN (SELECT event_id FROM core_timeslot WHERE id = NEW.timeslot_id) IS NOT NEW.event_id
  OR (SELECT event_id FROM core_order WHERE id = NEW.order_id) IS NOT NEW.event_id
BEGIN
  SELECT RAISE(ABORT, 'ticket_timeslot_of_another_event');
END
"""

POSTGRES_FUNCTION = """
CREATE FUNCTION core_ticket_event_matches() RETURNS trigger AS $$
BEGIN
  IF (SELECT event_id FROM core_timeslot WHERE id = NEW.timeslot_id) IS DISTINCT FROM NEW.event_id
     OR (SELECT event_id FROM core_order WHERE id = NEW.order_id) IS DISTINCT FROM NEW.event_id THEN
    RAISE EXCEPTION 'ticket_timeslot_of_another_event' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql
"""




def sqlite_triggers() -> list[str]:
    return [
        SQLITE_TRIGGER.format(name="INSERT", when="INSERT"),
        # Only a change of these columns can break the rule; scans and bulk actions skip it.
        SQLITE_TRIGGER.format(name="UPDATE", when="UPDATE OF timeslot_id, order_id, event_id"),
    ]


def ensure_sqlite_triggers(using: str = "default", **_) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = connection.introspection.table_names()
    if "core_ticket" not in tables:
        return
    with connection.cursor() as cursor:
        for statement in sqlite_triggers():
            cursor.execute(statement)
