"""The input rules every way in shares (rules/inputs.py)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from boxoffice.core.errors import InvalidInput
from boxoffice.core.rules import inputs


@pytest.mark.parametrize("text", ["Night\nat the museum", "NUL\x00", "tab\there", "bidi \u202eevil", "line\u2028sep", "\x7f"])
def test_single_line_text_refuses_control_characters(text):
    with pytest.raises(InvalidInput) as refused:
        inputs.single_line(text, field="name", label="The name")
    assert refused.value.details["field"] == "name"


@pytest.mark.parametrize("text,stored", [("  Café Zoë  ", "Café Zoë"), ("日本の美術", "日本の美術"), ("O'Brien & Söhne", "O'Brien & Söhne")])
def test_single_line_text_keeps_what_people_write(text, stored):
    assert inputs.single_line(text, field="name", label="The name") == stored


def test_single_line_text_has_a_length_and_may_be_required():
    with pytest.raises(InvalidInput):
        inputs.single_line("x" * 201, field="name", label="The name")
    with pytest.raises(InvalidInput):
        inputs.single_line("   ", field="name", label="The name")
    assert inputs.single_line("", field="gate", label="The gate", required=False) == ""


def test_multi_line_text_allows_line_breaks_but_no_other_controls():
    assert inputs.multi_line(" first\nsecond\tthird ", field="text", label="A comment") == "first\nsecond\tthird"
    for bad in ("nul\x00", "bell\x07", "esc\x1b[31m"):
        with pytest.raises(InvalidInput):
            inputs.multi_line(bad, field="text", label="A comment")


@pytest.mark.parametrize("text,stored", [("eur", "EUR"), (" GBP ", "GBP"), ("Usd", "USD")])
def test_currency_is_three_letters_in_capitals(text, stored):
    assert inputs.currency_code(text) == stored


@pytest.mark.parametrize("text", ["EU", "EURO", "€UR", "ÄÖÜ", "12A", ""])
def test_currency_refuses_anything_else(text):
    with pytest.raises(InvalidInput):
        inputs.currency_code(text)


@pytest.mark.parametrize("text", ["+31 6 1234 5678", "06-12345678", "(020) 555 0101", ""])
def test_phone_numbers_people_type_are_taken(text):
    assert inputs.phone_number(text) == text.strip()


@pytest.mark.parametrize("text", ["call me", "12345", "+31 6 1234 5678 ext. 4", "06\x0012345678"])
def test_what_no_one_could_find_by_phone_is_refused(text):
    with pytest.raises(InvalidInput):
        inputs.phone_number(text)


@pytest.mark.parametrize("moment", [
    datetime(1999, 12, 31, 23, 0, tzinfo=UTC), datetime(2101, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 22, 0, tzinfo=ZoneInfo("America/New_York")), datetime(1, 1, 1, tzinfo=ZoneInfo("America/New_York")),
    datetime(2027, 1, 1),  # no time zone
])  # fmt: skip
def test_moments_outside_the_window_or_without_a_zone_are_refused(moment):
    with pytest.raises(InvalidInput):
        inputs.moment(moment, field="start", label="The start")


def test_moments_inside_the_window_pass():
    moment = datetime(2100, 12, 31, 23, 0, tzinfo=ZoneInfo("America/New_York"))
    assert inputs.moment(moment, field="start", label="The start") is moment
