import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) with settings from the environment."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")

    def handle(self, *, bind, workers, no_migrate, **_):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        argv = [
            sys.executable, "-m", "gunicorn", "boxoffice.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--access-logfile", "-",
            # Searches and ticket pages carry emails, phones and barcodes in their URLs.
            "--logger-class", "boxoffice.logs.RedactingAccessLogger",
        ]  # fmt: skip
        os.execv(sys.executable, argv)
