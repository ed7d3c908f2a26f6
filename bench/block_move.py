"""A bad day at scale: 2,000 orders (about 4,500 tickets) of one time block moved to two
others by the worker, with a notice queued for every buyer, while two gates scan at a steady
pace. Reports the job's time and the gate's latency alone and during the move.

    python bench/block_move.py [--organizer bench] [--orders 2000] [--rate 40] [--web-workers 2]

Needs a PostgreSQL database (DATABASE_URL) filled by bench/generate.py (its tickets are the
gate's). The moved orders are sold here through the services, in an event of their own.
Only 127.0.0.1 is contacted; every process it starts is stopped.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from gate_during_pdfs import Gate, warm_up  # noqa: E402
from scan_bench import Server, machine, prepare  # noqa: E402 — sets Django up

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from boxoffice.core.models import Job, JobStep, Message, Organizer, Ticket  # noqa: E402
from boxoffice.core.services import setup, time_blocks  # noqa: E402
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_P99_MS = 50.0
WARM_UP = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizer", default="bench")
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=40, help="scans per second (steady, from 2 gates)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--json", help="also write the results to this file")
    return parser.parse_args()


def bad_day(slug: str, orders: int):
    """An event with a block of `orders` orders of 1–4 tickets and two empty blocks with
    room for three quarters of them."""
    organizer = Organizer.objects.get(slug=slug)
    admin = organizer.memberships.get(role="admin")
    event = setup.create_event(organizer, name=f"Bad day {int(time.time())}", venue="Main hall", actor=admin)
    kind = setup.create_ticket_type(event, name="Adult", price=Decimal("17.50"), vat_rate=Decimal("9"), actor=admin)
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    rng = random.Random(13)
    sizes = [rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 4]) for _ in range(orders)]
    source = setup.create_timeslot(event, start=start, end=start + timedelta(hours=1), capacity=sum(sizes), actor=admin)
    room = sum(sizes) * 3 // 4
    targets = [
        setup.create_timeslot(event, start=start + timedelta(days=d), end=start + timedelta(days=d, hours=1),
                              capacity=room // 2 + d - 1, actor=admin)  # fmt: skip
        for d in (1, 2)
    ]
    for n, size in enumerate(sizes):
        sale = Sale(event=event, buyer=BuyerDetails(email=f"badday{n}@bench.test", name=f"Visitor {n}"),
                    lines=[SaleLine(kind.pk, source.pk, size)], payment_method="invoice")  # fmt: skip
        sell_order(sale, actor=admin)
    return organizer, admin, source, targets


def main() -> None:
    args = parse_args()
    if connection.vendor != "postgresql":
        sys.exit("block move bench: needs PostgreSQL (DATABASE_URL); run bench/run-block-move-bench")
    device_token, barcodes = prepare(args.organizer, seed=9)
    began = time.perf_counter()
    organizer, admin, source, targets = bad_day(args.organizer, args.orders)
    tickets = Ticket.objects.filter(timeslot=source).count()
    print(f"block move bench: {args.orders:,} orders, {tickets:,} tickets sold in {time.perf_counter() - began:.0f} s; "
          f"room for {sum(t.capacity for t in targets):,} in 2 blocks; gate {args.rate} scans/s; {machine()}\n", flush=True)

    server = Server("boxoffice", [sys.executable, "-m", "boxoffice", "serve", "--no-migrate", "--workers",
                                  str(args.web_workers)], {})  # fmt: skip
    worker = None
    stop = threading.Event()
    try:
        server.wait_until_up()
        warm_up(server.port, device_token, barcodes[:WARM_UP])
        rest = barcodes[WARM_UP:]
        gates = [Gate(server.port, device_token, rest[i::2], 2 / args.rate, stop) for i in range(2)]
        for gate in gates:
            gate.start()
        time.sleep(10)  # the gate alone
        alone = [len(g.latencies) for g in gates]
        job = time_blocks.start_move(organizer, sources=[source.pk], targets=[t.pk for t in targets], notify=True,
                                     close_source=True, actor=admin)  # fmt: skip
        worker = subprocess.Popen([sys.executable, "-m", "boxoffice", "worker"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        while Job.objects.get(pk=job.pk).status in ("queued", "running"):
            time.sleep(0.2)
        during = [len(g.latencies) for g in gates]
        stop.set()
        for gate in gates:
            gate.join(timeout=60)
    finally:
        stop.set()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=120)
        server.stop(keep_log=False)

    job.refresh_from_db()
    seconds = (job.finished_at - job.started_at).total_seconds()
    idle = sorted(v for g, n in zip(gates, alone, strict=True) for v in g.latencies[:n])
    busy = sorted(v for g, a, d in zip(gates, alone, during, strict=True) for v in g.latencies[a:d])
    codes = dict(JobStep.objects.filter(job=job).values_list("code").annotate(n=Count("pk")).order_by())
    notices = Message.objects.filter(kind="tickets", context__has_key="moved", order__event=source.event).count()

    def p(values, q):
        return values[max(0, int(len(values) * q) - 1)]

    result = {
        "orders": args.orders, "tickets": tickets, "job_status": job.status, "job_seconds": seconds, "outcomes": codes,
        "notices_queued": notices, "gate_alone": {"scans": len(idle), "p50_ms": p(idle, 0.5), "p99_ms": p(idle, 0.99)},
        "gate_during": {"scans": len(busy), "p50_ms": p(busy, 0.5), "p99_ms": p(busy, 0.99), "max_ms": busy[-1]},
        "scan_errors": sum(g.errors for g in gates), "machine": machine(),
    }  # fmt: skip
    print("| phase | scans | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |")
    print(f"| gate alone | {len(idle):,} | {p(idle, 0.5):.1f} | {p(idle, 0.99):.1f} | {idle[-1]:.1f} |")
    print(f"| gate during the move | {len(busy):,} | {p(busy, 0.5):.1f} | {p(busy, 0.99):.1f} | {busy[-1]:.1f} |")
    print(f"\nMove job: {job.status} in {seconds:.1f} s — {codes}; {notices:,} notices queued; "
          f"{result['scan_errors']} scan errors. Targets: job under {TARGET_SECONDS:.0f} s "
          f"({'met' if seconds < TARGET_SECONDS else 'NOT met'}), gate p99 under {TARGET_P99_MS:.0f} ms "
          f"({'met' if p(busy, 0.99) < TARGET_P99_MS else 'NOT met'}).")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
