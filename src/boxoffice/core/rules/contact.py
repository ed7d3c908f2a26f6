import re

_NOT_PHONE_CHARS = re.compile(r"[\s\-./()]")
_PHONE_RE = re.compile(r"^\+?\d{6,20}$")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_phone(phone: str) -> str:
    """Digits with an optional leading +, or "" when it is not a phone number."""
    candidate = _NOT_PHONE_CHARS.sub("", phone.strip())
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    return candidate if _PHONE_RE.match(candidate) else ""


def looks_like_email(text: str) -> bool:
    return "@" in text and " " not in text.strip()
