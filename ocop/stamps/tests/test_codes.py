"""Stamp codes: random, unique, typed with a check letter that catches a mistyped character."""

from __future__ import annotations

import collections

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.core import gs1
from ocop.stamps import codes

letters = st.text(alphabet=codes.ALPHABET, min_size=codes.DATA_LENGTH, max_size=codes.DATA_LENGTH)


@given(data=letters, position=st.integers(0, codes.CODE_LENGTH - 1), other=st.sampled_from(codes.ALPHABET))
def test_one_changed_character_is_always_caught(data, position, other):
    code = data + codes.check_letter(data)
    assert codes.is_well_formed(code)
    typo = code[:position] + other + code[position + 1 :]
    assert codes.is_well_formed(typo) == (typo == code)


@given(data=letters, position=st.integers(0, codes.CODE_LENGTH - 2))
def test_two_neighbours_swapped_are_caught(data, position):
    code = data + codes.check_letter(data)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert codes.is_well_formed(swapped) == (swapped == code)


def test_codes_are_random_unique_and_spread_over_the_alphabet():
    drawn = codes.codes_new(20_000)
    assert len(set(drawn)) == len(drawn)
    assert all(codes.is_well_formed(code) for code in drawn)
    assert codes.codes_new(5) != codes.codes_new(5)  # never a function of anything given
    counts = collections.Counter("".join(code[:-1] for code in drawn))
    expected = len(drawn) * codes.DATA_LENGTH / codes.BASE
    # Every letter about equally often (a sequence, a date or a serial would skew this badly).
    assert set(counts) == set(codes.ALPHABET)
    assert max(abs(n - expected) / expected for n in counts.values()) < 0.05


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("abcd-efgh-jkm", "ABCDEFGHJKM"), (" ABCD EFGH JKM ", "ABCDEFGHJKM"), ("ab.cd", "ABCD")],
)
def test_what_people_type_is_normalised(typed, normalised):
    assert codes.normalise(typed) == normalised


def test_gtin_check_digit_and_digital_link():
    assert gs1.gtin_is_valid("4006381333931")  # GS1's own EAN-13 example
    assert not gs1.gtin_is_valid("4006381333932")
    assert gs1.gtin_is_valid("96385074")  # GTIN-8
    assert gs1.digital_link_path(gtin="4006381333931", lot="L 1/2", serial="ABCDEFGHJKM") == (
        "/01/04006381333931/10/L%201%2F2/21/ABCDEFGHJKM"
    )


@pytest.mark.parametrize(
    "payload",
    [
        lambda code: f"https://ocop.gov.vn/t/{code}",
        lambda code: f"http://testserver/01/04006381333931/10/L-2026%2F1/21/{code}",
    ],
)
def test_the_fast_qr_matrix_is_segnos_own(payload):
    """The series' QR codes come from precomputed differences (labels.QRSeries): equal to a full encoding."""
    from ocop.stamps.labels import QRSeries

    series = QRSeries(payload, "A" * codes.CODE_LENGTH)
    for code in codes.codes_new(300):
        expected = ["".join("1" if dark else "0" for dark in row) for row in series.encode(payload(code))]
        assert series.rows(code) == expected
