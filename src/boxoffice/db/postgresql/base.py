"""Django's PostgreSQL backend with a health check that costs no round trip.

Persistent connections must survive a database restart. Django's health check
(CONN_HEALTH_CHECKS) sends `SELECT 1` before the first query of every request: on a gate
scan or an order search that is one round trip in four or five (bench/README.md). A
connection that the server closed (restart, `pg_terminate_backend`, idle timeout) has the
server's goodbye or the end of the stream waiting on its socket, while a healthy idle
connection has nothing to read. So the check polls the socket instead, without waiting.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if self.connection.pgconn.status != pq.ConnStatus.OK:
            return False
        if self.connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            # Mid-transaction or after a failed statement: only a real query can tell.
            return super().is_usable()
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
