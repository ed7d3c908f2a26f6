"""Written-out statements for the hottest request paths (a gate scan, an API token).

The ORM spends more time building a simple query than PostgreSQL spends running it, and
PostgreSQL spends more time planning a join than running it. These few statements are
written once and, on PostgreSQL, prepared once per connection (bench/README.md)."""

from datetime import UTC

import psycopg
from django.db import connection, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_PREPARE_ON_REQUEST_ONLY = 2**31 - 1


def execute(sql: str, params: list, *, rows: bool = True, using: str = "default"):
    """Run one statement: its rows, or with rows=False the count it changed. On PostgreSQL
    the statement is prepared once per connection. Django keeps psycopg's automatic
    preparing off (for connection poolers), so it is asked for here, statement by statement;
    Django's own cursors never prepare. (PgBouncer supports this from 1.21.) These statements
    bypass Django's cursor wrapper, so they are not in connection.queries."""
    connection = connections[using]
    with connection.cursor() as cursor:  # the connection, checked as for any query
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall() if rows else cursor.rowcount
        raw = cursor.cursor.connection
        if raw.prepare_threshold is None:
            raw.prepare_threshold = _PREPARE_ON_REQUEST_ONLY
        with connection.wrap_database_errors, psycopg.Cursor(raw) as prepared:
            prepared.execute(sql, params, prepare=True)
            return prepared.fetchall() if rows else prepared.rowcount


def columns(model, alias: str, names: tuple[str, ...] | None = None) -> tuple[str, list[str]]:
    """The SELECT list for a model's columns (all, or these attnames) under a table alias,
    and the attnames in that order, for `loaded_from_row`."""
    fields = [f.attname for f in model._meta.concrete_fields if names is None or f.attname in names]
    return ", ".join(f'{alias}."{model._meta.get_field(name).column}"' for name in fields), fields


def among(values: list, *, using: str = "default") -> tuple[str, list]:
    """The condition "is one of these values" (one or more), with its parameters: `= ANY(%s)`
    with the values as one array on PostgreSQL (one prepared statement for any number of
    them), `IN (%s, …)` on SQLite."""
    if connections[using].vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


def instances(model, names: list[str], rows, *, using: str = "default") -> list:
    """Model instances from rows of these attnames, each value converted as the ORM would
    (SQLite's text times, a field's own from_db_value), loaded as from the database `using`."""
    connection = connections[using]
    converters = _converters(model, names, connection)
    made = []
    for row in rows:
        values = list(row)
        for position, field_converters, column in converters:
            for converter in field_converters:
                values[position] = converter(values[position], column, connection)
        made.append(model.from_db(using, names, values))
    return made


def _converters(model, names: list[str], connection) -> list[tuple]:
    found = []
    for position, name in enumerate(names):
        column = model._meta.get_field(name).get_col(model._meta.db_table)
        field_converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if field_converters:
            found.append((position, field_converters, column))
    return found


def loaded(model, **values):
    """A model instance with only these fields loaded (any other is fetched if read), as
    select_related would give it."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def loaded_from_row(model, names: list[str], row) -> object:
    return instances(model, names, [row])[0]


def aware(value):
    """A datetime column as read by the ORM: SQLite hands back text in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value
