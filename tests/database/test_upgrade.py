"""An installation upgrades in place: the migrations since the last release apply to an
embedded database that holds orders, tickets and the ticket triggers (SQLite rebuilds a table
for many changes, and a trigger naming that table must survive it), and back again."""

import os
import sqlite3
import subprocess
import sys

LAST_RELEASE = "0007_lean_scan_writes"


def _boxoffice(*args, data_dir) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["BOXOFFICE_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "boxoffice", *args], env=env, capture_output=True, text=True, timeout=300)


def test_migrations_since_the_last_release_apply_to_a_database_with_orders(tmp_path):
    assert _boxoffice("demo", "--no-serve", "--orders", "12", data_dir=tmp_path).returncode == 0
    down = _boxoffice("migrate", "core", LAST_RELEASE, data_dir=tmp_path)
    assert down.returncode == 0, down.stderr[-2000:]
    up = _boxoffice("migrate", data_dir=tmp_path)
    assert up.returncode == 0, up.stderr[-2000:]
    check = _boxoffice("demo", "--no-serve", data_dir=tmp_path)  # the seeded orders still read and sell
    assert check.returncode == 0, check.stderr[-2000:]


def test_the_upgrade_folds_the_search_copies_of_names_beyond_ascii(tmp_path):
    assert _boxoffice("demo", "--no-serve", "--orders", "3", data_dir=tmp_path).returncode == 0
    assert _boxoffice("migrate", "core", "0023_order_search_copies", data_dir=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "boxoffice.sqlite3") as db:  # as 0023 left them: copied as typed
        buyer_id = db.execute("SELECT buyer_id FROM core_order LIMIT 1").fetchone()[0]
        db.execute("UPDATE core_buyer SET name = 'Jürgen STRASSE-Straße' WHERE id = ?", (buyer_id,))
        db.execute("UPDATE core_order SET buyer_name = 'Jürgen STRASSE-Straße' WHERE buyer_id = ?", (buyer_id,))
    up = _boxoffice("migrate", data_dir=tmp_path)
    assert up.returncode == 0, up.stderr[-2000:]
    with sqlite3.connect(tmp_path / "boxoffice.sqlite3") as db:
        copies = {row[0] for row in db.execute("SELECT folded_buyer_name FROM core_order WHERE buyer_id = ?", (buyer_id,))}
        others = db.execute("SELECT count(*) FROM core_order WHERE folded_buyer_name != lower(folded_buyer_name)")
        assert copies == {"jürgen strasse-strasse"} and others.fetchone()[0] == 0
