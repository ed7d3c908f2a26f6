"""Email delivery throughput: N queued ticket emails (one PDF each) sent by one worker process
to a local SMTP server.

    .venv/bin/python bench/delivery.py [--messages 1000]

Uses DATABASE_URL when set, else a fresh SQLite database in a temporary data directory."""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["BOXOFFICE_DATA_DIR"] = tempfile.mkdtemp(prefix="boxoffice-bench-")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SMTP_PORT = free_port()
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from boxoffice.core.models import Message  # noqa: E402
from boxoffice.core.services import setup, team  # noqa: E402
from boxoffice.core.services.sales import BuyerDetails, Sale, SaleLine, sell_order  # noqa: E402
from boxoffice.delivery.worker import run_until_empty  # noqa: E402


def start_smtp_server() -> subprocess.Popen:
    """A local SMTP server in its own process, so it does not share this one's core."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{SMTP_PORT}"]
    )
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", SMTP_PORT)) == 0:
                return server
        time.sleep(0.05)
    raise RuntimeError("SMTP server did not start")


def queue_messages(count: int) -> None:
    slug = f"bench{int(time.time())}"
    organizer = team.create_organizer(slug=slug, name="Bench Museum", desk_shifts=False)  # measures delivery, not the drawer
    admin = team.set_member(organizer, email=f"admin@{slug}.test", role="admin")
    event = setup.create_event(organizer, name="Bench Exhibition", actor=admin)
    start = datetime(2027, 5, 1, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))
    slot = setup.create_timeslot(event, start=start, end=start + timedelta(hours=8), capacity=count * 2, actor=admin)
    adult = setup.create_ticket_type(event, name="Adult", price=Decimal("17.50"), vat_rate=Decimal("9"), actor=admin)
    with transaction.atomic():
        for n in range(count):
            sale = Sale(
                event=event, buyer=BuyerDetails(email=f"buyer{n}@example.test", name=f"Buyer {n}"),
                lines=[SaleLine(adult.pk, slot.pk, 1)], payment_method="card", send_tickets=True,
            )  # fmt: skip
            sell_order(sale, actor=admin)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    server = start_smtp_server()
    try:
        queue_messages(args.messages)
        start = time.perf_counter()
        run_until_empty()
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait()
    sent = Message.objects.filter(status="sent").count()
    print(f"{sent} of {args.messages} emails sent in {elapsed:.1f} s: "
          f"{sent / elapsed:.0f} messages/s (one worker process, one PDF each)")  # fmt: skip


if __name__ == "__main__":
    main()
