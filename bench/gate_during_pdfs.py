"""The gate's latency while big ticket PDFs are made: a steady stream of scans (POST
/api/v1/scan) measured alone, then while four clients download 1,000-ticket PDFs one after
another (as a desk printing group orders would), through the API as it is (the worker makes
them, reniced) and, for comparison, with the PDFs drawn in the web processes themselves (the
way it was: BOXOFFICE_INLINE_PDF_TICKETS set high).

    python bench/gate_during_pdfs.py [--organizer bench] [--seconds 30] [--rate 40] [--web-workers 2]

Needs a PostgreSQL database (DATABASE_URL) filled by bench/generate.py. Only 127.0.0.1 is
contacted; every process it starts is stopped. Each download asks for a PDF the worker has
not made yet (the job of the previous one is aged past reuse), so every download is work.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from scan_bench import Server, machine, prepare, reset  # noqa: E402 — sets Django up

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from boxoffice.core.models import Event, Job, Organizer, Ticket  # noqa: E402
from boxoffice.core.services import setup, team  # noqa: E402
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order  # noqa: E402

TARGET_P99_MS = 50.0
PDF_CLIENTS = 4
WARM_UP = 100
BIG_ORDER = 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizer", default="bench")
    parser.add_argument("--seconds", type=int, default=30, help="seconds of scanning per phase")
    parser.add_argument("--rate", type=int, default=40, help="scans per second (steady, from 2 gates)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args()


def big_orders(slug: str) -> tuple[str, list[str]]:
    """Four orders of 1,000 tickets each, in an event of their own; an operator's API token."""
    organizer = Organizer.objects.get(slug=slug)
    admin = organizer.memberships.get(role="admin")
    event = Event.objects.filter(organizer=organizer, name="Group visits").first()
    if event is None:
        event = setup.create_event(organizer, name="Group visits", venue="Main building", actor=admin)
        start = timezone.now().replace(microsecond=0) + timedelta(days=30)
        slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=8), capacity=10_000, actor=admin)
        kind = setup.create_ticket_type(event, name="Group ticket", price=Decimal("9.50"), vat_rate=Decimal("9"), actor=admin)
        for n in range(PDF_CLIENTS):
            sale = Sale(event=event, buyer=BuyerDetails(email=f"group{n}@bench.test", name=f"School {n}"),
                        lines=[SaleLine(kind.pk, slot.pk, BIG_ORDER)], payment_method="invoice")  # fmt: skip
            sell_order(sale, actor=admin)
    codes = list(event.orders.order_by("pk").values_list("code", flat=True))
    return team.create_api_token(admin, name="bench"), codes


class Gate(threading.Thread):
    """One gate scanning at a steady pace over a keep-alive connection; latencies in ms."""

    def __init__(self, port: int, token: str, barcodes: list[str], interval: float, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.token, self.barcodes, self.interval, self.stop = port, token, barcodes, interval, stop
        self.latencies: list[float] = []
        self.errors = 0

    def run(self) -> None:
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        next_at = time.monotonic()
        for barcode in self.barcodes:
            if self.stop.is_set():
                break
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += self.interval
            began = time.perf_counter()
            try:
                connection_.request("POST", "/api/v1/scan", json.dumps({"barcode": barcode, "direction": "in"}), headers)
                response = connection_.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.latencies.append((time.perf_counter() - began) * 1000)
            self.errors += not ok


class Printer(threading.Thread):
    """A desk downloading one big order's tickets after another, until told to stop."""

    def __init__(self, port: int, token: str, code: str, stop: threading.Event, slug: str):
        super().__init__(daemon=True)
        self.port, self.token, self.code, self.stop, self.slug = port, token, code, stop, slug
        self.seconds: list[float] = []
        self.failed = 0
        self.last_failure = ""

    def _get(self, path: str):
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        connection_.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})
        response = connection_.getresponse()
        return response.status, response.read()

    def run(self) -> None:
        while not self.stop.is_set():
            began = time.perf_counter()
            status, body = self._get(f"/api/v1/organizers/{self.slug}/orders/{self.code}/tickets.pdf")
            if status == 202:
                job = json.loads(body)
                while job["status"] in ("queued", "running") and not self.stop.is_set():
                    time.sleep(0.5)
                    job = json.loads(self._get(f"/api/v1/organizers/{self.slug}/jobs/{job['id']}")[1])
                if job["status"] != "done":
                    self.failed += job["status"] == "failed"
                    continue
                status, body = self._get(job["file_url"])
                Job.objects.filter(pk=job["id"]).update(created_at=timezone.now() - timedelta(hours=1))
                connection.close()
            if status == 200 and body.startswith(b"%PDF"):
                self.seconds.append(time.perf_counter() - began)
            else:
                self.failed += 1
                self.last_failure = f"{status} {body[:200]!r}"
                time.sleep(1)  # a failing desk retries now and then, not in a tight loop


def phase(label: str, port: int, tokens: tuple[str, str], codes: list[str], barcodes: list[str], args, printing: bool) -> dict:
    """tokens: the scanner device's and the desk's API token."""
    stop = threading.Event()
    per_gate = (len(barcodes) + 1) // 2
    gates = [Gate(port, tokens[0], barcodes[i * per_gate:(i + 1) * per_gate], 2 / args.rate, stop) for i in range(2)]
    printers = [Printer(port, tokens[1], code, stop, args.organizer) for code in codes] if printing else []
    for thread in [*printers, *gates]:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in [*gates, *printers]:
        thread.join(timeout=180)
    latencies = sorted(value for gate in gates for value in gate.latencies)
    pdfs = [s for printer in printers for s in printer.seconds]
    result = {
        "label": label, "scans": len(latencies), "errors": sum(g.errors for g in gates),
        "p50_ms": statistics.median(latencies), "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "max_ms": latencies[-1], "pdfs": len(pdfs), "pdf_failures": sum(p.failed for p in printers),
        "pdf_seconds_median": statistics.median(pdfs) if pdfs else None,
        "pdf_last_failure": next((p.last_failure for p in printers if p.last_failure), ""),
    }  # fmt: skip
    if result["pdf_last_failure"]:
        print(f"gate/pdf bench: a download failed: {result['pdf_last_failure']}", flush=True)
    print(row(result), flush=True)
    return result


def warm_up(port: int, token: str, barcodes: list[str]) -> None:
    """Every web worker's first requests (imports, prepared statements) are not the gate's pace."""
    stop = threading.Event()
    gates = [Gate(port, token, barcodes[i::2], 0.0, stop) for i in range(2)]
    for gate in gates:
        gate.start()
    for gate in gates:
        gate.join()


def row(r: dict) -> str:
    pdf = f"{r['pdfs']} ({r['pdf_seconds_median']:.1f} s each)" if r["pdfs"] else "–"
    return (f"| {r['label']} | {r['scans']:,} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['errors']} "
            f"| {pdf} | {r['pdf_failures']} |")  # fmt: skip


def run_with(server_env: dict, args, token: str, device_token: str, codes, barcodes, printing_label: str) -> list[dict]:
    server = Server("boxoffice", [sys.executable, "-m", "boxoffice", "serve", "--no-migrate", "--workers",
                                  str(args.web_workers)], server_env)  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-m", "boxoffice", "worker"], env={**os.environ, **server_env},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        server.wait_until_up()
        warm_up(server.port, device_token, barcodes[:WARM_UP])
        half = (len(barcodes) + WARM_UP) // 2
        tokens = (device_token, token)
        idle = phase("gate alone", server.port, tokens, codes, barcodes[WARM_UP:half], args, False)
        busy = phase(printing_label, server.port, tokens, codes, barcodes[half:], args, True)
        return [idle, busy]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        server.stop(keep_log=False)


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("gate/pdf bench: needs PostgreSQL (DATABASE_URL); run bench/run-gate-pdf-bench")
    device_token, barcodes = prepare(args.organizer, seed=5)
    token, codes = big_orders(args.organizer)
    needed = args.rate * args.seconds * 2 + 200 + WARM_UP
    if len(barcodes) < needed * 2:
        sys.exit(f"gate/pdf bench: {len(barcodes)} scannable tickets; {needed * 2} needed: generate more orders")
    tickets = Ticket.objects.filter(order__code__in=codes).count()
    print(f"gate/pdf bench: {args.rate} scans/s from 2 gates for {args.seconds} s per phase; {PDF_CLIENTS} clients "
          f"downloading orders of {tickets // len(codes):,} tickets; {args.web_workers} web workers, 1 worker; {machine()}\n")
    print("| phase | scans | p50 ms | p99 ms | max ms | scan errors | PDFs made (time to download) | PDF failures |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    results = []
    reset()
    results += run_with({}, args, token, device_token, codes, barcodes[:needed], "4 × 1,000-ticket PDFs by the worker")
    reset()
    inline = {"BOXOFFICE_INLINE_PDF_TICKETS": "100000"}
    results += run_with(inline, args, token, device_token, codes, barcodes[needed:2 * needed],
                        "4 × 1,000-ticket PDFs in the web processes (as before)")  # fmt: skip
    busy = results[1]
    met = busy["p99_ms"] < TARGET_P99_MS and busy["errors"] == 0
    print(f"\nWith the worker making the PDFs: gate p99 {busy['p99_ms']:.1f} ms while {busy['pdfs']} PDFs were made "
          f"(target p99 < {TARGET_P99_MS:.0f} ms: {'met' if met else 'NOT met'})")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "results": results}, indent=2, default=str))


if __name__ == "__main__":
    main()
