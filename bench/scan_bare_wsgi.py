"""The ceiling for the gate scanning benchmark: the least a scan endpoint can do.

A plain WSGI application (no Django) that reads {"barcode": ...} from the request body, runs
one conditional UPDATE of that ticket from unscanned to scanned in on PostgreSQL, and answers
with a small JSON. Each gunicorn worker keeps one psycopg connection (autocommit) for its
life. bench/scan_bench.py serves it with the same gunicorn settings as `boxoffice serve`:

    DATABASE_URL=postgres://... python -m gunicorn --chdir bench scan_bare_wsgi:application
"""

import json
import os

import psycopg

UPDATE = (
    "UPDATE core_ticket SET state = 'scanned_in', state_changed_at = now(), last_scan_gate = 'bare' "
    "WHERE barcode = %s AND state = 'unscanned'"
)
_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _connection.cursor()


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    barcode = json.loads(environ["wsgi.input"].read(length))["barcode"]
    with _cursor() as cursor:
        cursor.execute(UPDATE, (barcode,))
        admitted = cursor.rowcount == 1
    body = json.dumps({"verdict": "admit" if admitted else "reject"}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
