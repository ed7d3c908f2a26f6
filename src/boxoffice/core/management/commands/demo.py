import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from boxoffice.core.demo import seed_demo


class Command(BaseCommand):
    help = "Migrate the embedded database, seed a demo organizer, print the logins and serve until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--orders", type=int, default=300, help="orders to seed on first run")
        parser.add_argument("--no-serve", action="store_true", help="seed and print the logins, then exit")

    def handle(self, *, bind, orders, no_serve, **_):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Seeding demo data (first run only)…")
        with transaction.atomic():
            logins = seed_demo(orders_count=orders)
        url = f"http://{bind}/"
        self.stdout.write(
            self.style.SUCCESS("\nBoxoffice demo is ready.\n")
            + f"  URL:        {url}\n"
            f"  API docs:   {url}api/v1/docs\n"
            f"  Operator:   {logins.operator_email} / {logins.password}\n"
            f"  Admin:      {logins.admin_email} / {logins.password}\n"
            f"  Viewer:     {logins.viewer_email} / {logins.password}\n"
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
