"""Order codes are read aloud at the desk; barcodes are secrets printed on tickets."""

import re
import secrets

# No 0/O, 1/I/L: nothing that sounds or looks alike.
ORDER_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ORDER_CODE_LENGTH = 7
ORDER_CODE_RE = re.compile(rf"^[{ORDER_CODE_ALPHABET}]{{{ORDER_CODE_LENGTH}}}$")

# 20 characters of a 32-letter alphabet: 100 bits of randomness.
BARCODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BARCODE_LENGTH = 20
BARCODE_RE = re.compile(rf"^[{BARCODE_ALPHABET}]{{{BARCODE_LENGTH}}}$")


def new_order_code() -> str:
    return _spelled(secrets.randbelow(len(ORDER_CODE_ALPHABET) ** ORDER_CODE_LENGTH), ORDER_CODE_ALPHABET, ORDER_CODE_LENGTH)


def new_barcode() -> str:
    return _spelled(secrets.randbelow(len(BARCODE_ALPHABET) ** BARCODE_LENGTH), BARCODE_ALPHABET, BARCODE_LENGTH)


def _spelled(number: int, alphabet: str, length: int) -> str:
    """A uniformly random number below len(alphabet) ** length as exactly `length` digits of
    that alphabet: one draw from the system's random source instead of one per character
    (a million-order import draws millions of them)."""
    base, digits = len(alphabet), []
    for _ in range(length):
        number, digit = divmod(number, base)
        digits.append(alphabet[digit])
    return "".join(digits)


def normalize_order_code(text: str) -> str | None:
    """What an operator typed, as an order code, or None if it cannot be one."""
    candidate = text.strip().upper().replace("-", "").replace(" ", "")
    return candidate if ORDER_CODE_RE.match(candidate) else None


def normalize_barcode(text: str) -> str | None:
    candidate = text.strip().upper()
    return candidate if BARCODE_RE.match(candidate) else None
