"""A 1,000-ticket group order: how long its page, its API answer and its changes take.

    python bench/big_order.py [--tickets 1000] [--repeat 5]

Settings come from the environment (DATABASE_URL), as for `boxoffice serve`; migrations are
applied first. Creates its own organizer (slug `big-<time>`) through the services, sells one
order of N tickets at the desk, then times in this process, `--repeat` times each: the order
page (the portal view through Django's test client, signed in), the API answer, a reissue of
every ticket, a change of every ticket's type (and back), and finally the removal of half the
tickets. Every change goes through the same service the portal and the API call. Targets
(the issue): page and API under 150 ms, each change under 1 s.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from boxoffice.core.models import Ticket  # noqa: E402
from boxoffice.core.services import changes, setup, team, tickets  # noqa: E402
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order  # noqa: E402

PAGE_TARGET_MS, CHANGE_TARGET_MS = 150, 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args()


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    args = parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", interactive=False, verbosity=0)
    slug = f"big-{int(time.time())}"
    organizer = team.create_organizer(slug=slug, name="Big order bench", desk_shifts=False)
    admin = team.set_member(organizer, email=f"admin@{slug}.bench.test", role="admin")
    event = setup.create_event(organizer, name="Group visits", actor=admin)
    start = timezone.now() + timedelta(days=30)
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=3), capacity=args.tickets * 2,
                                 actor=admin)  # fmt: skip
    adult = setup.create_ticket_type(event, name="Adult", price=Decimal("17.50"), vat_rate=Decimal("9"), actor=admin)
    pupil = setup.create_ticket_type(event, name="Pupil", price=Decimal("8.00"), vat_rate=Decimal("9"), actor=admin)
    sale = Sale(event=event, buyer=BuyerDetails(email="school@bench.test", name="City School"),
                lines=[SaleLine(adult.pk, slot.pk, args.tickets)], payment_method="invoice")  # fmt: skip
    sold_ms = []
    order = None

    def sell():
        nonlocal order
        order = sell_order(sale, actor=admin)

    sold_ms.append(timed(sell))
    client = Client()
    client.force_login(admin.user)
    token = {"HTTP_AUTHORIZATION": f"Bearer {team.create_api_token(admin, name='big order bench')}"}
    page_path, api_path = f"/o/{slug}/orders/{order.code}/", f"/api/v1/organizers/{slug}/orders/{order.code}"

    def get(path, **headers):
        def fetch():
            response = client.get(path, secure=True, **headers)
            assert response.status_code == 200, response.content[:300]
            sizes.append(len(response.content))

        return fetch

    def live_barcodes():
        return list(Ticket.objects.filter(order=order).exclude(state="void").values_list("barcode", flat=True))

    sizes: list[int] = []
    get(page_path)(), get(api_path, **token)()  # first requests load code and caches
    results = {"order page": [], "API answer": [], "reissue all": [], "change type of all": []}
    for _ in range(args.repeat):
        sizes.clear()
        results["order page"].append(timed(get(page_path)))
        results["API answer"].append(timed(get(api_path, **token)))
        page_kb, api_kb = sizes[0] / 1024, sizes[1] / 1024
        results["reissue all"].append(timed(lambda: tickets.reissue_tickets(order, actor=admin)))
        to = pupil if Ticket.objects.filter(order=order, state="unscanned").first().ticket_type_id == adult.pk else adult
        barcodes = live_barcodes()
        results["change type of all"].append(
            timed(lambda: changes.change_ticket_type(order, barcodes=barcodes, to_type=to.pk, actor=admin, reason="bench"))
        )
    half = live_barcodes()[: args.tickets // 2]
    results["remove half"] = [timed(lambda: changes.remove_tickets(order, barcodes=half, reason="bench", actor=admin))]
    results["sell"] = sold_ms
    total = Ticket.objects.filter(order=order).count()
    print(f"big order: {args.tickets} tickets ({total} with the void ones at the end), {connection.vendor}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; page {page_kb:.0f} KB, API {api_kb:.0f} KB")  # fmt: skip
    print(f"{'action':<22}{'n':>4}{'median ms':>11}{'max ms':>9}  target")
    for name, values in results.items():
        target = PAGE_TARGET_MS if name in ("order page", "API answer") else CHANGE_TARGET_MS
        verdict = "" if name == "sell" else f"< {target} ms: {'met' if max(values) < target else 'NOT MET'}"
        print(f"{name:<22}{len(values):>4}{median(values):>11.1f}{max(values):>9.1f}  {verdict}")


if __name__ == "__main__":
    main()
