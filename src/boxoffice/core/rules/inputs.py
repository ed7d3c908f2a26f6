"""What typed values may be, checked once for the portal, the API and the command line alike:
the services call these, so no way in lets through what another refuses. Each returns the
value as it is stored (trimmed, normalised) or raises InvalidInput naming the field."""

import re
import unicodedata
from datetime import datetime

from boxoffice.core.errors import InvalidInput
from boxoffice.core.rules.contact import normalize_phone

# Times Boxoffice sells for: a far past or future date is a typing mistake, and one beyond the
# calendar's end cannot even be shown in every time zone.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
# Allowed in a text of several lines (comments, reasons, addresses), on top of printable text.
_LINE_BREAKS = frozenset("\n\r\t")


def single_line(value: str, *, field: str, label: str, max_length: int = 200, required: bool = True) -> str:
    """A name, venue, gate, subject...: one line of printable text. No control characters
    (a line break in a name would break every email header it goes into), no NUL."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{label} cannot be empty.", field=field)
    if any(_is_control(char) for char in text):
        raise InvalidInput(f"{label} must be one line of text, without control characters.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{label} is at most {max_length} characters.", field=field)
    return text


def multi_line(value: str, *, field: str, label: str, max_length: int = 5000, required: bool = True) -> str:
    """A comment or a reason: lines of printable text; still no NUL or other control codes."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{label} needs some text.", field=field)
    if any(_is_control(char) and char not in _LINE_BREAKS for char in text):
        raise InvalidInput(f"{label} contains control characters.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"{label} is at most {max_length} characters.", field=field)
    return text


def currency_code(value: str, *, field: str = "currency") -> str:
    """Three letters, stored in capitals: "eur" is EUR."""
    text = (value or "").strip()
    if not _CURRENCY.match(text):
        raise InvalidInput("A currency is a three-letter code such as EUR.", field=field)
    return text.upper()


def phone_number(value: str, *, field: str = "phone") -> str:
    """Empty, or a phone number as the buyer gave it (digits, spaces, + - . / ( )), with
    enough digits to be found by."""
    text = (value or "").strip()
    if text and not normalize_phone(text):
        raise InvalidInput(f"{text[:40]!r} does not look like a phone number.", field=field)
    return text


def moment(value: datetime, *, field: str, label: str) -> datetime:
    """A date and time with its time zone, within FIRST_YEAR..LAST_YEAR."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{label} needs a date, a time and a time zone offset.", field=field)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(f"{label} must be between {FIRST_YEAR} and {LAST_YEAR}; {value.year} is not.", field=field)
    return value


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls (NUL, line breaks, tabs); Cf: invisible formatting (bidi overrides);
    # Zl, Zp: the Unicode line and paragraph separators.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}
