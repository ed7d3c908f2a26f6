"""Ticket PDF rendering speed, on one core (the renderer is single-threaded Python).

    .venv/bin/python bench/documents.py [--repeat 200]

Prints the time for a 1-ticket PDF (median and p95 over --repeat runs) and pages per second
for a 1,000-ticket order. Targets: 1-ticket PDF < 15 ms; ≥ 200 pages/s."""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")
os.environ.setdefault("BOXOFFICE_DATA_DIR", "/tmp/boxoffice-bench")

import django  # noqa: E402

django.setup()

from boxoffice.core.rules.codes import new_barcode  # noqa: E402
from boxoffice.documents.data import TicketDoc  # noqa: E402
from boxoffice.documents.tickets import render_tickets_pdf  # noqa: E402

TZ = ZoneInfo("Europe/Amsterdam")


def ticket() -> TicketDoc:
    return TicketDoc(
        barcode=new_barcode(), event="Old Masters Exhibition", venue="City Museum, Main Hall",
        start=datetime(2027, 3, 1, 10, tzinfo=TZ), end=datetime(2027, 3, 1, 11, tzinfo=TZ),
        ticket_type="Adult", price=Decimal("17.50"), currency="EUR", holder="Chloé Müller",
        order_code="K7M2QXA", organizer="City Museum",
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=1000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # measure per core

    render_tickets_pdf([ticket()])  # fonts and imports warm
    single = []
    for _ in range(args.repeat):
        doc = [ticket()]
        start = time.perf_counter()
        render_tickets_pdf(doc)
        single.append((time.perf_counter() - start) * 1000)
    single.sort()
    print(f"1-ticket PDF: median {statistics.median(single):.1f} ms, p95 {single[int(len(single) * 0.95)]:.1f} ms "
          f"({args.repeat} runs)")  # fmt: skip

    many = [ticket() for _ in range(args.tickets)]
    start = time.perf_counter()
    pdf = render_tickets_pdf(many)
    elapsed = time.perf_counter() - start
    print(f"{args.tickets}-ticket PDF: {elapsed:.2f} s, {args.tickets / elapsed:.0f} pages/s per core, "
          f"{len(pdf) / 1e6:.1f} MB")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
