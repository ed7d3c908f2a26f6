"""Fill a database with a realistic organizer for benchmarks.

    python bench/generate.py --orders 100000 [--organizer bench] [--seed 1]

Creates the organizer, its team, one event with a year of timeslots and three ticket types
through the services, then N orders with their buyers (a few orders per buyer), order lines,
payments and 1-4 tickets each. Settings come from the environment (DATABASE_URL), as for
`boxoffice serve`; migrations are applied first.

The orders are NOT made through services.sales.sell_order, on purpose: one service call per
order (with its locks, audit entry and per-row inserts) would take an hour for 100,000 orders.
They are written as plain rows in batches instead (COPY on PostgreSQL), and the script keeps
what the services guarantee and the search relies on: unique order codes and barcodes from
rules.codes, normalised buyer emails and phones, totals from rules.money, and Timeslot.sold /
TicketType.sold equal to the live tickets. No audit entries or outbox messages are written.
"""

import argparse
import os
import random
import sys
import time
import unicodedata
from collections import Counter
from datetime import date, time as clock, timedelta
from decimal import Decimal
from math import ceil
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from boxoffice.core import month_indexes  # noqa: E402
from boxoffice.core.models import (  # noqa: E402
    Buyer, Order, OrderLine, Organizer, Payment, Ticket, TicketType, Timeslot, buyer_copies,
)  # fmt: skip
from boxoffice.core.rules.codes import new_barcode, new_order_code  # noqa: E402
from boxoffice.core.rules.contact import normalize_email, normalize_phone  # noqa: E402
from boxoffice.core.rules.money import PricedLine, order_total  # noqa: E402
from boxoffice.core.services import setup, team  # noqa: E402

FIRST_NAMES = """
Emma Julia Sophie Tess Anna Sara Lotte Eva Lisa Fleur Noor Mila Zoë Nina Iris Femke Sanne Lieke
Daan Sem Lucas Levi Finn Milan Jesse Bram Thijs Ruben Lars Stijn Tim Sven Jasper Niels Koen
Olivia Amelia Isla Ava Grace Freya Charlotte Emily Oliver George Harry Jack Noah Leo Arthur
Marie Léa Camille Chloé Manon Louis Gabriel Jules Hugo Raphaël Maël Lina Inès Adam Nathan
Hannah Lena Leonie Mia Johanna Felix Paul Jonas Maximilian Elias Lukas Luca Matteo Giulia
Francesca Alessandro Sofia Lucía Martina Mateo Hugo Pablo Daniel Alejandro Valentina Ana João
Beatriz Tomás Inês Pedro Mohammed Fatima Yusuf Ayşe Mehmet Aisha Omar Priya Arjun Wei Mei
Hiroshi Yuki Olga Ivan Katarzyna Piotr Agnieszka Tomasz Eszter Bence Ingrid Erik Astrid Nils
""".split()
LAST_NAMES = """
de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder
de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf
van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|Kuipers
Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|Wright|Thompson|Evans|Walker
Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Simon|Laurent|Lefebvre
Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter
Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|García|Fernández|González|Rodríguez|López
Martínez|Sánchez|Pérez|Silva|Santos|Ferreira|Pereira|Oliveira|Costa|Yılmaz|Kaya|Demir|Şahin
Nowak|Kowalski|Wiśniewski|Wójcik|Nagy|Kovács|Tóth|Andersen|Nielsen|Hansen|Johansson|Larsson
Novák|Svoboda|Ivanova|Popescu|Khan|Patel|Singh|Chen|Wang|Li|Zhang|Tanaka|Suzuki|Sato|Kim|Park
""".replace("\n", "|").strip("|").split("|")
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "ziggo.nl", "kpnmail.nl",
                 "icloud.com", "proton.me", "web.de", "orange.fr", "libero.it", "telenet.be"]  # fmt: skip
TICKET_TYPES = [("Adult", Decimal("17.50"), 55), ("Child", Decimal("8.00"), 30), ("Senior", Decimal("12.50"), 15)]
TICKETS_PER_ORDER = ([1] * 25) + ([2] * 40) + ([3] * 20) + ([4] * 15)  # weights in percent; mean 2.25


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, required=True, help="how many orders to create")
    parser.add_argument("--organizer", default="bench", help="slug of the organizer to create (default: bench)")
    parser.add_argument("--batch", type=int, default=5000, help="orders per bulk insert (default: 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for names, sizes and dates")
    return parser.parse_args()


class Table:
    """Rows of one model written the fast way: plain tuples with ids chosen here (no model
    instances, no RETURNING), by COPY on PostgreSQL and executemany elsewhere. A column not
    given takes its field's default, computed once; given values are already what the
    services would store."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        self.rows: list[tuple] = []

    def add(self, **values) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        self.rows.append(tuple(values[f.attname] if f.attname in values else self.defaults[f.attname]
                               for f in self.fields))  # fmt: skip
        return pk

    def flush(self) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                prepared = [
                    tuple(f.get_db_prep_save(value, connection) for f, value in zip(self.fields, row)) for row in self.rows
                ]
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)
        self.rows = []

    def finish(self) -> None:
        """Move the table's id sequence past the ids written here, as inserts would have."""
        self.flush()
        if connection.vendor == "postgresql":
            table = self.model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM " + connection.ops.quote_name(table) + "))",
                    [table],
                )


def ascii_letters(text: str) -> str:
    """"Zoë" -> "zoe" for an address, as most people with accented names write it."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def unique(make, seen: set) -> str:
    while True:
        value = make()
        if value not in seen:
            seen.add(value)
            return value


def create_catalogue(slug: str, orders: int):
    """Organizer, team, event, timeslots and ticket types, through the services."""
    if Organizer.objects.filter(slug=slug).exists():
        sys.exit(f"generate: organizer {slug!r} already exists; choose another --organizer")
    organizer = team.create_organizer(slug=slug, name=f"Benchmark Museum ({slug})", timezone_name="Europe/Amsterdam")
    admin = team.set_member(organizer, email=f"admin@{slug}.bench.test", role="admin")
    team.set_member(organizer, email=f"desk@{slug}.bench.test", role="operator")
    event = setup.create_event(organizer, name="Permanent collection", venue="Main building", actor=admin)
    first = date.today() - timedelta(days=182)
    capacity = max(50, ceil(orders * 2.25 / 730 * 1.5))  # raised later where a slot sold more
    slots = []
    for start, end in ((clock(10), clock(13)), (clock(13), clock(17))):
        series = setup.DailySeries(first_day=first, last_day=first + timedelta(days=364), start_time=start,
                                   end_time=end, capacity=capacity)  # fmt: skip
        slots += setup.create_timeslot_series(event, series, actor=admin)
    ticket_types = [
        setup.create_ticket_type(event, name=name, price=price, vat_rate=Decimal("9"), actor=admin)
        for name, price, _ in TICKET_TYPES
    ]
    return organizer, admin, event, slots, ticket_types


def make_buyers(organizer, count: int, rng: random.Random, batch: int) -> dict[int, dict]:
    """The buyers' ids, each with what an order keeps of its buyer (models.buyer_copies)."""
    emails: set[str] = set()
    now = timezone.now()
    buyers = Table(Buyer)
    copies = {}
    with transaction.atomic():
        for start in tqdm(range(0, count, batch), desc="buyers", unit="batch"):
            for _ in range(min(batch, count - start)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                local = ascii_letters(f"{first}.{last}".lower().replace(" ", ""))
                email = unique(lambda: f"{local}{rng.randint(1, 9999)}@{rng.choice(EMAIL_DOMAINS)}", emails)
                phone = ""
                if rng.random() < 0.7:
                    phone = rng.choice(["+31 6 {} {}", "06-{}{}", "+32 4{} {}", "+49 151 {}{}"]).format(
                        rng.randint(1000, 9999), rng.randint(1000, 9999)
                    )
                buyer = Buyer(name=f"{first} {last}", email=email, email_normalized=normalize_email(email))
                pk = buyers.add(
                    organizer_id=organizer.pk, email=email, email_normalized=buyer.email_normalized, name=buyer.name,
                    phone=phone, phone_normalized=normalize_phone(phone), language=rng.choice(["en", "nl", "de", "fr"]),
                    created_at=now - timedelta(days=rng.random() * 365),
                )  # fmt: skip
                copies[pk] = buyer_copies(buyer)
            buyers.flush()
        buyers.finish()
    return copies


def buyer_sequence(buyer_ids: list[int], orders: int, rng: random.Random) -> list[int]:
    """One buyer per order: every buyer has at least one order, the rest are spread at random
    (with 2.5 orders per buyer, most have 1 to 4)."""
    sequence = buyer_ids[:orders] + rng.choices(buyer_ids, k=max(0, orders - len(buyer_ids)))
    rng.shuffle(sequence)
    return sequence


def create_orders(args, organizer, operator, event, slots, ticket_types, rng: random.Random):
    """Returns the live tickets per timeslot and per ticket type, the number of tickets and
    the number of buyers."""
    copies = make_buyers(organizer, max(1, ceil(args.orders / 2.5)), rng, args.batch)
    buyer_ids = list(copies)
    buyers = buyer_sequence(buyer_ids, args.orders, rng)
    type_weights = [weight for _, _, weight in TICKET_TYPES]
    codes: set[str] = set(Order.objects.filter(organizer=organizer).values_list("code", flat=True))
    barcodes: set[str] = set()
    slot_sold: Counter = Counter()
    type_sold: Counter = Counter()
    now = timezone.now()
    # Oldest first, as a box office writes them: ids and the table's pages follow the time of
    # sale, as they do in a real installation, and a date range's orders sit on few pages.
    days_ago = sorted((rng.random() * 365 for _ in range(args.orders)), reverse=True)
    orders, lines, payments, tickets = Table(Order), Table(OrderLine), Table(Payment), Table(Ticket)
    progress = tqdm(total=args.orders, desc="orders", unit="order")
    for start in range(0, args.orders, args.batch):
        size = min(args.batch, args.orders - start)
        for i in range(size):
            quantity = rng.choice(TICKETS_PER_ORDER)
            kinds = Counter(rng.choices(ticket_types, weights=type_weights, k=quantity))
            roll = rng.random()
            method = "invoice" if roll < 0.05 else rng.choice(["card", "card", "card", "cash"])
            status = "pending" if method == "invoice" else "removed" if roll > 0.97 else "paid"
            priced = {tt: PricedLine(n, tt.price, tt.vat_rate) for tt, n in kinds.items()}
            total = order_total(list(priced.values()))
            created = now - timedelta(days=days_ago[start + i])
            slot = rng.choice(slots)
            order_id = orders.add(
                organizer_id=organizer.pk, event_id=event.pk, code=unique(new_order_code, codes),
                buyer_id=buyers[start + i], **copies[buyers[start + i]], status=status, payment_method=method,
                total=total, created_by_id=operator.pk, created_at=created, updated_at=created,
            )  # fmt: skip
            live = status != "removed"
            for tt, line in priced.items():
                lines.add(order_id=order_id, ticket_type_id=tt.pk, description=tt.name, quantity=line.quantity,
                          unit_price=line.unit_price, vat_rate=line.vat_rate, created_at=created)  # fmt: skip
                for _ in range(line.quantity):
                    tickets.add(
                        order_id=order_id, event_id=event.pk, timeslot_id=slot.pk, ticket_type_id=tt.pk,
                        barcode=unique(new_barcode, barcodes), price=tt.price, vat_rate=tt.vat_rate,
                        state="unscanned" if live else "void", void_reason="" if live else "removed",
                        created_at=created,
                    )  # fmt: skip
                if live:
                    slot_sold[slot.pk] += line.quantity
                    type_sold[tt.pk] += line.quantity
            if status != "pending" and total > 0:
                payments.add(order_id=order_id, method=method, amount=total, created_by_id=operator.pk,
                             created_at=created)  # fmt: skip
        with transaction.atomic():
            for table in (orders, lines, payments, tickets):
                table.flush()
        progress.update(size)
    for table in (orders, lines, payments, tickets):
        table.finish()
    progress.close()
    return slot_sold, type_sold, len(barcodes), len(buyer_ids)


def store_counters(slots, ticket_types, slot_sold: Counter, type_sold: Counter) -> None:
    """Timeslot.sold and TicketType.sold equal to the live tickets, as the services keep them;
    capacity leaves some room in every timeslot."""
    with transaction.atomic():
        for slot in slots:
            slot.sold = slot_sold[slot.pk]
            slot.capacity = max(slot.capacity, ceil(slot.sold * 1.25))
        Timeslot.objects.bulk_update(slots, ["sold", "capacity"], batch_size=1000)
        for ticket_type in ticket_types:
            ticket_type.sold = type_sold[ticket_type.pk]
        TicketType.objects.bulk_update(ticket_types, ["sold"])


def main() -> None:
    args = parse_args()
    if args.orders < 1 or args.batch < 1:
        sys.exit("generate: --orders and --batch must be at least 1")
    rng = random.Random(args.seed)
    began = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    organizer, admin, event, slots, ticket_types = create_catalogue(args.organizer, args.orders)
    operator = organizer.memberships.get(role="operator")
    slot_sold, type_sold, tickets, buyers = create_orders(args, organizer, operator, event, slots, ticket_types, rng)
    store_counters(slots, ticket_types, slot_sold, type_sold)
    # The orders are dated back a year, after the migration made this month's search indexes.
    month_indexes.prepare()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics and visibility map, as autovacuum would leave them a minute later.
            cursor.execute("VACUUM ANALYZE")
    print(
        f"generate: organizer {organizer.slug!r}: {args.orders} orders, {buyers} buyers, {tickets} tickets, "
        f"{len(slots)} timeslots on {connection.vendor} in {time.monotonic() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
