import os
import signal
import subprocess
import sys

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
            f"  Try:        curl -H 'Authorization: Bearer {logins.api_token}' {url}api/v1/organizers/demo/orders\n"
        )
        if no_serve:
            return
        self._serve(bind)

    def _serve(self, bind: str) -> None:
        server = subprocess.Popen(
            [sys.executable, "-m", "boxoffice", "serve", "--bind", bind, "--workers", "2", "--no-migrate"],
            env={**os.environ},
        )
        self.stdout.write("Serving; press Ctrl-C to stop.")
        try:
            server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=15)
