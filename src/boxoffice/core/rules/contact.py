import re

_NOT_DIGITS = re.compile(r"\D")
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-./()]+$")
MIN_PHONE_DIGITS = 6
# A buyer says "06 1234 5678" at the desk and typed "+31 6 12345678" online: comparing the
# last nine digits (the subscriber number in most numbering plans) makes both the same key.
PHONE_KEY_DIGITS = 9
# The languages a buyer's emails and documents are written in.
BUYER_LANGUAGES = {"en": "English", "nl": "Nederlands"}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def folded(text: str) -> str:
    """The text as a search compares it: case-folded, so that "STRASSE", "straße" and
    "Strasse" are the same (lower() leaves "ß"). Names and addresses are stored folded and a
    search term is folded the same way, so the database compares them as they are."""
    return text.casefold()


_WORDS = re.compile(r"[^\W_]+")
_TRIGRAM = 3


def gapped(fragment: str) -> str | None:
    """A LIKE pattern that every name holding the fragment matches: its words in order with
    anything between ("lena verm" → "%lena%verm%"). A trigram index narrows it by the words'
    own trigrams, without those of the words' edges ("na ", " ve"), which half the names
    share (for addresses, a month's lookup of "lena.verm" went 0.33 → 0.20 ms this way,
    bench/README.md; they now have address_pattern). None for a single word, and when a word
    is shorter than a trigram (then its edges are what narrows: "anna v")."""
    words = _WORDS.findall(fragment)
    if len(words) < 2 or min(map(len, words)) < _TRIGRAM:
        return None
    return "%" + "%".join(words) + "%"


# An address's separators, and the digits its trigram index writes them as
# (address_words): digits, unlike separators, are part of a word to pg_trgm.
ADDRESS_SEPARATORS, ADDRESS_SEPARATOR_DIGITS = ".@_+-", "01234"
_SEPARATOR = re.compile(f"([{re.escape(ADDRESS_SEPARATORS)}])")
_AS_DIGITS = str.maketrans(ADDRESS_SEPARATORS, ADDRESS_SEPARATOR_DIGITS)
_LIKE_SPECIAL = re.compile(r"[%\\]")
_WILDCARDS = re.compile("%+")


def address_words(address: str) -> str:
    """The address as its trigram index holds it: one run of letters and digits, its
    separators written as digits ("martina.ortiz" → "martina0ortiz"), so that trigrams cross
    them ("a0o")."""
    return address.translate(_AS_DIGITS)


def address_pattern(fragment: str) -> str:
    """A LIKE pattern on address_words(address) that every address holding the fragment
    matches (it is then tested whole, as the fragment). A separator next to a word shorter
    than a trigram is kept, as its digit, for the trigrams that cross it: "martina.o" →
    "%martina0o%", and at a million orders a month's index gives its 5 matches alone, not
    the 140 addresses with "martina" and a word starting with o. One between longer words,
    or with only a longer word beside it, is left out ("pedro.cos" → "%pedro%cos%"): "o0c"
    and "0co" are in every ".com" address. A typed % or \\ is read as any text."""
    parts = _SEPARATOR.split(fragment)  # words at even places, separators between them
    pattern = []
    for place, part in enumerate(parts):
        if place % 2 == 0:
            pattern.append(_LIKE_SPECIAL.sub("%", part))
            continue
        beside = [len(word) for word in (parts[place - 1], parts[place + 1]) if word]
        pattern.append(address_words(part) if beside and min(beside) < _TRIGRAM else "%")
    return _WILDCARDS.sub("%", "%" + "".join(pattern) + "%")


def normalize_phone(phone: str) -> str:
    """The phone number's search key (its last digits), or "" when it is not a phone number."""
    text = phone.strip()
    if not _PHONE_CHARS.match(text):
        return ""
    digits = _NOT_DIGITS.sub("", text)
    return digits[-PHONE_KEY_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else ""


def is_deliverable_email(email: str) -> bool:
    """A syntactically valid address with an ASCII mailbox name: Django's SMTP sending cannot
    address a non-ASCII local part (SMTPUTF8), so such a buyer would never get their tickets."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        return False
    return email.rpartition("@")[0].isascii()


def looks_like_email(text: str) -> bool:
    return "@" in text and " " not in text.strip()


_EMAIL_HINTS = frozenset(".@_+0123456789")


# An @, _, + or digit, or a dot between letters that are not initials ("yara.smit",
# "martina.o"; unlike "J.R. Tolkien"): a part of an address, not of a name.
_ONLY_IN_ADDRESSES = re.compile(r"[@_+0-9]|\.[^\W\d_]{2}|[^\W\d_]{2}\.[^\W\d_]")


def only_in_addresses(text: str) -> bool:
    """Written like a part of an address that no name holds, so looked for among the addresses
    alone: at a million orders, testing "daniel.ma" against every Daniel Ma… of the names
    doubled its search, and "martina.o" against every Martina O… (bench/README.md)."""
    return may_be_part_of_an_email(text) and bool(_ONLY_IN_ADDRESSES.search(text))


def may_be_part_of_an_email(text: str) -> bool:
    """"yara.smit", "smit82", "@example": written like an address, so worth looking for among
    the email addresses too. A plain word ("smit") is looked for in names only: every buyer's
    name holds it where their address does, and searching both costs twice as much."""
    return " " not in text.strip() and any(char in _EMAIL_HINTS for char in text)
