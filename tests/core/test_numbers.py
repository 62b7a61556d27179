"""The one rounding rule: Decimal, half-up, once at the end. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.core.numbers import clamp, ratio_percent, round1, round2, to_decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [("59.95", "60.0"), ("59.94", "59.9"), ("0.05", "0.1"), ("-0.05", "-0.1"), (2.25, "2.3"), (72, "72.0")],
)
def test_round1_rounds_half_up_to_one_decimal(value, expected):
    assert round1(value) == Decimal(expected)
    assert str(round1(value)) == expected


@pytest.mark.parametrize(("value", "expected"), [("0.125", "0.13"), ("0.124", "0.12"), (0.675, "0.68"), (1, "1.00")])
def test_round2_rounds_half_up_to_two_decimals(value, expected):
    assert str(round2(value)) == expected


def test_a_float_is_taken_as_written_not_as_its_binary_approximation():
    # 2.675 is stored as 2.67499999...; Python's round() gives 2.67, the portal's rule gives what people expect.
    assert round(2.675, 2) == 2.67
    assert round2(2.675) == Decimal("2.68")
    assert to_decimal(0.1) == Decimal("0.1")


def test_a_decimal_passes_through_unchanged():
    value = Decimal("12.3456")

    assert to_decimal(value) is value


def test_clamp_keeps_a_score_between_0_and_100():
    assert clamp(Decimal("-3")) == 0
    assert clamp(Decimal("104.2")) == 100
    assert clamp(Decimal("55.5")) == Decimal("55.5")


def test_ratio_percent_is_exact_and_zero_when_there_is_nothing_to_divide_by():
    assert round1(ratio_percent(1, 3)) == Decimal("33.3")
    assert ratio_percent(2, 8) == Decimal(25)
    assert ratio_percent(5, 0) == 0
