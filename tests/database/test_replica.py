"""Reads on a real PostgreSQL streaming replica of the test cluster (pg_basebackup -R): Look up
orders reads the replica, a sale writes the primary, the operator who made a change sees it on
their next page even while the replica's replay is paused, a lagging replica and a stopped one
fall back to the primary (with a log line)."""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from smtp_server import free_port

from boxoffice.core.models import Buyer
from boxoffice.core.services import team

pytestmark = [pytest.mark.postgresql_only, pytest.mark.django_db(transaction=True, databases="__all__")]
ALIAS = "replica1"


def _bindir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_basebackup").exists():
            return candidate
    return Path(shutil.which("pg_ctl") or "/usr/bin/pg_ctl").parent


def _as_postgres(*command, **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") and _is_root() else []
    return subprocess.run([*prefix, *map(str, command)], capture_output=True, text=True, timeout=120, **kwargs)


def _is_root() -> bool:
    return os.geteuid() == 0


class Replica:
    def __init__(self):
        primary = connection.settings_dict
        self.tmp = Path(tempfile.mkdtemp(prefix="boxoffice-replica."))
        if _is_root():
            shutil.chown(self.tmp, "postgres")
        self.bindir, self.data, self.port = _bindir(), self.tmp / "data", free_port()
        self.primary = (primary["HOST"] or "127.0.0.1", primary["PORT"])
        done = _as_postgres(self.bindir / "pg_basebackup", "-h", self.primary[0], "-p", self.primary[1], "-U", "postgres",
                            "-D", self.data, "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        assert done.returncode == 0, done.stderr
        self.start()

    def start(self) -> None:
        opts = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200"
        done = _as_postgres(self.bindir / "pg_ctl", "-D", self.data, "-l", self.data / "log", "-w", "-o", opts, "start")
        log = self.data / "log"
        assert done.returncode == 0, done.stderr + (log.read_text()[-1500:] if log.exists() else "")

    def running(self) -> bool:
        return _as_postgres(self.bindir / "pg_ctl", "-D", self.data, "status").returncode == 0

    def stop(self) -> None:
        if ALIAS in connections.settings:
            connections[ALIAS].close()
        _as_postgres(self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def sql(self, statement: str):
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else None

    def caught_up(self, timeout: float = 10) -> None:
        with connection.cursor() as cursor:
            # A checkpoint logs the primary's running transactions; until a standby has
            # replayed such a record after its base backup, it may not yet take a commit it
            # replayed as finished (seen here as a replica at the primary's LSN without its rows).
            cursor.execute("CHECKPOINT")
            cursor.execute("SELECT pg_current_wal_lsn()")
            (target,) = cursor.fetchone()
        deadline = time.monotonic() + timeout
        while self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0][0] is not True:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def replica_server(django_db_setup, django_db_blocker):
    """The replica, and an alias for it as DATABASE_READ_URL makes one (a test mirror, so that
    nothing is flushed on it), known before each test's database access is set up."""
    with django_db_blocker.unblock():
        server = Replica()
    connections.settings[ALIAS] = {**connection.settings_dict, "PORT": str(server.port),
                                   "TEST": {"MIRROR": "default"}, "OPTIONS": {"connect_timeout": 2}}  # fmt: skip
    yield server
    server.stop()
    del connections.settings[ALIAS]
    shutil.rmtree(server.tmp, ignore_errors=True)


@pytest.fixture
def replica(replica_server):
    yield replica_server
    if not replica_server.running():
        replica_server.start()
    replica_server.sql("SELECT pg_wal_replay_resume()")
    connections[ALIAS].close()


def search(client, token: str, term: str) -> list[str]:
    response = client.get(f"/api/v1/organizers/museum/orders?search={term}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["items"]]


def sale(client, token: str, body: dict):
    return client.post("/api/v1/organizers/museum/orders", json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip


@pytest.fixture
def tokens(admin, operator, viewer):
    return {m.role: team.create_api_token(m, name="replica test") for m in (admin, operator, viewer)}


def test_a_search_reads_the_replica_and_a_sale_writes_the_primary(replica, client, tokens, sell, event, adult, timeslot):
    first = sell(1, email="first@x.test", name="Zora Replica")
    replica.caught_up()
    assert search(client, tokens["viewer"], "Zora") == [first.code]
    replica.sql("SELECT pg_wal_replay_pause()")
    second = sell(1, email="second@x.test", name="Zora Later")  # a sale at another desk, after the pause
    assert search(client, tokens["viewer"], "Zora") == [first.code]  # the viewer read the (paused) replica
    body = {"event": event.pk, "buyer": {"email": "third@x.test", "name": "Zora Own"}, "payment_method": "invoice",
            "lines": [{"ticket_type": adult.pk, "timeslot": timeslot.pk, "quantity": 1}]}  # fmt: skip
    made = sale(client, tokens["operator"], body)
    assert made.status_code == 201  # written on the primary while the replica cannot replay anything
    own = made.json()["code"]
    found = search(client, tokens["operator"], "Zora")  # the operator's next page: their own change is there
    assert own in found and second.code in found
    assert search(client, tokens["viewer"], "Zora") == [first.code]  # the viewer still reads the replica
    replica.sql("SELECT pg_wal_replay_resume()")
    replica.caught_up()
    assert set(search(client, tokens["viewer"], "Zora")) == {first.code, second.code, own}


def test_a_page_of_results_is_loaded_from_the_replica_its_matches_came_from(replica, client, tokens, sell):
    order = sell(1, email="wanda@x.test", name="Wanda Before")
    replica.caught_up()
    replica.sql("SELECT pg_wal_replay_pause()")
    Buyer.objects.filter(pk=order.buyer_id).update(name="Wanda After")  # on the primary alone
    response = client.get("/api/v1/organizers/museum/orders?search=Wanda", HTTP_AUTHORIZATION=f"Bearer {tokens['viewer']}")
    assert [row["buyer"]["name"] for row in response.json()["items"]] == ["Wanda Before"]


def test_a_lagging_replica_is_left_for_the_primary(replica, client, tokens, sell, settings, caplog):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    sell(1, name="Yuri Lag")
    replica.caught_up()
    replica.sql("SELECT pg_wal_replay_pause()")
    late = sell(1, email="late@x.test", name="Yuri Later")
    time.sleep(1.5)
    assert late.code in search(client, tokens["viewer"], "Yuri")
    assert "behind" in caplog.text


def test_a_stopped_replica_falls_back_to_the_primary(replica, client, tokens, sell, caplog):
    order = sell(1, name="Xena Down")
    replica.stop()
    assert search(client, tokens["viewer"], "Xena") == [order.code]
    assert "cannot be reached" in caplog.text
