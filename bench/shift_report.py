"""The shift report's speed: one shift with N desk sales (cash and card, 1–3 tickets each),
then its report timed (median of a few runs). On the embedded SQLite database of a throwaway
data directory unless DATABASE_URL says otherwise.

    BOXOFFICE_DATA_DIR=$(mktemp -d) python bench/shift_report.py [--sales 5000]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from boxoffice.core.services import setup, shifts, team  # noqa: E402
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sales", type=int, default=5000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    organizer = team.create_organizer(slug=f"shift{int(time.time())}", name="Shift bench")
    admin = team.set_member(organizer, email=f"admin@{organizer.slug}.test", role="admin")
    desk = team.set_member(organizer, email=f"desk@{organizer.slug}.test", role="operator")
    event = setup.create_event(organizer, name="Bench", actor=admin)
    start = datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=8), capacity=args.sales * 3, actor=admin)
    types = [setup.create_ticket_type(event, name=n, price=Decimal(p), vat_rate=Decimal("9"), actor=admin)
             for n, p in (("Adult", "17.50"), ("Child", "8.75"), ("Audio tour", "22.00"))]  # fmt: skip
    shift = shifts.open_shift(desk, desk="Desk 1", opening_float=Decimal("200.00"))
    rng = random.Random(1)
    began = time.perf_counter()
    for i in range(args.sales):
        sale = Sale(event=event, buyer=BuyerDetails(email=f"v{i}@bench.test", name=f"V {i}"),
                    lines=[SaleLine(rng.choice(types).pk, slot.pk, rng.randint(1, 3))],
                    payment_method=rng.choice(["cash", "card"]))  # fmt: skip
        sell_order(sale, actor=desk)
    print(f"{args.sales} desk sales made in {time.perf_counter() - began:.0f} s")
    runs = []
    for _ in range(5):
        began = time.perf_counter()
        report = shifts.shift_report(shift)
        runs.append(time.perf_counter() - began)
    print(f"shift report of {report.payments} payments: median {statistics.median(runs) * 1000:.0f} ms, "
          f"max {max(runs) * 1000:.0f} ms; expected cash {report.totals.expected_cash}")


if __name__ == "__main__":
    main()
