"""Export speed and memory: the orders of the generated organizer as CSV, written the way the
worker writes a big export (exports/service.py run_export, gzipped), timed, with the peak
resident memory of this process.

    python bench/export.py [--organizer bench] [--kind orders] [--format csv]

Run it after bench/generate.py (bench/run-export-bench does both on a throwaway PostgreSQL).
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boxoffice.settings")

import django  # noqa: E402

django.setup()

from boxoffice.core.models import Job, Organizer  # noqa: E402
from boxoffice.core.selectors.orders import OrderFilters  # noqa: E402
from boxoffice.exports.service import _filters_params, run_export  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organizer", default="bench")
    parser.add_argument("--kind", default="orders")
    parser.add_argument("--format", default="csv")
    args = parser.parse_args()
    organizer = Organizer.objects.get(slug=args.organizer)
    job = Job(organizer=organizer, kind="export", params={"kind": args.kind, "format": args.format,
                                                          "filters": _filters_params(OrderFilters())})  # fmt: skip
    rows = []
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    content, name, _ = run_export(job, lambda done, **_: rows.append(done))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"export {args.kind} {args.format}: {rows[-1] if rows else 0}+ rows in {seconds:.1f} s, "
          f"{len(content) / 1e6:.1f} MB stored ({name}), peak memory {peak / 1024:.0f} MB (before {before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
