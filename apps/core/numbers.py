"""One rounding rule for every score the portal shows.

Scores are computed exactly with Decimal and rounded half-up once, at the end. Levels and thresholds compare the
rounded value, so a score shown as 60.0 is never treated as 59.95.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Turn a number into a Decimal without binary-float noise (floats go through their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round1(value: Decimal | int | float | str) -> Decimal:
    """Round half-up to one decimal: the rule for every score and percentage."""
    return to_decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def round2(value: Decimal | int | float | str) -> Decimal:
    """Round half-up to two decimals: compatibility values (0-1) use it."""
    return to_decimal(value).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = HUNDRED) -> Decimal:
    """Keep a score within its range (0-100 by default)."""
    return max(low, min(high, value))


def ratio_percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """part / whole x 100, exact; 0 when there is nothing to divide by."""
    whole = to_decimal(whole)
    if whole == 0:
        return ZERO
    return to_decimal(part) / whole * HUNDRED
