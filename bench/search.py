"""Order search latency through the REST API, per kind of search term.

    python bench/search.py [--organizer bench] [--requests 300] [--url http://127.0.0.1:8000]

Starts `boxoffice serve --bind 127.0.0.1:PORT --workers 2` (settings from the environment,
DATABASE_URL) unless --url names a running server, creates an API token for an operator of
the organizer, then for each kind of term (order code, email, name fragment, barcode, phone)
sends N sequential GET /api/v1/organizers/{org}/orders?search=... requests with values sampled
from the database, checks every answer finds the order it should, and prints p50/p95/max.
It also times the name-fragment search's two queries (the page and its count) directly.
Only 127.0.0.1 is ever contacted; the server it started is stopped at the end.
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from django.db import connection
from django.db.models import Q  # noqa: E402

from boxoffice.core.models import Buyer, Membership, Order, Organizer, Ticket  # noqa: E402
from boxoffice.core.rules.contact import may_be_part_of_an_email  # noqa: E402
from boxoffice.core.selectors.orders import OrderFilters, search_orders  # noqa: E402
from boxoffice.core.services import team  # noqa: E402

KINDS = ("order code", "email", "email fragment", "name fragment", "barcode", "void barcode", "phone", "phone last digits")
FRAGMENTS = ("email fragment", "name fragment")  # may match more orders than fit on a page
TARGET_P95_MS = 20.0
WARMUP_REQUESTS = 20
REQUEST_TIMEOUT = 30  # seconds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizer", default="bench", help="slug of the generated organizer (default: bench)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per kind (default: 300)")
    parser.add_argument("--url", help="use this running server (http://127.0.0.1:PORT) instead of starting one")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of the started server (default: 2)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def name_fragment(name: str, rng: random.Random) -> str:
    """3-5 consecutive letters of one word of a buyer's name."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) >= 3]
    word = rng.choice(words)
    size = rng.randint(3, min(5, len(word)))
    start = rng.randint(0, len(word) - size)
    return word[start : start + size]


def samples(organizer: Organizer, count: int, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(search term, code of an order it must find) per kind, drawn from the data."""

    def sample(queryset, *fields):
        return list(queryset.order_by("?").values_list(*fields)[:count])

    orders = Order.objects.filter(organizer=organizer)
    buyers = Buyer.objects.filter(organizer=organizer, orders__isnull=False).distinct()

    def with_order(rows):  # buyer rows -> (value, one order code of that buyer)
        codes = dict(orders.filter(buyer_id__in=[pk for pk, _ in rows]).values_list("buyer_id", "code"))
        return [(value, codes[pk]) for pk, value in rows]

    name_rows = sample(buyers, "pk", "name")
    phones = buyers.exclude(phone_normalized="")
    tickets = Ticket.objects.filter(order__organizer=organizer)
    return {
        "order code": [(code, code) for (code,) in sample(orders, "code")],
        "email": with_order(sample(buyers, "pk", "email")),
        # The start of the address, as an operator types it from what a caller spells: "yara.smit".
        "email fragment": with_order([(pk, email.split("@")[0].rstrip("0123456789")[:9]) for pk, email in
                                      sample(buyers, "pk", "email")]),  # fmt: skip
        "name fragment": with_order([(pk, name_fragment(name, rng)) for pk, name in name_rows]),
        "barcode": list(sample(tickets.exclude(state="void"), "barcode", "order__code")),
        "void barcode": list(sample(tickets.filter(state="void"), "barcode", "order__code")),
        "phone": with_order(sample(phones, "pk", "phone")),
        "phone last digits": with_order([(pk, phone[-rng.randint(6, 8):]) for pk, phone in
                                         sample(phones, "pk", "phone_normalized")]),  # fmt: skip
    }


class Server:
    """`boxoffice serve` on a free loopback port, its output in a log file."""

    def __init__(self, workers: int):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="boxoffice-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "boxoffice", "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            stdout=subprocess.DEVNULL,  # the access log: one line per request
            stderr=self.log,
        )

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"search: the server exited ({self.process.returncode}); see {self.log.name}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"search: the server did not start within {timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Client:
    """Sequential GETs over one HTTP/1.1 connection, reopened if the server closes it."""

    def __init__(self, port: int, org: str, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.path = f"/api/v1/organizers/{org}/orders?search="
        self.headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}

    def search(self, term: str) -> tuple[float, dict]:
        began = time.perf_counter()
        self.conn.request("GET", self.path + quote(term), headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed_ms = (time.perf_counter() - began) * 1000
        if response.status != 200:
            raise SystemExit(f"search: {term!r} answered {response.status}: {body[:300]!r}")
        return elapsed_ms, json.loads(body)

    def close(self) -> None:
        self.conn.close()


def run_kind(client: Client, kind: str, terms: list[tuple[str, str]], counts: dict[str, int]) -> list[float]:
    timings = []
    for term, code in terms:
        elapsed_ms, page = client.search(term)
        found = [item["code"] for item in page["items"]]
        if page["count"] < 1 or not found:
            raise SystemExit(f"search: {kind} {term!r} found nothing")
        # Exact identifiers must find their order; a name fragment may match more orders
        # than fit on a page, so only the count is checked for it.
        if kind not in FRAGMENTS and code not in found:
            raise SystemExit(f"search: {kind} {term!r} did not find order {code}")
        counts[term] = page["count"]
        timings.append(elapsed_ms)
    return timings


def time_name_queries(organizer: Organizer, terms: list[tuple[str, str]]) -> dict[str, list]:
    """The queries behind one name-fragment page, timed in this process: the selector
    (exact identifiers, then ranking the matching orders), the page of 25 and its count (free
    for ranked matches; a query for the few fragments matching more than MAX_RANKED_ORDERS)."""
    result = {"lookups": [], "page query": [], "count query": [], "matches": []}
    for term, _ in terms:
        began = time.perf_counter()
        queryset = search_orders(organizer, OrderFilters(search=term))
        result["lookups"].append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        list(queryset[:25])
        result["page query"].append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        count = queryset.count()
        result["count query"].append((time.perf_counter() - began) * 1000)
        result["matches"].append(count)
    return result


def report_line(label: str, timings: list[float], extra: str = "") -> str:
    return (
        f"{label:<24}{len(timings):>6}{median(timings):>9.1f}{percentile(timings, 0.95):>9.1f}"
        f"{max(timings):>9.1f}  {extra}"
    ).rstrip()


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    organizer = Organizer.objects.filter(slug=args.organizer).first()
    if organizer is None:
        raise SystemExit(f"search: no organizer {args.organizer!r}; run bench/generate.py first")
    operator = Membership.objects.filter(organizer=organizer, role="operator").first() or team.set_member(
        organizer, email=f"desk@{organizer.slug}.bench.test", role="operator"
    )
    token = team.create_api_token(operator, name="search benchmark")
    terms = samples(organizer, args.requests, rng)
    orders = Order.objects.filter(organizer=organizer).count()
    connection.close()  # the server and this client should not share a connection

    server = None
    if args.url:
        parts = urlsplit(args.url)
        if parts.hostname != "127.0.0.1":
            raise SystemExit("search: --url must be on 127.0.0.1")
        port = parts.port or 80
    else:
        server = Server(args.workers)
        port = server.port
    try:
        if server:
            server.wait_until_up()
        client = Client(port, organizer.slug, token)
        for term, _ in terms["order code"][:WARMUP_REQUESTS] + terms["name fragment"][:WARMUP_REQUESTS]:
            client.search(term)  # first requests of each worker load code and open connections
        counts: dict[str, int] = {}
        results = {kind: run_kind(client, kind, terms[kind], counts) for kind in KINDS}
        client.close()
    finally:
        if server:
            server.stop()

    for term, _ in terms["name fragment"]:
        # A plain word finds buyers by name; written like an address, by email too (selectors/orders.py).
        matching = Q(buyer__name__icontains=term)
        if may_be_part_of_an_email(term):
            matching |= Q(buyer__email_normalized__icontains=term.lower())
        expected = Order.objects.filter(matching, organizer=organizer).count()
        if counts[term] != expected:
            raise SystemExit(f"search: name fragment {term!r} counted {counts[term]} orders, not {expected}")
    name_queries = time_name_queries(organizer, terms["name fragment"])
    print(f"search: organizer {organizer.slug!r}, {orders} orders, {connection.vendor}, "
          f"{'server at ' + args.url if args.url else f'boxoffice serve --workers {args.workers}'}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end")  # fmt: skip
    print(f"{'kind':<24}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    missed = []
    for kind in KINDS:
        p95 = percentile(results[kind], 0.95)
        note = "" if p95 < TARGET_P95_MS else f"over the {TARGET_P95_MS:.0f} ms target"
        print(report_line(kind, results[kind], note))
        if p95 >= TARGET_P95_MS:
            missed.append(kind)
    matches = name_queries["matches"]
    print("name fragment, timed in-process (no HTTP):")
    print(report_line("  lookups and ranking", name_queries["lookups"]))
    print(report_line("  page query (25 rows)", name_queries["page query"]))
    print(report_line("  count query", name_queries["count query"],
                      f"orders matched: median {median(matches):.0f}, max {max(matches)}"))  # fmt: skip
    if missed:
        print(f"search: p95 over {TARGET_P95_MS:.0f} ms for: {', '.join(missed)}")


if __name__ == "__main__":
    main()
