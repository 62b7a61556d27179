"""Shared pieces of the 15 validation methods: the result type, the business numbers, input checks.

Pure: no Django, no clock. The evidence classes live in `methods_human.py` and `methods_machine.py`; callers
import everything from `apps.guarantees.methods`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from apps.core.numbers import HUNDRED, ZERO, clamp, round1, to_decimal

ONE = Decimal(1)
WEIGHT_TOLERANCE = Decimal("0.001")
# Upper bounds of every evidence figure and list, whichever door it comes through (staff form, client form, API):
# beyond them a figure is a typo or a probe, and it would only distort a score.
MAX_COUNT = 1_000_000
MAX_NUMBER = Decimal(1_000_000)
MAX_ITEMS = 500  # named checks or ratings in one piece of evidence
MAX_NAME_LENGTH = 300


class ScorePart(NamedTuple):
    """One line of the arithmetic behind a score; `value` is rounded for display, the score is exact."""

    label: str
    value: Decimal
    note: str


@dataclass(frozen=True)
class MethodScore:
    score: Decimal  # 0-100, rounded half-up to one decimal
    parts: tuple[ScorePart, ...]
    reason: str


@dataclass(frozen=True)
class MethodSettings:
    """The business numbers inside the method rules; production reads them from an admin-edited model."""

    testing_coverage_weight: Decimal
    testing_pass_rate_weight: Decimal
    integration_undocumented_factor: Decimal
    security_critical_penalty: Decimal
    security_high_penalty: Decimal
    security_medium_penalty: Decimal
    security_low_penalty: Decimal
    performance_response_weight: Decimal
    performance_throughput_weight: Decimal
    performance_error_weight: Decimal
    survey_full_response_rate_percent: Decimal

    @classmethod
    def domain_defaults(cls) -> MethodSettings:
        """DOMAIN.md section 4's numbers: the seed for the settings model and the values the tests use."""
        return cls(
            testing_coverage_weight=Decimal("0.6"),
            testing_pass_rate_weight=Decimal("0.4"),
            integration_undocumented_factor=Decimal("0.9"),
            security_critical_penalty=Decimal(50),
            security_high_penalty=Decimal(25),
            security_medium_penalty=Decimal(5),
            security_low_penalty=ZERO,
            performance_response_weight=Decimal("0.4"),
            performance_throughput_weight=Decimal("0.3"),
            performance_error_weight=Decimal("0.3"),
            survey_full_response_rate_percent=Decimal(80),
        )

    def __post_init__(self) -> None:
        for field in fields(self):
            number(self, field.name, minimum=ZERO)
        require_weights_sum_to_one(
            "Automated testing weights", (self.testing_coverage_weight, self.testing_pass_rate_weight)
        )
        require_weights_sum_to_one(
            "Performance testing weights",
            (
                self.performance_response_weight,
                self.performance_throughput_weight,
                self.performance_error_weight,
            ),
        )
        number(self, "integration_undocumented_factor", maximum=ONE)
        if self.survey_full_response_rate_percent == 0:
            raise ValueError("Survey full response rate must be above 0%.")
        number(self, "survey_full_response_rate_percent", maximum=HUNDRED)


def human(name: str) -> str:
    """`tests_passed` -> `Tests passed`: error messages name the field the way a person reads it."""
    return name.replace("_", " ").capitalize()


def number(obj: Any, name: str, *, minimum: Decimal | None = None, maximum: Decimal = MAX_NUMBER) -> Decimal:
    """Check a numeric field, store it back as a Decimal (API input may be int, str, float), return it."""
    value = as_number(getattr(obj, name), human(name), minimum=minimum, maximum=maximum)
    # Frozen dataclasses: normalising in __post_init__ is the one sanctioned write.
    object.__setattr__(obj, name, value)
    return value


def as_number(raw: object, label: str, *, minimum: Decimal | None = None, maximum: Decimal = MAX_NUMBER) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int | float | str):
        raise ValueError(f"{label} must be a number, not {raw!r}.")
    try:
        value = to_decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{label} must be a number, not {raw!r}.") from None
    if not value.is_finite():
        raise ValueError(f"{label} must be a finite number, not {raw!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{label} cannot be below {minimum} (got {value}).")
    if value > maximum:
        raise ValueError(f"{label} cannot be above {maximum} (got {value}).")
    return value


def percent(obj: Any, name: str) -> Decimal:
    return number(obj, name, minimum=ZERO, maximum=HUNDRED)


def count(obj: Any, name: str, *, positive: bool = False) -> int:
    """A whole, non-negative count; `positive` for totals, because a ratio over nothing measures nothing."""
    value = getattr(obj, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{human(name)} must be a whole number, not {value!r}.")
    if value < 0:
        raise ValueError(f"{human(name)} cannot be negative (got {value}).")
    if positive and value == 0:
        raise ValueError(f"{human(name)} must be at least 1: there is nothing to measure against.")
    if value > MAX_COUNT:
        raise ValueError(f"{human(name)} cannot be above {MAX_COUNT:,} (got {value:,}).")
    return value


def not_above(obj: Any, part: str, whole: str) -> None:
    if getattr(obj, part) > getattr(obj, whole):
        raise ValueError(
            f"{human(part)} ({getattr(obj, part)}) cannot exceed {human(whole).lower()} ({getattr(obj, whole)})."
        )


def text(obj: Any, name: str, *, required: bool = True) -> str:
    value = getattr(obj, name)
    if not isinstance(value, str):
        raise ValueError(f"{human(name)} must be text, not {value!r}.")
    if required and not value.strip():
        raise ValueError(f"{human(name)} is required.")
    return value


def require_weights_sum_to_one(what: str, weights: tuple[Decimal, ...]) -> None:
    total = sum(weights, ZERO)
    if abs(total - ONE) > WEIGHT_TOLERANCE:
        raise ValueError(f"{what} must sum to 1 (they sum to {total}).")


def finish(exact: Decimal) -> tuple[Decimal, bool]:
    """Clamp to 0-100 and round once; also say whether the clamp changed anything, so the parts can say so."""
    clamped = clamp(exact)
    return round1(clamped), clamped != exact


def ratio_score(part: int, whole: int, part_label: str, whole_label: str, what: str) -> MethodScore:
    """The common `part / whole x 100` rule, capped at 100."""
    score, capped = finish(Decimal(part) / Decimal(whole) * HUNDRED)
    note = f"{part} / {whole} x 100" + (", capped at 100" if capped else "")
    parts = (
        ScorePart(part_label, Decimal(part), ""),
        ScorePart(whole_label, Decimal(whole), ""),
        ScorePart("Score", score, note),
    )
    return MethodScore(score, parts, f"{part} of {whole} {what}: {score}.")
