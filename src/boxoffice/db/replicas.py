"""Reads that may leave the primary (§7): PostgreSQL streaming replicas named in
DATABASE_READ_URL. Only blocks that ask for it read there (`replica_reads`: Look up orders,
reports, exports); everything else, every write and every read inside a transaction, stays on
the primary. A replica is used only when it has replayed what the operator last wrote
(Membership.wrote_lsn, set after each change they make), is reachable, and is not lagging;
otherwise the block reads the primary and a line is logged. Nothing to do without replicas."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)
_reader: ContextVar[str | None] = ContextVar("boxoffice_replica_reader", default=None)
PREFIX = "replica"


def replica_aliases() -> list[str]:
    return [alias for alias in connections.settings if alias.startswith(PREFIX)]


@contextmanager
def replica_reads(membership_id: int | None):
    """Reads in the block go to a replica that has caught up with this operator's writes,
    or to the primary. Yields the alias read from."""
    alias = _choose(membership_id) if replica_aliases() else None
    token = _reader.set(alias)
    try:
        yield alias or "default"
    finally:
        _reader.reset(token)


def _choose(membership_id: int | None) -> str | None:
    mark = _wrote_lsn(membership_id)
    for alias in replica_aliases():
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_is_in_recovery(), %s::pg_lsn <= pg_last_wal_replay_lsn(),"
                    " COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0),"
                    " pg_last_wal_replay_lsn() = %s::pg_lsn",
                    [mark or "0/0", _primary_lsn()],
                )
                is_replica, caught_up, seconds_behind, at_primary = cursor.fetchone()
        except DatabaseError as exc:
            logger.warning("Reading from the primary: replica %s cannot be reached (%s)", alias, str(exc).strip()[:200])
            connections[alias].close()
            continue
        if not is_replica:
            logger.warning("Reading from the primary: %s is not a replica in recovery", alias)
        elif not caught_up:
            logger.info("Reading from the primary: replica %s has not replayed this operator's last change", alias)
        elif not at_primary and seconds_behind > settings.REPLICA_MAX_LAG_SECONDS:
            logger.warning("Reading from the primary: replica %s is %.0f s behind", alias, seconds_behind)
        else:
            return alias
    return None


def _primary_lsn() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return str(cursor.fetchone()[0])


def _wrote_lsn(membership_id: int | None) -> str | None:
    if membership_id is None:
        return None
    from boxoffice.core.models import Membership

    return Membership.objects.using("default").filter(pk=membership_id).values_list("wrote_lsn", flat=True).first() or None


def note_write(membership_id: int | None) -> None:
    """After a change by this operator: where the primary's log is now, so that their next
    reads wait for a replica that has it (read-your-writes)."""
    if membership_id is None or not replica_aliases():
        return
    from boxoffice.core.models import Membership

    Membership.objects.using("default").filter(pk=membership_id).update(wrote_lsn=_primary_lsn())


class ReadReplicaRouter:
    """The primary for everything, but reads in a replica_reads block outside a transaction."""

    def db_for_read(self, model, **hints):
        alias = _reader.get()
        if alias is None or connections["default"].in_atomic_block:
            return None
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return not db.startswith(PREFIX)


class NoteWritesMiddleware:
    """A change (a POST, PATCH or DELETE answered without an error) by a signed-in operator or
    an API token notes the primary's log position for that operator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400 and replica_aliases():
            from boxoffice.core.models import Membership

            member = getattr(request, "membership", None) or getattr(request, "auth", None)
            note_write(member.pk if isinstance(member, Membership) else None)
        return response


def reads_from_replica(view):
    """A view whose reads may go to a replica (its membership is known by then: put it under
    organizer_view, or on an API operation, where request.auth is the membership). The whole
    view runs in the block, so lazy querysets (a paginated list) are read there too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from boxoffice.core.models import Membership

        member = getattr(request, "membership", None) or getattr(request, "auth", None)
        with replica_reads(member.pk if isinstance(member, Membership) else None):
            return view(request, *args, **kwargs)

    return wrapper
