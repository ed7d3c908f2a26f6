from django.core.management.base import BaseCommand

from boxoffice.delivery.worker import run_forever, run_until_empty


class Command(BaseCommand):
    help = "Run the background worker (emails with tickets and receipts) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--once", action="store_true", help="send what is due now, then exit")

    def handle(self, *, interval, once, **_):
        if once:
            run_until_empty()
        else:
            self.stdout.write("Worker running; Ctrl-C to stop.")
            run_forever(interval=interval)
