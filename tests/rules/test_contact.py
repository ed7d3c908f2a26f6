"""How buyers are recognised by email and phone (rules/contact.py)."""

import pytest

from boxoffice.core.rules.contact import looks_like_email, normalize_email, normalize_phone


def test_email_is_trimmed_and_lower_cased():
    assert normalize_email("  Ann.Buyer@Example.TEST \n") == "ann.buyer@example.test"


@pytest.mark.parametrize("variant", ["06 1234 5678", "06-1234-5678", "06.12.34.56.78", "(06) 12345678", " 0612345678 "])
def test_phone_punctuation_does_not_matter(variant):
    assert normalize_phone(variant) == normalize_phone("0612345678") != ""


@pytest.mark.parametrize("variant", ["+31 6 12345678", "0031 6 1234 5678", "+31612345678"])
def test_international_and_national_forms_of_one_number_match(variant):
    assert normalize_phone(variant) == normalize_phone("06 1234 5678")


def test_different_numbers_do_not_match():
    assert normalize_phone("06 1234 5678") != normalize_phone("06 1234 5679")


@pytest.mark.parametrize("text", ["", "   ", "Ann Buyer", "ann@example.test", "12345", "06-12ab34", "AB2CD3E"])
def test_text_that_is_not_a_phone_number_has_no_key(text):
    assert normalize_phone(text) == ""


@pytest.mark.parametrize("text,expected", [
    ("ann@example.test", True),
    (" ann@example.test ", True),
    ("ann", False),
    ("Ann Buyer", False),
    ("ann @example.test", False),
])
def test_looks_like_email(text, expected):
    assert looks_like_email(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("yara.smit", True), ("smit82", True), ("@example", True), ("jan_de", True), ("smit", False), ("de vries", False),
     ("Müller", False)],
)
def test_what_is_also_looked_for_among_email_addresses(text, expected):
    from boxoffice.core.rules.contact import may_be_part_of_an_email

    assert may_be_part_of_an_email(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("yara.smit", True), ("daniel.ma", True), ("smit82", True), ("@example", True), ("jan_de", True),
     ("martina.o", True), ("J.R.", False), ("j.r.r", False), ("st. john", False), ("smit", False), ("Müller", False)],
)
def test_what_is_looked_for_among_email_addresses_alone(text, expected):
    from boxoffice.core.rules.contact import only_in_addresses

    assert only_in_addresses(text) is expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("lena.verm", "%lena%verm%"),
        ("van.der.berg", "%van%der%berg%"),
        ("jürgen.straß", "%jürgen%straß%"),
        ("smit", None),  # one word: its edges are not there to drop
        ("anna.v", None),  # "v" has no trigram of its own: what narrows it is " v" at a word's start
        ("lena..", None),
        ("50%_off.now", None),  # "50", "off" and "now": one word too short
    ],
)
def test_a_fragment_in_words_is_narrowed_by_its_words_in_order(fragment, expected):
    from boxoffice.core.rules.contact import gapped

    assert gapped(fragment) == expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("martina.o", "%martina0o%"),  # "o" has no trigram of its own: those across the dot narrow
        ("j.smit", "%j0smit%"),
        ("@gm", "%1gm%"),
        ("olivia.de", "%olivia0de%"),
        ("pedro.cos", "%pedro%cos%"),  # "o0c" and "0co" are in every ".com" address
        ("mohammed.", "%mohammed%"),
        ("x..y", "%x00y%"),
        ("smit82", "%smit82%"),
        ("50%off\\now", "%50%off%now%"),  # a typed wildcard or escape is any text, tested whole afterwards
    ],
)
def test_an_address_fragment_is_narrowed_across_a_separator_only_beside_a_short_word(fragment, expected):
    from boxoffice.core.rules.contact import address_pattern, address_words

    assert address_pattern(fragment) == expected
    assert address_words("ann.x@y_z+w-v") == "ann0x1y2z3w4v"
