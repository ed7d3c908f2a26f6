import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from boxoffice.core.demo import DEMO_MEMBERS, is_demo_database, seed_demo


_LOGINS = [("Operator:", DEMO_MEMBERS["operator"]), ("Admin:", DEMO_MEMBERS["admin"]), ("Viewer:", DEMO_MEMBERS["viewer"])]


class Command(BaseCommand):
    help = "Migrate the embedded database, seed a demo organizer, print the logins and serve until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--orders", type=int, default=300, help="orders to seed on first run")
        parser.add_argument("--no-serve", action="store_true", help="seed and print the logins, then exit")
        parser.add_argument(
            "--allow-external-database", action="store_true",
            help="seed the demo into the database DATABASE_URL points at, or into one with other organizers",
        )  # fmt: skip

    def handle(self, *, bind, orders, no_serve, allow_external_database, **_):
        if os.environ.get("DATABASE_URL") and not allow_external_database:
            raise CommandError(
                "boxoffice demo seeds demo accounts, and DATABASE_URL points at a database of its own. Unset "
                "DATABASE_URL to use the embedded demo database, or pass --allow-external-database."
            )
        call_command("migrate", interactive=False, verbosity=0)
        if not is_demo_database() and not allow_external_database:
            raise CommandError(
                "This database holds organizers other than the demo: it is not a demo database. Set "
                "BOXOFFICE_DATA_DIR to another directory, or pass --allow-external-database."
            )
        self.stdout.write("Seeding demo data (the first run only) and new passwords…")
        with transaction.atomic():
            logins = seed_demo(orders_count=orders)
        url = f"http://{bind}/"
        self.stdout.write(
            self.style.SUCCESS("\nBoxoffice demo is ready.\n")
            + f"  URL:        {url}\n"
            f"  API docs:   {url}api/v1/docs\n"
            + "".join(f"  {label:<11} {email} / {logins.passwords[email]}\n" for label, email in _LOGINS)
            + "  (new random passwords at every start, shown only here)\n"
            f"  API token:  {logins.api_token}  (operator; organizer slug: demo)\n"
            f"  Gate page:  {url}gate/  with device token {logins.device_token}\n"
            f"  Try:        curl -H 'Authorization: Bearer {logins.api_token}' {url}api/v1/organizers/demo/orders\n"
        )
        if no_serve:
            return
        self._serve(bind)

    def _serve(self, bind: str) -> None:
        if not os.environ.get("EMAIL_URL"):
            self.stdout.write(f"Emails are written to {settings.DATA_DIR / 'outbox'} (set EMAIL_URL to send them).")
        boxoffice = [sys.executable, "-m", "boxoffice"]
        processes = [
            subprocess.Popen([*boxoffice, "serve", "--bind", bind, "--workers", "2", "--no-migrate"]),
            subprocess.Popen([*boxoffice, "worker"]),
        ]
        self.stdout.write("Serving, with a worker sending emails; press Ctrl-C to stop.")
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the children on SIGTERM too
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
