"""Finding orders (§3.1). Each kind of identifier has its own index: order code and barcode
are unique, email is unique per organizer on the normalised address, phone has an index on
the normalised number. One search term is tried as the exact identifiers it could be first;
only when none matches is it a fragment of a name or an address, tested on the case-folded
copies each order keeps of its buyer's (Order.folded_buyer_name, Order.folded_buyer_email): on
PostgreSQL its first matches come from each month's trigram index in turn, newest first
(core/month_indexes.py); a rare fragment's few orders are ranked, a common one's page comes
from walking the newest orders. No search counts further than COUNT_BOUND."""

from contextlib import contextmanager
from functools import reduce
from operator import or_
from dataclasses import asdict, dataclass
from decimal import Decimal
from datetime import date, datetime, time
from time import monotonic
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import (
    Case, Count, DecimalField, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When,
)  # fmt: skip
from django.db.models.functions import Coalesce, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from psycopg.pq import TransactionStatus

from boxoffice.core import month_indexes, sql
from boxoffice.core.month_indexes import bound
from boxoffice.core.errors import NotFound
from boxoffice.core.models import Buyer, Comment, Event, Order, Organizer, Payment, Refund, Scan, Ticket
from boxoffice.core.models.orders import AddressWords, Like
from boxoffice.core.rules.codes import normalize_barcode, normalize_order_code
from boxoffice.core.rules.money import Balance, order_balance, to_money
from boxoffice.core.rules.contact import (
    PHONE_KEY_DIGITS, address_pattern, folded, gapped, looks_like_email, may_be_part_of_an_email, normalize_email,
    normalize_phone, only_in_addresses,
)

MIN_NAME_FRAGMENT = 2
# Look up orders counts its matches exactly up to this many and says "1,000+" beyond it:
# counting further would cost more than the page it answers (bench/README.md).
COUNT_BOUND = 1_000


@dataclass(frozen=True)
class OrderFilters:
    search: str = ""
    event_id: int | None = None
    timeslot_id: int | None = None
    status: str | None = None
    created_from: date | None = None
    created_to: date | None = None


def filters_params(filters: OrderFilters) -> dict:
    """The filters as JSON, for a job that finds the same orders later."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(filters).items()}


def filters_from_params(params: dict) -> OrderFilters:
    dates = {k: date.fromisoformat(params[k]) if params.get(k) else None for k in ("created_from", "created_to")}
    return OrderFilters(**{**params, **dates})


class OrderResults:
    """The orders a search found, newest first, taken by Django's and the API's paginators
    like a QuerySet (`count()`, slices). Counted exactly up to COUNT_BOUND (`count_exact`
    says whether there are more); a page loads only its own orders. `matching` is every
    match, unordered and unbounded, for an export or a message to all of them."""

    def __init__(
        self, matching: QuerySet[Order], *, ranked: list[int] | None = None, counted: int | None = None,
        newest: list[int] | None = None,
    ):  # fmt: skip
        self.matching = matching
        self._ranked = ranked  # all the matches' ids, newest first, when there are few
        self._newest = newest or []  # when there are more: the ids of the newest of them, in order
        self._counted = len(ranked) if ranked is not None else counted

    def all(self) -> "OrderResults":
        return self

    def count(self) -> int:
        if self._counted is None:
            self._counted = self.matching.order_by()[: COUNT_BOUND + 1].count()
        return min(self._counted, COUNT_BOUND)

    @property
    def count_exact(self) -> bool:
        self.count()
        return self._counted <= COUNT_BOUND

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Order]:
        if not isinstance(index, slice):
            raise TypeError("OrderResults takes slices only")
        # The page's ids alone, so that walking order_recent_idx stays inside the index (whole
        # rows would cost a heap visit for every order walked past); then its orders by id.
        if self._ranked is not None:
            ids = self._ranked[index]
        elif index.stop is not None and 0 <= (index.start or 0) and index.stop <= len(self._newest):
            ids = self._newest[index]
        else:
            ids = _walked_ids(self.matching, index)
        return orders_listed(ids)

    def __iter__(self):
        # The orders a list shows (up to COUNT_BOUND); every match is in `matching`.
        return iter(self[:COUNT_BOUND])


def search_orders(organizer: Organizer, filters: OrderFilters) -> OrderResults:
    """The organizer's orders matching the filters, newest first."""
    orders = Order.objects.filter(organizer=organizer)
    if filters.event_id is not None:
        orders = orders.filter(event_id=filters.event_id)
    if filters.timeslot_id is not None:
        orders = orders.filter(pk__in=Ticket.objects.filter(timeslot_id=filters.timeslot_id).values("order_id"))
    if filters.status:
        orders = orders.filter(status=filters.status)
    tz = ZoneInfo(organizer.timezone)
    span = (
        datetime.combine(_plausible(filters.created_from), time.min, tzinfo=tz) if filters.created_from else None,
        datetime.combine(_plausible(filters.created_to), time.max, tzinfo=tz) if filters.created_to else None,
    )
    term = filters.search.strip()
    return _matching(orders, organizer, term, span) if term else OrderResults(_within(orders, *span))


# No order is older or newer than these; a day typed beyond them ("0001-01-01") is taken as
# them, since a time near year 1 or 9999 cannot be moved to UTC (the month walk's bounds).
_EARLIEST_DAY, _LATEST_DAY = date(1900, 1, 1), date(9000, 1, 1)


def _plausible(day: date) -> date:
    return min(max(day, _EARLIEST_DAY), _LATEST_DAY)


def _within(orders: QuerySet[Order], since: datetime | None, before: datetime | None) -> QuerySet[Order]:
    if since:
        orders = orders.filter(created_at__gte=since)
    if before:
        orders = orders.filter(created_at__lt=before)
    return orders


# Each model of a listed order's row: its columns under the table's alias, and their attnames.
_LISTED = [(model, *sql.columns(model, alias)) for model, alias in ((Order, "o"), (Event, "e"), (Buyer, "b"))]
_LISTED_SQL = f"""
SELECT {", ".join(columns for _, columns, _ in _LISTED)}
FROM "{Order._meta.db_table}" o
JOIN "{Event._meta.db_table}" e ON e."id" = o."event_id"
JOIN "{Buyer._meta.db_table}" b ON b."id" = o."buyer_id"
WHERE o."id" {{ids}}
"""


def orders_listed(ids: list[int]) -> list[Order]:
    """These orders in this order, each with its event and buyer, as a list shows them: one
    statement written out and prepared (core/sql.py; the ORM spent 2 ms building a page of 25,
    bench/README.md), read where the ORM would read them (a replica in replica_reads)."""
    if not ids:
        return []
    using = router.db_for_read(Order)
    condition, params = sql.among(ids, using=using)
    rows = sql.execute(_LISTED_SQL.format(ids=condition), params, using=using)
    parts, start = [], 0
    for model, _, names in _LISTED:
        parts.append(sql.instances(model, names, [row[start : start + len(names)] for row in rows], using=using))
        start += len(names)
    by_id = {}
    for order, event, buyer in zip(*parts, strict=True):
        order.event, order.buyer = event, buyer
        by_id[order.pk] = order
    return [by_id[pk] for pk in ids if pk in by_id]  # an order deleted since it was found is left out


def _matching(undated: QuerySet[Order], organizer: Organizer, term: str, span: tuple) -> OrderResults:
    orders = _within(undated, *span)
    exact_ids = _exact_matches(organizer, term)
    if exact_ids:
        # A code, barcode, address or phone: a few orders, ranked and counted in one query.
        exact = orders.filter(pk__in=exact_ids)
        ranked = list(exact.order_by("-created_at", "-pk").values_list("pk", flat=True)[: COUNT_BOUND + 1])
        if len(ranked) > COUNT_BOUND:  # a buyer with more orders than are counted
            return OrderResults(exact, counted=len(ranked))
        return OrderResults(exact, ranked=ranked)
    if len(term) < MIN_NAME_FRAGMENT:
        return OrderResults(orders.none())
    # Part of a name ("smit"), or of an email ("yara.smit", "@example.test"): asked for in the
    # way the trigram indexes narrow best, tested as written where the newest orders are
    # walked (translating each address walked past made a page of "beatriz.s" 15 → 40 ms).
    copies = [("folded_buyer_name", folded(term), _in_name)] if not only_in_addresses(term) else []
    if may_be_part_of_an_email(term):
        copies.append(("folded_buyer_email", folded(normalize_email(term)), _in_address))
    narrowed = reduce(or_, (narrowing(fragment) for _, fragment, narrowing in copies))
    first, surely_newest = _first_matches(undated.filter(narrowed), COUNT_BOUND + 1, span, organizer)
    matching = orders.filter(reduce(or_, (Q(**{f"{field}__contains": fragment}) for field, fragment, _ in copies)))
    if len(first) > COUNT_BOUND:
        # Matches are everywhere: a page beyond the newest ones the walk gave in full comes
        # from walking the newest orders (order_recent_idx, which holds what the fragment is
        # tested on).
        return OrderResults(matching, counted=len(first), newest=first[:surely_newest])
    return OrderResults(matching, ranked=first)


def _in_name(fragment: str) -> Q:
    """The name holds the fragment. One written in words ("lena verm") is narrowed by its
    words in order (rules/contact.gapped, through the month's trigram index), then tested
    whole."""
    pattern = gapped(fragment)
    if pattern is None:
        return Q(folded_buyer_name__contains=fragment)
    return Q(folded_buyer_name__like=pattern) & _whole("folded_buyer_name", fragment)


def _in_address(fragment: str) -> Q:
    """The address holds the fragment: narrowed through the month's index of the addresses
    with their separators as digits (rules/contact.address_pattern), then tested whole."""
    narrowed = Like(AddressWords("folded_buyer_email"), address_pattern(fragment))
    return Q(narrowed) & _whole("folded_buyer_email", fragment)


def _whole(field: str, fragment: str) -> Q:
    """Tested as written, in a way no index takes, so that PostgreSQL does not look the
    fragment up by its trigrams as well."""
    return Q(GreaterThan(StrIndex(field, Value(fragment)), 0))


def _first_matches(undated: QuerySet[Order], limit: int, span: tuple, organizer: Organizer) -> tuple[list[int], int]:
    """The ids of up to `limit` matches within the span, newest first, and how many of the
    first of them are surely the newest of all (all when fewer than `limit` match;
    `_surely_newest`). On PostgreSQL the span is asked month by month, newest first, each
    month through its own trigram index (core/month_indexes.py), and PostgreSQL stops at the
    month that completes the count: a common fragment is done within the newest month. The
    ids alone cross to Python, ranked by the database. Left to itself, the planner sees the
    LIMIT, hopes to meet enough matches soon and walks the newest orders instead: through all
    of them for a rare fragment."""
    found = undated.order_by().values_list("created_at", "pk")
    walk = month_walk(organizer, *span) if connections[found.db].vendor == "postgresql" else None
    if walk == []:  # a span that ends before it starts
        return [], 0
    with _planner_without(found.db, "indexscan", "indexonlyscan") as alias:
        statement, params = first_matches_statement(found.using(alias), limit, span, walk)
        rows = sql.execute(statement, params, using=alias)
    ids = [row[0] for row in rows]
    if len(rows) < limit:
        return ids, len(ids)
    return ids, _surely_newest(rows) if walk else 0


def _surely_newest(rows: list[tuple[int, int]]) -> int:
    """How many of the walk's first rows (id, part; newest first) are the newest matches of
    all. Each part of the walk gives its matches in no order, and the walk stops inside the
    part that completes the count: the rows of the parts before it are all theirs, those of
    that part any of its matches. A common fragment's first page is then taken from them
    instead of walking the newest orders again (7–9 ms for "beatriz.s" at a million orders).
    The parts are numbered by the statement: the orders' times, read instead, cost 1.5 ms."""
    last = rows[-1][1]
    return sum(1 for _, part in rows if part < last)


def first_matches_statement(found: QuerySet, limit: int, span: tuple, walk: list[str] | None) -> tuple[str, list]:
    """The statement of `_first_matches`: the span's parts of the walk in turn (PostgreSQL) or
    the span at once (SQLite), ranked."""
    if walk is None:
        query, params = _within(found, *span)[:limit].query.sql_with_params()
    else:
        query, params = found.query.sql_with_params()
        parts = [f"(SELECT *, {n} AS part FROM ({query}) month WHERE {part} LIMIT {limit})" for n, part in enumerate(walk)]
        query, params = f"SELECT * FROM ({' UNION ALL '.join(parts)}) walked LIMIT {limit}", params * len(parts)
    columns = "found.pk" if walk is None else "found.pk, found.part"
    return f"SELECT {columns} FROM ({query}) found ORDER BY found.created_at DESC, found.pk DESC", params


def month_walk(organizer: Organizer, since: datetime | None, before: datetime | None) -> list[str]:
    """The span as the conditions of its months, newest first: orders dated after this month,
    then each month back to the month of `since` or of the oldest order, then anything older.
    The bounds are written out, not parameters: the prepared statement keeps one plan for
    any term (`_planner_without`), and PostgreSQL takes a month's own index only for
    conditions that imply the index's, and estimates a date range well only if it knows it."""
    now = timezone.now()
    top = month_indexes.month_of(min(before, now) if before else now)
    floor = month_indexes.month_of(min(since or _oldest_order(organizer, now), now))
    floor = max(floor, top.replace(year=top.year - month_indexes.OLDEST_YEARS))
    parts = [_between(month_indexes.next_month(top), None, since, before)]
    month = top
    while month >= floor:
        parts.append(_between(month, month_indexes.next_month(month), since, before))
        month = month_indexes.previous_month(month)
    parts.append(_between(None, month_indexes.next_month(month), since, before))
    return [part for part in parts if part]


# The date of each organizer's oldest order, by database and organizer, with when it was read.
_OLDEST: dict[tuple[str, int], tuple[float, datetime]] = {}
OLDEST_KEPT_SECONDS = 300


def _oldest_order(organizer: Organizer, now: datetime) -> datetime:
    """When the organizer's oldest order was made, as read at most OLDEST_KEPT_SECONDS ago:
    reading it cost 1–2 ms of every search at a million orders. One older than it reads is
    still found, by the walk's last part (anything older), only more slowly."""
    key = (router.db_for_read(Order), organizer.pk)
    read_at, oldest = _OLDEST.get(key, (None, None))
    if read_at is None or monotonic() - read_at > OLDEST_KEPT_SECONDS:
        orders = Order.objects.using(key[0]).filter(organizer=organizer).order_by("created_at")
        oldest = orders.values_list("created_at", flat=True).first() or now
        _OLDEST[key] = (monotonic(), oldest)
    return oldest


def _between(start: datetime | None, end: datetime | None, since: datetime | None, before: datetime | None) -> str:
    """The condition "from start (or since, if later) until end (or before, if sooner)", or ""
    when nothing is between."""
    low = max(filter(None, (start, since)), default=None)
    high = min(filter(None, (end, before)), default=None)
    if low and high and low >= high:
        return ""
    bounds = ([f"month.created_at >= {bound(low)}"] if low else []) + ([f"month.created_at < {bound(high)}"] if high else [])
    return " AND ".join(bounds) or "TRUE"


def _walked_ids(matching: QuerySet[Order], index: slice) -> list[int]:
    """The ids of a page of a common fragment's matches, newest first, from walking
    order_recent_idx alone: the planner, which cannot tell how common a fragment is, would
    often take the trigram index and sort every match instead (35 ms for "lin" at a million
    orders, bench/README.md). Prepared, as the walk of the months is: a page of "mit" 1.3 →
    0.9 ms at a million orders, the ORM's compiling and PostgreSQL's planning left out."""
    ids = matching.order_by("-created_at", "-pk").values_list("pk", flat=True)[index]
    with _planner_without(ids.db, "bitmapscan") as alias:
        try:
            statement, params = ids.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:  # a search that can match nothing (one letter)
            return []
        return [pk for (pk,) in sql.execute(statement, list(params), using=alias)]


@contextmanager
def _planner_without(alias: str, *methods: str):
    """PostgreSQL's planner without these scan methods, and without parallel workers (whose
    start costs 10 ms, more than the walk they would share), for the queries of the block on
    the database `alias`; elsewhere nothing changes. A statement prepared in the block
    (core/sql.py) keeps one plan for any term: planning the month walk anew for each search
    cost 5.6 ms, more than running it (bench/README.md)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield alias
        return
    settings = {f"enable_{method}": "0" for method in methods}
    # Nor compiling a plan the planner thinks costly (a month without its index) for 50 ms.
    settings |= {"max_parallel_workers_per_gather": "0", "plan_cache_mode": "force_generic_plan", "jit": "off"}
    with connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET {name} = {value}" for name, value in settings.items()))  # one round trip
        try:
            yield alias
        finally:
            # In a failed transaction its rollback undoes the SETs; anywhere else undo them here.
            if connection.connection.info.transaction_status != TransactionStatus.INERROR:
                cursor.execute("; ".join(f"RESET {name}" for name in settings))


def _exact_matches(organizer: Organizer, term: str) -> list[int]:
    ids: list[int] = []
    if code := normalize_order_code(term):
        ids += Order.objects.filter(organizer=organizer, code=code).values_list("pk", flat=True)
    if barcode := normalize_barcode(term):
        ids += Ticket.objects.filter(barcode=barcode, order__organizer=organizer).values_list("order_id", flat=True)
    if looks_like_email(term):
        buyer_ids = Buyer.objects.filter(organizer=organizer, email_normalized=normalize_email(term)).values("pk")
        ids += Order.objects.filter(organizer=organizer, buyer__in=buyer_ids).values_list("pk", flat=True)
    elif phone := normalize_phone(term):
        # The whole number, or its last digits (6 or more): "…345678" is what a caller reads out.
        same = {"phone_normalized": phone} if len(phone) >= PHONE_KEY_DIGITS else {"phone_normalized__endswith": phone}
        buyer_ids = Buyer.objects.filter(organizer=organizer, **same).values("pk")
        ids += Order.objects.filter(organizer=organizer, buyer__in=buyer_ids).values_list("pk", flat=True)
    return ids


@dataclass(frozen=True)
class Visit:
    """When an order's visitors come: its first time block, how many more, its live tickets."""

    start: datetime
    end: datetime
    more_blocks: int
    tickets: int


def visits_of(orders) -> dict[int, Visit]:
    """The visit of each order of a results page, in one query."""
    rows = (
        Ticket.objects.filter(order__in=[o.pk for o in orders]).exclude(state=Ticket.State.VOID)
        .values("order_id", "timeslot__start", "timeslot__end").annotate(n=Count("pk"))
        .order_by("order_id", "timeslot__start")
    )  # fmt: skip
    by_order: dict[int, list[dict]] = {}
    for row in rows:
        by_order.setdefault(row["order_id"], []).append(row)
    return {
        order_id: Visit(slots[0]["timeslot__start"], slots[0]["timeslot__end"], len(slots) - 1, sum(r["n"] for r in slots))
        for order_id, slots in by_order.items()
    }


def find_ticket_by_barcode(organizer: Organizer, text: str) -> Ticket | None:
    """For a handheld scanner typing into the search box: the organizer's ticket it names
    (with its order), current or void."""
    barcode = normalize_barcode(text)
    if barcode is None:
        return None
    return Ticket.objects.select_related("order").filter(barcode=barcode, order__organizer=organizer).first()


def current_replacement(ticket: Ticket) -> Ticket | None:
    """The live ticket that replaces a reissued one (after any number of reissues), if any."""
    replacement = Ticket.objects.filter(replaces=ticket).first()
    while replacement is not None and replacement.void_reason == "reissued":
        replacement = Ticket.objects.filter(replaces=replacement).first()
    return replacement


def get_order(organizer: Organizer, code: str) -> Order:
    """The organizer's order with this code; NotFound for unknown codes and for orders of
    other organizers alike."""
    normalized = normalize_order_code(code) or code
    order = Order.objects.select_related("buyer", "event", "organizer").filter(organizer=organizer, code=normalized).first()
    if order is None:
        raise NotFound(f"No order {code}.")
    return order


# An order's page and its API answer show this many of its tickets (live ones first), and how
# many there are: a group order of 1,000 tickets opens as fast as a small one. Ticket
# operations and GET orders/{code}/tickets list them all.
TICKETS_SHOWN = 100


def get_order_detail(organizer: Organizer, code: str) -> Order:
    """The order with everything its page shows, in a fixed number of queries: its first
    TICKETS_SHOWN live and void tickets (`shown_live`, `shown_void`) and their counts
    (`ticket_counts`: live, void, printable)."""
    order = get_order(organizer, code)
    tickets = Ticket.objects.select_related("ticket_type", "timeslot__event").order_by("pk")
    detail = (
        Order.objects.select_related("buyer", "event", "organizer")
        .prefetch_related(
            "lines",
            "payments",
            "refunds",
            "messages",
            Prefetch("comments", queryset=Comment.objects.order_by("created_at", "pk")),
        )
        .get(pk=order.pk)
    )
    # Plain LIMIT queries: a sliced Prefetch numbers every ticket of the order with a window
    # function first (21 ms for the 5,000 void tickets of a group order reissued five times).
    of_order = tickets.filter(order=order)
    detail.shown_live = list(of_order.exclude(state=Ticket.State.VOID)[:TICKETS_SHOWN])
    detail.shown_void = list(of_order.filter(state=Ticket.State.VOID)[:TICKETS_SHOWN])
    detail.ticket_counts = Ticket.objects.filter(order=order).aggregate(
        live=Count("pk", filter=~Q(state=Ticket.State.VOID)),
        void=Count("pk", filter=Q(state=Ticket.State.VOID)),
        printable=Count("pk", filter=~Q(state__in=[Ticket.State.VOID, Ticket.State.BLACKLISTED])),
    )
    return detail


def get_ticket_detail(organizer: Organizer, code: str, barcode: str) -> Ticket:
    """A ticket of the organizer's order with its gate scans, newest first. NotFound for a
    barcode of another order, as for an unknown one."""
    order = get_order(organizer, code)
    ticket = (
        Ticket.objects.select_related("order__buyer", "ticket_type", "timeslot__event")
        .prefetch_related(Prefetch("scans", queryset=Scan.objects.select_related("device").order_by("-at", "-pk")))
        .filter(order=order, barcode=normalize_barcode(barcode) or barcode)
        .first()
    )
    if ticket is None:
        raise NotFound(f"Order {order.code} has no ticket {barcode}.")
    return ticket


def buyer_comments(order: Order) -> QuerySet[Comment]:
    return Comment.objects.filter(buyer_id=order.buyer_id, scope=Comment.Scope.BUYER).order_by("created_at", "pk")


def balance_of(order: Order) -> Balance:
    """Total, paid, refunded, due or to refund (rules/money.py), from the order's rows."""
    return order_balance(
        total=order.total,
        removed=order.status == Order.Status.REMOVED,
        payments=[p.amount for p in order.payments.all()],
        refunds=[r.amount for r in order.refunds.all()],
    )


def paid_balance(order: Order) -> Decimal:
    """What the buyer paid on this order, less what was refunded."""
    paid = order.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    refunded = order.refunds.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return to_money(paid - refunded)


def refunds_due(organizer: Organizer) -> QuerySet:
    """Orders with money to give back (rules/money.py's `to_refund`: what was paid, less what
    was refunded, less what the order is still worth; a removed order is worth nothing),
    oldest change first, annotated with paid_sum, refunded_sum and to_refund."""
    money = DecimalField(max_digits=12, decimal_places=2)
    zero = Value(Decimal("0.00"), output_field=money)

    def summed(model):
        rows = model.objects.filter(order=OuterRef("pk")).values("order").annotate(s=Sum("amount")).values("s")
        return Coalesce(Subquery(rows, output_field=money), zero)

    worth = Case(When(status=Order.Status.REMOVED, then=zero), default=F("total"), output_field=money)
    return (
        Order.objects.filter(organizer=organizer)
        .annotate(paid_sum=summed(Payment), refunded_sum=summed(Refund))
        .annotate(to_refund=ExpressionWrapper(F("paid_sum") - F("refunded_sum") - worth, output_field=money))
        .filter(to_refund__gt=0)
        .select_related("buyer", "event")
        .order_by("updated_at", "pk")
    )
