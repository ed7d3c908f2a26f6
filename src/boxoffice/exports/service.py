"""Asking for an export, the same for the portal and the API: a small one is written at once,
a big one by the worker (a job with a progress bar), so that no web process spends long
minutes writing rows."""

import hashlib
import json
from dataclasses import dataclass

from boxoffice.core import audit
from boxoffice.core.errors import InvalidInput
from boxoffice.core.models import Job, Organizer
from boxoffice.core.rules.permissions import Permission
from boxoffice.core.selectors.orders import OrderFilters, filters_from_params, filters_params
from boxoffice.core.services.jobs import start_job
from boxoffice.core.services.permissions import require
from boxoffice.db.replicas import replica_reads
from boxoffice.exports.tables import KINDS, table
from boxoffice.exports.writers import FORMATS, write

INLINE_ROWS = 5000


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes | None = None  # a small export, written now
    job: Job | None = None  # the job writing a big one


def export(organizer: Organizer, *, kind: str, fmt: str, filters: OrderFilters, actor) -> Export:
    """Raises PermissionDenied (admins only: buyers' personal data), InvalidInput."""
    require(actor, Permission.EXPORT, organizer_id=organizer.pk)
    if kind not in KINDS:
        raise InvalidInput(f"An export is one of {', '.join(KINDS)}.", field="kind")
    if fmt not in FORMATS:
        raise InvalidInput(f"A format is one of {', '.join(FORMATS)}.", field="format")
    filename = f"{organizer.slug}-{kind}.{fmt}"
    rows = table(organizer, kind, filters)
    params = {"kind": kind, "format": fmt, "filters": filters_params(filters)}
    if rows.count <= INLINE_ROWS:
        content = write(rows, fmt, title=kind)
        audit.record(actor, "export.made", organizer=organizer, target=filename, after={**params, "rows": rows.count})
        return Export(filename, FORMATS[fmt], content=content)
    fingerprint = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    job = start_job(organizer, kind="export", actor=actor, params=params, total=rows.count,
                    permission=Permission.EXPORT, fingerprint=fingerprint, label=filename)  # fmt: skip
    return Export(filename, FORMATS[fmt], job=job)


def run_export(job: Job, progress) -> tuple[bytes, str, str]:
    """The worker's side (jobs/runner.py HANDLERS["export"]): the rows as they are now."""
    params = job.params
    with replica_reads(job.created_by_id):  # a replica that has what its admin last changed
        rows = table(job.organizer, params["kind"], filters_from_params(params["filters"]))
        content = write(rows, params["format"], title=params["kind"], progress=progress, gzipped=params["format"] == "csv")
    return content, f"{job.organizer.slug}-{params['kind']}.{params['format']}", FORMATS[params["format"]]


def stored_gzipped(job: Job) -> bool:
    """A CSV export's job keeps its file gzipped (run_export): it is served as such."""
    return job.kind == "export" and job.params.get("format") == "csv"
