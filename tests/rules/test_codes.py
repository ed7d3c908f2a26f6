"""Order codes are read aloud; barcodes are secrets (rules/codes.py)."""

import pytest

from boxoffice.core.rules import codes

CONFUSABLE = set("0O1IL")


def test_order_code_alphabet_has_no_confusable_characters():
    assert not set(codes.ORDER_CODE_ALPHABET) & CONFUSABLE
    assert len(set(codes.ORDER_CODE_ALPHABET)) == len(codes.ORDER_CODE_ALPHABET)
    assert codes.ORDER_CODE_ALPHABET == codes.ORDER_CODE_ALPHABET.upper()


def test_new_order_codes_are_short_and_use_only_the_alphabet():
    generated = {codes.new_order_code() for _ in range(2000)}
    assert len(generated) > 1990  # random, not a counter
    for code in generated:
        assert 5 <= len(code) <= 10
        assert set(code) <= set(codes.ORDER_CODE_ALPHABET)


def test_barcodes_carry_at_least_80_bits_of_randomness():
    import math

    alphabet = set(codes.BARCODE_ALPHABET)
    assert codes.BARCODE_LENGTH * math.log2(len(alphabet)) >= 80
    generated = {codes.new_barcode() for _ in range(2000)}
    assert len(generated) == 2000
    assert all(len(b) == codes.BARCODE_LENGTH == 20 and set(b) <= alphabet for b in generated)
    assert not alphabet & {"0", "O", "1", "I"}


@pytest.mark.parametrize("typed", ["ab2cd3e", " AB2CD3E ", "ab2-cd3e", "AB2 CD3E", "ab2-cd-3e"])
def test_order_code_typed_any_way_is_normalised(typed):
    assert codes.normalize_order_code(typed) == "AB2CD3E"


@pytest.mark.parametrize("typed", ["AB1CD3E", "AB0CD3E", "ABOCD3E", "ABLCD3E", "ABICD3E", "AB2CD3", "AB2CD3EF", "",
                                   "AB2CD3É"])
def test_text_that_cannot_be_an_order_code_is_none(typed):
    assert codes.normalize_order_code(typed) is None


def test_generated_codes_normalise_to_themselves():
    code, barcode = codes.new_order_code(), codes.new_barcode()
    assert codes.normalize_order_code(code.lower()) == code
    assert codes.normalize_barcode(f"  {barcode.lower()}\n") == barcode


@pytest.mark.parametrize("typed", ["ABCDEFGHJK23456789", "ABCDEFGHJK234567890A", "ABCDEFGHJK2345678IAB",
                                   "ABCDE-FGHJK-23456789", "ABCDEFGHJK2345678923X"])
def test_text_that_cannot_be_a_barcode_is_none(typed):
    assert codes.normalize_barcode(typed) is None
