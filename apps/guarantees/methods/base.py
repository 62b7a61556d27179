"""What every validation method shares: the `Method` class a method module fills in, the result type, the
business numbers (`MethodSettings`), the bounds and the input checks.

Pure: no Django, no clock. Each method is one module beside this one (`automated_testing.py`, ...); its evidence
fields are declared once with `apps.guarantees.methods.fields`. Callers import from `apps.guarantees.methods`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from apps.core.numbers import HUNDRED, ZERO, clamp, round1, to_decimal

if TYPE_CHECKING:
    from apps.guarantees.methods.fields import AnswerField

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
    values_not_above(part, getattr(obj, part), whole, getattr(obj, whole))


def values_not_above(part: str, part_value: Any, whole: str, whole_value: Any) -> None:
    if part_value > whole_value:
        raise ValueError(f"{human(part)} ({part_value}) cannot exceed {human(whole).lower()} ({whole_value}).")


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


class Method:
    """One validation method. A method module subclasses it and declares, in one place:

    - `key`, `label`, `position` (its place in lists and the admin's choices);
    - `evidence_class`: a frozen dataclass of `fields.*_field(...)` declarations (the staff form, the API schema and
      the stored JSON are derived from it; it checks itself on construction);
    - `score(evidence, settings)`: the pure scoring rule, whose parts and reason are what the pages show;
    - `machine_allowed`: CI, scanners or monitors may post the evidence through the API;
    - for a method each stakeholder answers: `who`, `questions` (the client form is derived from them), `summary`,
      `evidence_from_answers`, and for invited people the `invitation`;
    - `demo_evidence` / `demo_answer`: what the demo data enters to make it score about `pct`.
    """

    key: ClassVar[str]
    label: ClassVar[str]
    position: ClassVar[int]
    evidence_class: ClassVar[type]
    machine_allowed: ClassVar[bool] = False
    who: ClassVar[str] = ""
    questions: ClassVar[tuple[AnswerField, ...]] = ()
    invitation: ClassVar[str] = ""  # who = INVITED: what the invitation asks ("answer the satisfaction survey")

    @property
    def stakeholder_supplied(self) -> bool:
        """A stakeholder gives this evidence in the client view (staff only on a stakeholder's behalf)."""
        return bool(self.questions)

    def score(self, evidence: Any, settings: MethodSettings) -> MethodScore:
        raise NotImplementedError

    def summary(self, answer: Mapping[str, Any]) -> str:
        """One stakeholder's answer in words, for the pages and the API."""
        raise NotImplementedError

    def evidence_from_answers(self, answers: Sequence[Mapping[str, Any]], asked: int) -> dict[str, Any]:
        """The evidence fields from the answers that count; `asked` is how many were asked (approvers, invited)."""
        raise NotImplementedError

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        raise NotImplementedError

    def demo_answer(self, pct: int, position: int, count: int) -> dict[str, Any]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<validation method {self.key}>"


def demo_number(value: float) -> str:
    """A demo figure as the exact decimal text a form would post (0.1 + 0.2 stays "0.3", not 0.30000000000000004)."""
    return str(Decimal(str(value)))


def demo_rating(pct: int, position: int) -> int:
    """A whole 1-10 rating near `pct` / 10 for the demo answer of the stakeholder at `position`: ratings vary a
    little between people, as real ones do."""
    offset = 5 if position % 2 else 0
    return max(1, min(10, round((pct + offset) / 10)))


class RatioMethod(Method):
    """A method scored `part / whole x 100`, capped at 100: the first two evidence fields are the part and the whole.

    `ratio` names them on the page: (part label, whole label, what is counted); the last is formatted with the
    evidence's fields ("planned features demonstrated, confirmed by {confirmed_by}").
    """

    ratio: ClassVar[tuple[str, str, str]]

    def score(self, evidence: Any, settings: MethodSettings) -> MethodScore:
        part, whole = (getattr(evidence, field.name) for field in fields(evidence)[:2])
        part_label, whole_label, what = self.ratio
        return ratio_score(part, whole, part_label, whole_label, what.format(**vars(evidence)))
