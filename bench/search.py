"""Order search latency through the REST API, per kind of search term.

    python bench/search.py [--organizer bench] [--requests 300] [--portal-requests 100] [--url http://127.0.0.1:8000]

Starts `boxoffice serve --bind 127.0.0.1:PORT --workers 2` (settings from the environment,
DATABASE_URL) unless --url names a running server, creates an API token for an operator of
the organizer, then for each kind of term (order code, email, name fragment, barcode, phone)
sends N sequential GET /api/v1/organizers/{org}/orders?search=... requests with values sampled
from the database, checks every answer finds the order it should, and prints p50/p95/max.
It also times the name-fragment search's two queries (the page and its count) directly, and
the portal's Look up orders for each kind (the page and the results part htmx asks for) in
this process through Django's test client.
Only 127.0.0.1 is ever contacted; the server it started is stopped at the end.
"""

import argparse
from collections import Counter
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
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo
from statistics import median
from urllib.parse import quote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client as DjangoClient  # noqa: E402

import psycopg  # noqa: E402

from boxoffice.core import sql as written  # noqa: E402
from boxoffice.core.models import Buyer, Membership, Order, Organizer, Ticket  # noqa: E402
from boxoffice.core.rules.contact import may_be_part_of_an_email, only_in_addresses  # noqa: E402
from boxoffice.core.selectors.orders import COUNT_BOUND, OrderFilters, search_orders  # noqa: E402
from boxoffice.core.services import team  # noqa: E402

KINDS = ("order code", "email", "email fragment", "name fragment", "name fragment, paid", "name fragment, 30 days",
         "barcode", "void barcode", "phone", "phone last digits")  # fmt: skip
# May match more orders than fit on a page: checked against a count and the newest page.
FRAGMENTS = ("email fragment", "name fragment", "name fragment, paid", "name fragment, 30 days")
CHECKED = 100
LAST_30_DAYS = (date.today() - timedelta(days=30)).isoformat()
FILTERS = {"name fragment, paid": {"status": "paid"}, "name fragment, 30 days": {"created_from": LAST_30_DAYS}}
TARGET_P95_MS = 20.0
PORTAL_TARGET_MS = 50.0  # the results Enter asks for, at p95
WARMUP_REQUESTS = 20
REQUEST_TIMEOUT = 30  # seconds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizer", default="bench", help="slug of the generated organizer (default: bench)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per kind (default: 300)")
    parser.add_argument("--url", help="use this running server (http://127.0.0.1:PORT) instead of starting one")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of the started server (default: 2)")
    parser.add_argument("--portal-requests", type=int, default=100,
                        help="portal searches per kind, timed in-process (default: 100; 0 for none)")
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
        "name fragment, paid": with_order([(pk, name_fragment(name, rng)) for pk, name in name_rows]),
        "name fragment, 30 days": with_order([(pk, name_fragment(name, rng)) for pk, name in name_rows]),
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

    def search(self, term: str, filters: dict | None = None) -> tuple[float, dict]:
        began = time.perf_counter()
        more = f"&{urlencode(filters)}" if filters else ""
        self.conn.request("GET", self.path + quote(term) + more, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed_ms = (time.perf_counter() - began) * 1000
        if response.status != 200:
            raise SystemExit(f"search: {term!r} answered {response.status}: {body[:300]!r}")
        return elapsed_ms, json.loads(body)

    def close(self) -> None:
        self.conn.close()


def run_kind(client: Client, kind: str, terms: list[tuple[str, str]], pages: dict) -> list[float]:
    timings = []
    for term, code in terms:
        elapsed_ms, page = client.search(term, FILTERS.get(kind))
        found = [item["code"] for item in page["items"]]
        if kind in FRAGMENTS:
            pages[kind, term] = page  # checked afterwards against the data
        elif code not in found:
            raise SystemExit(f"search: {kind} {term!r} did not find order {code}")
        timings.append(elapsed_ms)
    return timings


def orm_filters(organizer: Organizer, kind: str) -> dict:
    api = FILTERS.get(kind, {})
    found = {"status": api["status"]} if "status" in api else {}
    if "created_from" in api:
        start = datetime.combine(date.fromisoformat(api["created_from"]), datetime.min.time(), ZoneInfo(organizer.timezone))
        found["created_at__gte"] = start
    return found


def check_fragment_pages(organizer: Organizer, pages: dict) -> None:
    """Each fragment's answer against the buyers themselves (not the orders' copies): its
    count exact up to COUNT_BOUND, its first page the newest matching orders. The first
    CHECKED answers of each kind: every check reads all the buyers."""
    checked: Counter = Counter()
    for (kind, term), page in pages.items():
        checked[kind] += 1
        if checked[kind] > CHECKED:
            continue
        # A plain word finds buyers by name; written like an address, by email too (selectors/orders.py).
        matching = Q(buyer__name__icontains=term) if not only_in_addresses(term) else Q(pk__in=[])
        if may_be_part_of_an_email(term):
            matching |= Q(buyer__email_normalized__icontains=term.lower())
        expected = Order.objects.filter(matching, organizer=organizer, **orm_filters(organizer, kind))
        newest = list(expected.order_by("-created_at", "-pk").values_list("code", flat=True)[: len(page["items"])])
        total = expected.count()
        if (page["count"], page["count_exact"]) != (min(total, COUNT_BOUND), total <= COUNT_BOUND):
            raise SystemExit(f"search: {kind} {term!r} counted {page['count']} orders of {total}")
        if [item["code"] for item in page["items"]] != newest:
            raise SystemExit(f"search: {kind} {term!r}: the page is not the newest matching orders")


def time_name_queries(organizer: Organizer, terms: list[tuple[str, str]]) -> dict[str, list]:
    """The queries behind one name-fragment page, timed in this process: the selector (exact
    identifiers, then up to COUNT_BOUND + 1 matches through the trigram indexes, ranked when
    they are all), the page of 25 (ranked: by primary key; more: the newest of the first
    matches, or walking the newest orders when they are fewer) and its count (no query: the
    selector counted)."""
    result = {"lookups": [], "page query": [], "count query": [], "matches": []}
    for term, _ in terms:
        began = time.perf_counter()
        found = search_orders(organizer, OrderFilters(search=term))
        result["lookups"].append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        list(found[:25])
        result["page query"].append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        count = found.count()
        result["count query"].append((time.perf_counter() - began) * 1000)
        result["matches"].append(count if found.count_exact else COUNT_BOUND + 1)
    return result


def time_portal(organizer: Organizer, operator: Membership, terms: dict, count: int) -> dict[str, tuple[list, list]]:
    """Look up orders in the portal, per kind: the server's time for the whole page and for
    the results part alone (what htmx asks for when Enter is pressed), in this process
    through Django's test client signed in as the operator (no network, no browser). A term
    that finds one order answers with a redirect to it, as the portal does."""
    client = DjangoClient(HTTP_HOST="127.0.0.1")
    client.force_login(operator.user)
    path = f"/o/{organizer.slug}/"

    def fetch(params: dict, **headers) -> float:
        began = time.perf_counter()
        response = client.get(path, params, secure=True, **headers)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code not in (200, 302):
            raise SystemExit(f"search: the portal answered {response.status_code} to {params}")
        return elapsed

    for term, _ in terms["name fragment"][:WARMUP_REQUESTS]:
        fetch({"q": term}), fetch({"q": term}, HTTP_HX_REQUEST="true")  # templates compiled, caches filled
    result = {}
    for kind in KINDS:
        pages, parts = [], []
        for term, _ in terms[kind][:count]:
            params = {"q": term, **FILTERS.get(kind, {})}
            pages.append(fetch(params))
            parts.append(fetch(params, HTTP_HX_REQUEST="true"))
        result[kind] = (pages, parts)
    return result


def plan_summary(organizer: Organizer, kind: str, term: str) -> str:
    """How PostgreSQL answered one search of this kind: each query's scans (node, index) and
    its time, from EXPLAIN ANALYZE run in the session state the query itself ran in."""
    plans = []

    def explain(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and not many:
            with connection.connection.cursor() as raw:
                raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plans.append(raw.fetchone()[0][0])
        return execute(sql, params, many, context)

    api = FILTERS.get(kind, {})
    filters = OrderFilters(search=term, status=api.get("status"),
                           created_from=date.fromisoformat(api["created_from"]) if "created_from" in api else None)  # fmt: skip
    def explain_written(statement, params, **options):  # core/sql.py's, prepared beside Django's cursor
        if statement.lstrip().upper().startswith("SELECT"):
            with psycopg.Cursor(connection.connection) as raw:
                raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
                plans.append(raw.fetchone()[0][0])
        return execute_written(statement, params, **options)

    execute_written, written.execute = written.execute, explain_written
    try:
        with connection.execute_wrapper(explain):
            found = search_orders(organizer, filters)
            list(found[:25])
            found.count()
    finally:
        written.execute = execute_written
    parts = []
    for plan in plans:
        scans = sorted({_scan_name(node) for node in _nodes(plan["Plan"]) if "Scan" in node["Node Type"]})
        parts.append(f"{' + '.join(scans) or 'no scan'} {plan['Execution Time']:.1f} ms")
    return "; ".join(parts)


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _scan_name(node: dict) -> str:
    # A month's own index, one name for all of them (core/month_indexes.py).
    where = re.sub(r"_trgm_\d{4}_\d{2}$", "_trgm_<month>", node.get("Index Name") or node.get("Relation Name") or "")
    short = {"Index Only Scan": "index-only", "Index Scan": "index", "Bitmap Index Scan": "bitmap",
             "Bitmap Heap Scan": "heap", "Seq Scan": "SEQ SCAN"}.get(node["Node Type"], node["Node Type"])  # fmt: skip
    return f"{short} {where}".strip()


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
        pages: dict = {}
        results = {kind: run_kind(client, kind, terms[kind], pages) for kind in KINDS}
        client.close()
    finally:
        if server:
            server.stop()

    check_fragment_pages(organizer, pages)
    name_queries = time_name_queries(organizer, terms["name fragment"])
    portal = time_portal(organizer, operator, terms, args.portal_requests) if args.portal_requests else {}
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
    more = sum(m > COUNT_BOUND for m in matches)
    print(report_line("  count", name_queries["count query"],
                      f"orders matched: median {median(matches):.0f}, {more} of {len(matches)} over {COUNT_BOUND}"))  # fmt: skip
    if portal:
        print(f"portal Look up orders, server time in-process (Django's test client), target {PORTAL_TARGET_MS:.0f} ms:")
        print(f"{'kind':<24}{'n':>6}{'page p50':>9}{'p95':>7}{'results p50':>12}{'p95':>7}{'max':>7}")
        for kind, (whole, part) in portal.items():
            over = "" if percentile(part, 0.95) < PORTAL_TARGET_MS else "  results over the target"
            print(f"{kind:<24}{len(whole):>6}{median(whole):>9.1f}{percentile(whole, 0.95):>7.1f}"
                  f"{median(part):>12.1f}{percentile(part, 0.95):>7.1f}{max(part):>7.1f}{over}")  # fmt: skip
    if connection.vendor == "postgresql":
        print("query plans, one search of each kind (scans; EXPLAIN ANALYZE time per query):")
        for kind in KINDS:
            term = terms[kind][0][0]
            print(f"  {kind:<24}{term!r}: {plan_summary(organizer, kind, term)}")
    if missed:
        print(f"search: p95 over {TARGET_P95_MS:.0f} ms for: {', '.join(missed)}")


if __name__ == "__main__":
    main()
