"""Persistent PostgreSQL connections outlive a database restart: the health check at the
start of each request notices a connection the server closed and replaces it, without a
round trip for a healthy one."""

import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db]


@pytest.fixture
def persistent():
    """A second connection, as a server process holds between requests."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    wrapper.settings_dict["CONN_HEALTH_CHECKS"] = True
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _next_request(wrapper) -> int:
    """What a request does first: the health check, then a query. The server's process id."""
    wrapper.close_if_health_check_failed()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    wrapper.close_if_unusable_or_obsolete()  # the end of the request
    return pid


def test_a_healthy_connection_is_kept(persistent):
    first = _next_request(persistent)
    assert _next_request(persistent) == first


def test_a_connection_the_server_closed_is_replaced_before_the_query(persistent):
    pid = _next_request(persistent)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while persistent.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye arrives on the socket
    assert not persistent.is_usable()
    assert _next_request(persistent) != pid
