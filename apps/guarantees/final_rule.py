"""The pure rule of a guarantee's final validation (day 30, or when week 4 closes): succeeded or claim eligible.

The service that gathers the figures, stores the result and moves the guarantee is `apps.outcomes.final`.

Pure rules; import them from `apps.guarantees.scoring`. Achievement = actual / target x 100, capped at 100
(target / actual for lower-is-better); score = sum of weight x achievement, exact, rounded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from apps.core.numbers import HUNDRED, ZERO, clamp, round1
from apps.guarantees.methods.base import as_number, number, require_weights_sum_to_one, text


class FinalOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    CLAIM_ELIGIBLE = "claim_eligible"


@dataclass(frozen=True)
class FinalCriterion:
    key: str
    label: str
    weight: Decimal
    target: Decimal
    actual: Decimal | None  # None: no data, achievement 0
    lower_is_better: bool = False
    source: str = ""  # where the actual came from, shown beside it

    def __post_init__(self) -> None:
        text(self, "key")
        text(self, "label")
        number(self, "weight", minimum=ZERO, maximum=Decimal(1))
        if number(self, "target") <= 0:
            raise ValueError(f"Target of {self.label} must be above 0 (got {self.target}).")
        if self.actual is not None:
            number(self, "actual", minimum=ZERO if self.lower_is_better else None)
        text(self, "source", required=False)


@dataclass(frozen=True)
class FinalCriterionResult:
    criterion: FinalCriterion
    achievement: Decimal  # 0-100, exact
    contribution: Decimal  # weight x achievement, exact
    reason: str


@dataclass(frozen=True)
class Achievement:
    """A criterion whose actual beat its target, for the success document."""

    key: str
    label: str
    target: Decimal
    actual: Decimal
    margin: Decimal  # how far past the target, in the criterion's own unit


@dataclass(frozen=True)
class FinalResult:
    outcome: FinalOutcome
    score: Decimal  # rounded once
    threshold: Decimal
    criteria: tuple[FinalCriterionResult, ...]
    achievements: tuple[Achievement, ...]
    case_study_candidate: bool
    reason: str


def final_validation(
    criteria: Sequence[FinalCriterion | tuple],
    threshold: Decimal,
    *,
    satisfaction_key: str,
    case_study_score: Decimal,
    case_study_satisfaction: Decimal,
) -> FinalResult:
    """Score the guarantee at its end.

    1. Achievement per criterion (missing actual -> 0, "no data"), contribution = weight x achievement.
    2. Score = sum of contributions, rounded once; succeeded when it is >= threshold, else claim eligible.
    3. Achievements: criteria whose actual beats the target, with the margin.
    4. Case-study candidate: succeeded, score >= case_study_score and satisfaction >= case_study_satisfaction.
    """
    criteria = [c if isinstance(c, FinalCriterion) else FinalCriterion(*c) for c in criteria]
    _check(criteria)
    threshold = as_number(threshold, "Threshold", minimum=ZERO, maximum=HUNDRED)
    case_study_score = as_number(case_study_score, "Case study score", minimum=ZERO, maximum=HUNDRED)
    case_study_satisfaction = as_number(case_study_satisfaction, "Case study satisfaction", minimum=ZERO)
    results = tuple(_result(c) for c in criteria)
    score = round1(sum((r.contribution for r in results), ZERO))
    outcome = FinalOutcome.SUCCEEDED if score >= threshold else FinalOutcome.CLAIM_ELIGIBLE
    achievements = tuple(a for a in (_achievement(c) for c in criteria) if a is not None)
    candidate = outcome is FinalOutcome.SUCCEEDED and _case_study(
        criteria, score, satisfaction_key, case_study_score, case_study_satisfaction
    )
    verdict = "at or above" if outcome is FinalOutcome.SUCCEEDED else "below"
    reason = f"Final score {score}, {verdict} the success threshold {threshold}."
    return FinalResult(outcome, score, threshold, results, achievements, candidate, reason)


def _check(criteria: Sequence[FinalCriterion]) -> None:
    if not criteria:
        raise ValueError("Final validation needs at least one criterion.")
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise ValueError(f"Criterion keys must be unique (got {', '.join(keys)}).")
    require_weights_sum_to_one("Final criterion weights", tuple(c.weight for c in criteria))


def achievement(criterion: FinalCriterion) -> Decimal:
    """0-100: how much of the target was reached; 0 without data."""
    return clamp(_uncapped(criterion))


def _uncapped(criterion: FinalCriterion) -> Decimal:
    actual, target = criterion.actual, criterion.target
    if actual is None:
        return ZERO
    if criterion.lower_is_better:
        # Nothing at all (0 vulnerabilities, 0 ms) cannot be beaten, and dividing by it is undefined.
        return HUNDRED if actual == 0 else target / actual * HUNDRED
    # A negative actual (a regression) floors at 0 rather than taking points from other criteria.
    return actual / target * HUNDRED


def _result(criterion: FinalCriterion) -> FinalCriterionResult:
    uncapped = _uncapped(criterion)
    value = clamp(uncapped)
    contribution = criterion.weight * value
    if criterion.actual is None:
        reason = "no data"
    else:
        direction = " (lower is better)" if criterion.lower_is_better else ""
        reason = f"{criterion.actual} against target {criterion.target}{direction}: {round1(value)}% achieved"
        if uncapped > HUNDRED:
            reason += ", capped at 100"
        elif uncapped < ZERO:
            reason += ", floored at 0"
    return FinalCriterionResult(criterion, value, contribution, reason)


def _achievement(criterion: FinalCriterion) -> Achievement | None:
    if criterion.actual is None:
        return None
    margin = criterion.actual - criterion.target
    if criterion.lower_is_better:
        margin = -margin
    if margin <= 0:  # meeting the target exactly is not beating it
        return None
    return Achievement(criterion.key, criterion.label, criterion.target, criterion.actual, margin)


def _case_study(
    criteria: Sequence[FinalCriterion],
    score: Decimal,
    satisfaction_key: str,
    min_score: Decimal,
    min_satisfaction: Decimal,
) -> bool:
    satisfaction = next((c.actual for c in criteria if c.key == satisfaction_key), None)
    if satisfaction is None:
        return False
    return score >= min_score and satisfaction >= min_satisfaction


def vulnerability_reduction_percent(baseline: int | Decimal, current: int | Decimal) -> Decimal:
    """(baseline - current) / baseline x 100, exact.

    Negative when vulnerabilities grew; final validation floors that achievement at 0. A baseline of 0 (DOMAIN):
    still none is a full reduction (100), any found since is none at all (0).
    """
    baseline = as_number(baseline, "Baseline vulnerabilities", minimum=ZERO)
    current = as_number(current, "Current vulnerabilities", minimum=ZERO)
    if baseline == 0:
        return HUNDRED if current == 0 else ZERO
    return (baseline - current) / baseline * HUNDRED


def mean_milestone_score(scores: Sequence[Decimal]) -> Decimal | None:
    """Mean weekly milestone score (exact), for the 'weekly milestones vs 100' criterion; None if none."""
    if not scores:
        return None
    values = [as_number(s, "Milestone score", minimum=ZERO, maximum=HUNDRED) for s in scores]
    return sum(values, ZERO) / len(values)
