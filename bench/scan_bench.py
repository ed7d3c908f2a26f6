"""Gate scanning throughput: POST /api/v1/scan under wrk, next to a bare WSGI endpoint.

    python bench/scan_bench.py [--organizer bench] [--workers 2,3,4] [--duration 20] [--connections 16]

Needs a PostgreSQL database (DATABASE_URL) filled by bench/generate.py, and wrk. It makes the
generated tickets scannable now (one timeslot around the current time), creates a scanner
device, and writes the barcodes of paid, unscanned tickets to files the wrk script reads, so
that every request scans a different ticket. Then, for each number of gunicorn workers:

  1. `boxoffice serve --bind 127.0.0.1:PORT --workers N`, a 3 s warm-up, then wrk with
     bench/scan.lua (POST /api/v1/scan, direction in) for --duration seconds;
  2. the ceiling: bench/scan_bare_wsgi.py (one conditional UPDATE per request, no Django)
     under the same gunicorn settings and the same wrk load;
  3. checks in the database: the verdicts of the scans made during the run and the number of
     tickets admitted more than once (must be 0).
Before each run every ticket is unscanned again and the scan log empty. For each run it also
prints the CPU time per request of the server, of PostgreSQL and of wrk, and the share of the
machine's CPU that other processes took meanwhile: all of them share its cores, so anything
else running there counts against the figures (Linux /proc).

Only 127.0.0.1 is contacted; every server it started is stopped.
"""

import argparse
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from boxoffice.core.models import Event, Organizer, Scan, Ticket, Timeslot  # noqa: E402
from boxoffice.core.services import setup, team  # noqa: E402

TARGET_RATE = 1000  # scans per second
TARGET_P99_MS = 30.0
WARMUP_SECONDS = 3
WARMUP_BARCODES = 6000
GATE = "Bench gate"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizer", default="bench", help="slug of the generated organizer (default: bench)")
    parser.add_argument("--workers", default="2,3,4", help="gunicorn worker counts to try, comma-separated (default: 2,3,4)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per run (default: 20)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default: 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--server-settings", help="settings module for `boxoffice serve` (from bench/), for what-if runs")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Preparing the database


def prepare(slug: str, seed: int) -> tuple[str, list[str]]:
    """Tickets of the organizer's event moved to one timeslot running now; a scanner device.
    Returns its token and the shuffled barcodes of paid, unscanned tickets."""
    reset()  # from an earlier run on the same database
    organizer = Organizer.objects.get(slug=slug)
    admin = organizer.memberships.get(role="admin")
    event = Event.objects.filter(organizer=organizer).order_by("pk").first()
    live = Ticket.objects.filter(event=event).exclude(state=Ticket.State.VOID)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=6), capacity=max(1, live.count()), actor=admin)
    Ticket.objects.filter(event=event).update(timeslot=slot)
    Timeslot.objects.filter(event=event).exclude(pk=slot.pk).update(sold=0)
    Timeslot.objects.filter(pk=slot.pk).update(sold=live.count())
    _, token = team.create_device(organizer, name="bench scanner", gate=GATE, events=[event], actor=admin)
    barcodes = list(
        Ticket.objects.filter(event=event, state=Ticket.State.UNSCANNED, order__status="paid").values_list("barcode", flat=True)
    )
    random.Random(seed).shuffle(barcodes)
    vacuum()
    return token, barcodes


def vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE core_ticket")
        cursor.execute("VACUUM ANALYZE core_scan")


def reset() -> None:
    """Every ticket the last runs admitted is unscanned again, and the scan log is empty."""
    Ticket.objects.filter(state=Ticket.State.SCANNED_IN).update(
        state=Ticket.State.UNSCANNED, state_changed_at=None, last_scan_gate=""
    )
    Scan.objects.all().delete()
    vacuum()


# Servers and load


class Server:
    """A gunicorn on a free loopback port, its error log in a file."""

    def __init__(self, label: str, command: list[str], env: dict | None = None):
        self.label = label
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix=f"scan-bench-{label}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,  # the access log: one line per request
            stderr=self.log,
            env={**os.environ, **(env or {})},
        )

    @classmethod
    def boxoffice(cls, workers: int, settings: str | None = None) -> "Server":
        env = {"DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(BENCH)} if settings else None
        return cls("boxoffice", [sys.executable, "-m", "boxoffice", "serve", "--no-migrate", "--workers", str(workers)], env)

    @classmethod
    def bare(cls, workers: int) -> "Server":
        # The gunicorn arguments of `boxoffice serve` (core/management/commands/serve.py).
        return cls("bare", [sys.executable, "-m", "gunicorn", "--chdir", str(BENCH), "scan_bare_wsgi:application",
                            "--workers", str(workers), "--access-logfile", "-"])  # fmt: skip

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"scan bench: the {self.label} server exited; see {self.log.name}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"scan bench: the {self.label} server did not start; see {self.log.name}")

    def stop(self, keep_log: bool = True) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if not keep_log:
            Path(self.log.name).unlink(missing_ok=True)


def wrk(url: str, path: str, token: str, barcodes: list[str], args, seconds: int) -> dict:
    """One wrk run over these barcodes; the counts and latencies of bench/scan.lua."""
    with tempfile.NamedTemporaryFile("w", prefix="scan-barcodes-", suffix=".txt") as listing:
        listing.write("\n".join(barcodes) + "\n")
        listing.flush()
        env = {**os.environ, "SCAN_BARCODES": listing.name, "SCAN_PATH": path, "SCAN_TOKEN": token,
               "SCAN_THREADS": str(args.threads)}  # fmt: skip
        command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "5s",
                   "-s", str(BENCH / "scan.lua"), url]  # fmt: skip
        output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("SCAN_RESULT "))
    result = json.loads(line.removeprefix("SCAN_RESULT "))
    result["rate"] = result["requests"] / result["duration_s"]
    return result


def run(server: Server, path: str, token: str, warmup: list[str], barcodes: list[str], args) -> tuple[dict, object]:
    try:
        server.wait_until_up()
        wrk(server.url, path, token, warmup, args, WARMUP_SECONDS)
        began = timezone.now()
        meter = CpuMeter(server.process.pid, postmaster_pid())
        result = wrk(server.url, path, token, barcodes, args, args.duration)
        result.update(meter.per_request(result["requests"]))
    except BaseException:
        server.stop()  # its log stays, for the error
        raise
    server.stop(keep_log=False)
    return result, began


# Where the CPU time went during a run


def _ticks(pid: int) -> int:
    """User and system clock ticks of a process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in children:
            pids += _tree(int(child))
    return pids


def _machine_busy() -> int:
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return user + nice + system + irq + softirq + steal


def postmaster_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])


class CpuMeter:
    """CPU time per request of the web server (master and workers), of PostgreSQL (all its
    processes) and of the load generator (wrk, a child of this process), and the share of
    the machine's CPU that anything else took during the run."""

    HZ = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid: int, postmaster: int):
        self.groups = {"server": _tree(server_pid), "postgres": _tree(postmaster)}
        self.start = {name: sum(map(_ticks, pids)) for name, pids in self.groups.items()}
        self.children, self.busy, self.wall = os.times(), _machine_busy(), time.monotonic()

    def per_request(self, requests: int) -> dict:
        used = {name: sum(map(_ticks, pids)) - self.start[name] for name, pids in self.groups.items()}
        after = os.times()
        used["wrk"] = round((after.children_user + after.children_system - self.children.children_user
                             - self.children.children_system) * self.HZ)  # fmt: skip
        busy = _machine_busy() - self.busy
        capacity = (time.monotonic() - self.wall) * self.HZ * os.cpu_count()
        ms = {f"cpu_ms_{name}": ticks * 1000 / self.HZ / max(requests, 1) for name, ticks in used.items()}
        return {**ms, "other_cpu_share": max(0.0, busy - sum(used.values())) / capacity}


# Checks


def scan_checks(since) -> dict:
    verdicts = dict(Scan.objects.filter(at__gte=since).values_list("reason").annotate(n=Count("pk")))
    doubles = (
        Scan.objects.filter(verdict="admit", direction="in").values("ticket_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    return {"reasons": verdicts, "double_admissions": doubles}


def bare_checks(barcodes: list[str]) -> dict:
    return {"admitted": Ticket.objects.filter(barcode__in=barcodes, state=Ticket.State.SCANNED_IN).count()}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {pg}"


def row(label: str, workers: int, r: dict, extra: str) -> str:
    errors = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    cpu = f"{r['cpu_ms_server']:.2f} / {r['cpu_ms_postgres']:.2f} / {r['cpu_ms_wrk']:.2f}"
    return (f"| {label} | {workers} | {r['rate']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} "
            f"| {r['non_2xx']} | {errors} | {cpu} | {r['other_cpu_share']:.0%} | {extra} |")  # fmt: skip


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("scan bench: needs PostgreSQL (DATABASE_URL); run bench/run-scan-bench")
    if not shutil.which("wrk"):
        sys.exit("scan bench: wrk is not installed (apt-get install wrk)")
    workers = [int(w) for w in args.workers.split(",")]
    token, barcodes = prepare(args.organizer, args.seed)
    # The tickets are reset before every run, so each run has them all: a few for the warm-up,
    # the rest for the measured load.
    warmup, measured = barcodes[:WARMUP_BARCODES], barcodes[WARMUP_BARCODES:]
    if len(measured) < 1000:
        sys.exit(f"scan bench: only {len(barcodes)} scannable tickets; generate more orders")
    tickets = Ticket.objects.filter(order__organizer__slug=args.organizer).count()
    print(f"scan bench: {tickets:,} tickets, {len(barcodes):,} scannable; {len(measured):,} barcodes per measured run")
    print(f"scan bench: wrk -t{args.threads} -c{args.connections} -d{args.duration}s on {machine()}\n")

    lines, results = [], []
    for count in workers:
        reset()
        app, since = run(Server.boxoffice(count, args.server_settings), "/api/v1/scan", token, warmup, measured, args)
        checks = scan_checks(since)
        admitted = checks["reasons"].get("admitted", 0)
        extra = f"{checks['double_admissions']} double admissions; {admitted:,} admitted of {sum(checks['reasons'].values()):,} scans"
        if set(checks["reasons"]) - {"admitted"}:
            extra += f" (other verdicts: {checks['reasons']})"
        if app["wrapped"]:
            extra += f"; ran out of barcodes {app['wrapped']} times"
        lines.append(row("POST /api/v1/scan", count, app, extra))
        reset()
        bare, _ = run(Server.bare(count), "/", "", warmup, measured, args)
        bare_extra = f"{bare_checks(measured)['admitted']:,} admitted"
        if bare["wrapped"]:
            bare_extra += f"; ran out of barcodes {bare['wrapped']} times"
        lines.append(row("bare WSGI + UPDATE", count, bare, bare_extra))
        results.append({"workers": count, "scan": app, "scan_checks": checks, "bare": bare})
        print("\n".join(lines[-2:]), flush=True)

    print("\n| endpoint | workers | requests/s | p50 ms | p99 ms | max ms | non-2xx | socket errors "
          "| CPU ms per request: server / PostgreSQL / wrk | CPU taken by other processes | checks |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(lines))
    best = max(results, key=lambda r: r["scan"]["rate"])
    met = best["scan"]["rate"] >= TARGET_RATE and best["scan"]["p99_ms"] < TARGET_P99_MS
    doubles = sum(r["scan_checks"]["double_admissions"] for r in results)
    print(f"\nBest: {best['scan']['rate']:,.0f} scans/s, p99 {best['scan']['p99_ms']:.1f} ms with {best['workers']} workers "
          f"(target >= {TARGET_RATE}/s, p99 < {TARGET_P99_MS:.0f} ms: {'met' if met else 'NOT met'}); "
          f"double admissions in all runs: {doubles}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "results": results}, indent=2, default=str))
    if doubles:
        sys.exit("scan bench: a ticket was admitted more than once")


if __name__ == "__main__":
    main()
