"""Demo data: a museum with a few weeks of hourly timeslots and a festival with one big slot,
and a few hundred orders in every state — all made through the services, so the history of
each order reads as if operators had done it."""

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from boxoffice.core.errors import DomainError
from boxoffice.core.models import Organizer, Ticket
from boxoffice.core.services import orders, reschedule, setup, shifts, team, tickets
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order

DEMO_SLUG = "demo"
FIRST_NAMES = ["Ann", "Bram", "Chloé", "Daan", "Eva", "Finn", "Grace", "Hugo", "Iris", "Jules", "Kim", "Lotte", "Milan", "Noor", "Oscar", "Puck", "Rosa", "Sem", "Tess", "Vera", "Wout", "Yara", "Zoë"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "García", "Okafor", "Nowak", "Rossi", "Müller"]


DEMO_MEMBERS = {"admin": "admin@demo.test", "operator": "desk@demo.test", "viewer": "viewer@demo.test"}


@dataclass(frozen=True)
class DemoLogins:
    passwords: dict[str, str]  # email → password, admin first
    api_token: str
    device_token: str


def is_demo_database() -> bool:
    """A database holding nothing but the demo organizer (or nothing yet)."""
    return not Organizer.objects.exclude(slug=DEMO_SLUG).exists()


def seed_demo(orders_count: int = 300, seed: int = 7) -> DemoLogins:
    """Create the demo organizer once. Every call gives each of its members a new random
    password (printed once, never stored) and hands out a fresh API token and device token."""
    passwords = {email: secrets.token_urlsafe(12) for email in DEMO_MEMBERS.values()}
    organizer = Organizer.objects.filter(slug=DEMO_SLUG).first()
    if organizer is None:
        organizer = team.create_organizer(slug=DEMO_SLUG, name="City Museum & Summer Festival")
        organizer.address = "Museumplein 1\n1071 DJ Amsterdam"
        organizer.vat_number = "NL000099998B57"
        organizer.email = "boxoffice@demo.test"
        organizer.save(update_fields=["address", "vat_number", "email"])
    members = {
        role: team.set_member(organizer, email=email, role=role, password=passwords[email])
        for role, email in DEMO_MEMBERS.items()
    }
    if not organizer.events.exists():
        _seed_catalogue_and_orders(organizer, members["admin"], members["operator"], random.Random(seed), orders_count)
    _, device_token = team.create_device(organizer, name="Demo gate scanner", gate="Gate A")
    return DemoLogins(
        passwords=passwords,
        api_token=team.create_api_token(members["operator"], name="demo"),
        device_token=device_token,
    )


def _seed_catalogue_and_orders(organizer, admin, operator, rng: random.Random, orders_count: int) -> None:
    tz = ZoneInfo(organizer.timezone)
    today = timezone.now().astimezone(tz).date()
    museum = setup.create_event(organizer, name="Old Masters Exhibition", venue="City Museum, Main Hall", actor=admin)
    museum_types = [
        setup.create_ticket_type(museum, name="Adult", price=Decimal("17.50"), vat_rate=Decimal("9"), actor=admin),
        setup.create_ticket_type(museum, name="Child (4–17)", price=Decimal("8.75"), vat_rate=Decimal("9"), actor=admin),
        setup.create_ticket_type(museum, name="Museum card", price=Decimal("0.00"), vat_rate=Decimal("0"), actor=admin),
        setup.create_ticket_type(museum, name="Audio tour + entry", price=Decimal("22.00"), vat_rate=Decimal("21"), max_per_order=10, actor=admin),
    ]
    museum_slots = []
    for hour in range(10, 17):
        series = setup.DailySeries(
            first_day=today - timedelta(days=7), last_day=today + timedelta(days=21),
            start_time=time(hour), end_time=time(hour + 1), capacity=40,
        )
        museum_slots += setup.create_timeslot_series(museum, series, actor=admin)
    festival = setup.create_event(organizer, name="Summer Sounds Festival", venue="Westerpark", reentry_allowed=True, actor=admin)
    festival_types = [
        setup.create_ticket_type(festival, name="Weekend pass", price=Decimal("89.00"), vat_rate=Decimal("9"), max_per_order=8, actor=admin),
        setup.create_ticket_type(festival, name="VIP weekend", price=Decimal("189.00"), vat_rate=Decimal("9"), quota=200, max_per_order=4, actor=admin),
    ]
    start = datetime.combine(today + timedelta(days=30), time(12), tzinfo=tz)
    festival_slot = setup.create_timeslot(festival, start=start, end=start + timedelta(days=2, hours=11), capacity=5000, actor=admin)

    # The desk works in shifts: the operator's stays open to sell on and close; the admin's
    # (cash and card refunds) is closed, so that a finished shift report is there to read.
    shifts.open_shift(operator, desk="Desk 1", opening_float=Decimal("150.00"))
    back_office = shifts.open_shift(admin, desk="Back office", opening_float=Decimal("0.00"))
    for n in range(orders_count):
        if n % 4 == 3:
            event, types, slot = festival, festival_types, festival_slot
        else:
            event, types, slot = museum, museum_types, rng.choice(museum_slots)
        order = _sell_random(rng, event, types, slot, operator, n)
        if order is not None:
            _change_randomly(rng, order, admin, operator, museum_slots if event == museum else [])
    drawer = shifts.shift_report(back_office).totals.expected_cash
    shifts.close_shift(back_office, counted_cash=drawer, counted_card=None, actor=admin)  # no terminal there


def _sell_random(rng, event, types, slot, operator, n):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    # Some buyers come back: reuse an email now and then.
    person = rng.randrange(max(n // 2, 1)) if rng.random() < 0.25 else n
    email = f"{first.lower()}.{last.lower().replace(' ', '')}{person}@example.test".replace("é", "e").replace("ë", "e").replace("ü", "u").replace("í", "i")
    lines = [SaleLine(rng.choice(types).pk, slot.pk, rng.choice([1, 1, 2, 2, 2, 3, 4]))]
    sale = Sale(
        event=event,
        buyer=BuyerDetails(email=email, name=f"{first} {last}", phone=f"+316{rng.randrange(10**7, 10**8)}"),
        lines=lines,
        payment_method=rng.choice(["card", "card", "card", "cash", "invoice", "free"]),
        send_tickets=rng.random() < 0.6,
    )
    try:
        return sell_order(sale, actor=operator)
    except DomainError:
        return None  # a full slot or a per-order maximum: the desk would pick another


def _change_randomly(rng, order, admin, operator, slots) -> None:
    roll = rng.random()
    live = [t.barcode for t in Ticket.objects.filter(order=order).exclude(state="void")]
    if roll < 0.25:
        tickets.set_ticket_states(order, barcodes=live[:1], state="scanned_in", actor=operator)
    elif roll < 0.30:
        tickets.set_ticket_states(order, barcodes=live, state="scanned_in", actor=operator)
        tickets.set_ticket_states(order, barcodes=live[:1], state="scanned_out", actor=operator)
    elif roll < 0.33:
        tickets.set_ticket_states(order, barcodes=live[:1], state="blacklisted", actor=operator)
        orders.add_comment(order, scope="purchase", text="Ticket reported stolen; blacklisted.", actor=operator)
    elif roll < 0.37:
        tickets.reissue_tickets(order, actor=operator)
        orders.add_comment(order, scope="purchase", text="Buyer lost the email; tickets reissued.", actor=operator)
    elif roll < 0.42:
        orders.remove_order(order, actor=operator, reason="The buyer cannot come")
        orders.add_comment(order, scope="purchase", text="Cancelled at the buyer's request.", actor=operator)
        if order.payments.exists():
            orders.record_refund(order, amount=order.total, method="card", reason="Cancelled in time", actor=admin)
    elif roll < 0.47 and slots:
        try:
            reschedule.reschedule_order(order, to_timeslot=rng.choice(slots), actor=operator, send_tickets=True)
        except DomainError:
            pass  # the new slot was full
    elif roll < 0.52:
        orders.add_comment(order, scope="buyer", text="Wheelchair user: please open the side gate.", actor=operator)
