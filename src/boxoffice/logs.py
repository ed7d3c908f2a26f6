"""What goes into logs leaves out buyers' contact details and secrets. A search puts an email,
a phone number or a barcode in the query string; a ticket's page has its barcode in the path;
invitation and password links carry one-time tokens. Access log lines (gunicorn) and Django's
own request warnings show such URLs with those parts replaced."""

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Query parameters whose values are ids, pages, statuses and dates, never a person's details.
PLAIN_PARAMETERS = frozenset({"page", "page_size", "event", "timeslot", "status", "created_from", "created_to", "past"})
# Path segments that follow these are secrets (one-time links).
_SECRET_AFTER = re.compile(r"(/(?:invitation|password/reset|pair)/)[^?#]*")
# A barcode anywhere in a path (20 letters and digits of the barcode alphabet).
_BARCODE_SEGMENT = re.compile(r"(?<=/)[A-HJ-NP-Za-hj-np-z2-9]{20}(?=/|\.|$)")


def redact_path(path: str) -> str:
    path = _SECRET_AFTER.sub(lambda m: m.group(1) + REDACTED, path)
    return _BARCODE_SEGMENT.sub(REDACTED, path)


def redact_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(key, value if key in PLAIN_PARAMETERS else REDACTED) for key, value in pairs], safe="[]")


def redact_url(url: str) -> str:
    """A path with its query, or a whole URL (a Referer), with personal details and secrets
    replaced."""
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=redact_path(parts.path), query=redact_query(parts.query), fragment=""))


class RedactUrls(logging.Filter):
    """For Django's loggers: "Not Found: /o/museum/orders/X/tickets/BARCODE/" and the like."""

    _URL = re.compile(r"/[^\s\"']*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._URL.sub(lambda m: redact_url(m.group(0)), message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingAccessLogger(Logger):
    """gunicorn's logger, with the request line, path, query and referer redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        method, _, rest = atoms["r"].partition(" ")
        uri, _, protocol = rest.rpartition(" ")
        atoms["r"] = f"{method} {redact_url(uri)} {protocol}"
        atoms["U"] = redact_path(atoms["U"] or "")
        atoms["q"] = redact_query(atoms["q"] or "")
        atoms["f"] = redact_url(atoms["f"])
        if "{referer}i" in atoms:
            atoms["{referer}i"] = redact_url(atoms["{referer}i"])
        return atoms
