"""Pure rules of the 30-day guarantee: milestone scoring, recovery, sign-off order, evidence digest.

No Django, no clock: callers pass `as_of` and the configured thresholds and texts. Scores are exact Decimal
sums rounded once (`round1`); every threshold compares the rounded score. Final validation's rule lives in
`final_rule.py` and is re-exported here, so `apps.guarantees.scoring` is the one import for callers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from apps.core.numbers import HUNDRED, ZERO, round1
from apps.guarantees.final_rule import (
    Achievement,
    FinalCriterion,
    FinalCriterionResult,
    FinalOutcome,
    FinalResult,
    final_validation,
    mean_milestone_score,
    vulnerability_reduction_percent,
)
from apps.guarantees.methods.base import as_number, number, percent, require_weights_sum_to_one, text

__all__ = [
    "Achievement",
    "Action",
    "ActionText",
    "Criterion",
    "CriterionResult",
    "FinalCriterion",
    "FinalCriterionResult",
    "FinalOutcome",
    "FinalResult",
    "MilestoneResult",
    "MilestoneStatus",
    "can_sign_off",
    "evidence_digest",
    "final_validation",
    "mean_milestone_score",
    "recovery_actions",
    "score_milestone",
    "vulnerability_reduction_percent",
]


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    SUCCESS = "success"
    AT_RISK = "at_risk"
    FAILED = "failed"


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    weight: Decimal
    score: Decimal | None = None  # the method's 0-100 score; None while no evidence exists

    def __post_init__(self) -> None:
        text(self, "key")
        text(self, "name")
        number(self, "weight", minimum=ZERO, maximum=Decimal(1))
        if self.score is not None:
            percent(self, "score")


@dataclass(frozen=True)
class CriterionResult:
    key: str
    name: str
    weight: Decimal
    score: Decimal | None  # as given; None = no evidence
    contribution: Decimal  # score x weight, exact (missing evidence counts 0)
    lost: Decimal  # weight x (100 - score): what this criterion cost the milestone
    complete: bool  # score >= complete_at
    reason: str


@dataclass(frozen=True)
class MilestoneResult:
    status: MilestoneStatus
    score: Decimal  # rounded once; provisional while pending (missing evidence counts 0)
    pass_threshold: Decimal
    escalation_threshold: Decimal
    criteria: tuple[CriterionResult, ...]
    weakest: tuple[CriterionResult, ...]  # criteria that lost points, most lost first
    missing: tuple[str, ...]  # keys of criteria without evidence
    reason: str


def score_milestone(
    criteria: Sequence[Criterion | tuple[str, str, Decimal, Decimal | None]],
    pass_threshold: Decimal,
    escalation_threshold: Decimal,
    due_date: date,
    as_of: date,
    complete_at: Decimal = Decimal(80),
) -> MilestoneResult:
    """Score a weekly milestone.

    1. Check the criteria (unique keys, weights summing to 1) and thresholds.
    2. Sum score x weight exactly, missing evidence as 0, and round once.
    3. Stay pending while evidence is missing and the due date has not passed (as_of <= due_date).
    4. Otherwise compare the rounded score: success >= pass, at risk >= escalation, else failed.
    """
    pass_threshold, escalation_threshold = _thresholds(pass_threshold, escalation_threshold)
    criteria = [c if isinstance(c, Criterion) else Criterion(*c) for c in criteria]
    _check_criteria(criteria)
    complete_at = as_number(complete_at, "Complete at", minimum=ZERO, maximum=HUNDRED)
    results = tuple(_criterion_result(c, complete_at) for c in criteria)
    score = round1(sum((r.contribution for r in results), ZERO))
    missing = tuple(r.key for r in results if r.score is None)
    if missing and as_of <= due_date:
        status = MilestoneStatus.PENDING
    else:
        status = _status(score, pass_threshold, escalation_threshold)
    weakest = tuple(sorted((r for r in results if r.lost > 0), key=lambda r: r.lost, reverse=True))
    reason = _milestone_reason(status, score, pass_threshold, escalation_threshold, missing, due_date)
    return MilestoneResult(status, score, pass_threshold, escalation_threshold, results, weakest, missing, reason)


def _thresholds(pass_threshold: Decimal, escalation_threshold: Decimal) -> tuple[Decimal, Decimal]:
    pass_at = as_number(pass_threshold, "Pass threshold", minimum=ZERO, maximum=HUNDRED)
    escalate_at = as_number(escalation_threshold, "Escalation threshold", minimum=ZERO, maximum=HUNDRED)
    if escalate_at > pass_at:
        raise ValueError(f"Escalation threshold ({escalate_at}) cannot be above the pass threshold ({pass_at}).")
    return pass_at, escalate_at


def _check_criteria(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise ValueError("A milestone needs at least one criterion.")
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise ValueError(f"Criterion keys must be unique (got {', '.join(keys)}).")
    require_weights_sum_to_one("Criterion weights", tuple(c.weight for c in criteria))


def _criterion_result(criterion: Criterion, complete_at: Decimal) -> CriterionResult:
    points = ZERO if criterion.score is None else criterion.score
    contribution = points * criterion.weight
    if criterion.score is None:
        reason = f"no evidence yet: counts 0 x {criterion.weight} once the due date passes"
    else:
        reason = f"{criterion.score} x {criterion.weight} = {contribution}"
    return CriterionResult(
        key=criterion.key,
        name=criterion.name,
        weight=criterion.weight,
        score=criterion.score,
        contribution=contribution,
        lost=criterion.weight * (HUNDRED - points),
        complete=criterion.score is not None and criterion.score >= complete_at,
        reason=reason,
    )


def _status(score: Decimal, pass_threshold: Decimal, escalation_threshold: Decimal) -> MilestoneStatus:
    if score >= pass_threshold:
        return MilestoneStatus.SUCCESS
    if score >= escalation_threshold:
        return MilestoneStatus.AT_RISK
    return MilestoneStatus.FAILED


def _milestone_reason(
    status: MilestoneStatus,
    score: Decimal,
    pass_threshold: Decimal,
    escalation_threshold: Decimal,
    missing: tuple[str, ...],
    due_date: date,
) -> str:
    if status is MilestoneStatus.PENDING:
        return f"Waiting for evidence on {', '.join(missing)} (due {due_date.isoformat()}); {score} so far."
    verdict = {
        MilestoneStatus.SUCCESS: f"at or above the pass threshold {pass_threshold}",
        MilestoneStatus.AT_RISK: (f"below the pass threshold {pass_threshold}, at or above {escalation_threshold}"),
        MilestoneStatus.FAILED: f"below the escalation threshold {escalation_threshold}",
    }[status]
    reason = f"Scored {score}, {verdict}."
    if missing:
        reason += f" Due date {due_date.isoformat()} passed without evidence for {', '.join(missing)}: scored 0."
    return reason


@dataclass(frozen=True)
class ActionText:
    """Configured wording of an action; `str.format` placeholders: {criterion}, {score}, {weight},
    {pass_threshold}, {escalation_threshold}, {milestone_score}."""

    title: str
    detail: str


@dataclass(frozen=True)
class Action:
    title: str
    criterion_key: str | None  # None for escalations, which concern the whole milestone
    detail: str


def recovery_actions(
    result: MilestoneResult,
    criterion_methods: Mapping[str, str],
    recovery_texts: Mapping[str, ActionText],
    escalation_texts: Sequence[ActionText],
    *,
    limit: int | None = None,
) -> tuple[Action, ...]:
    """What to do about an at-risk or failed milestone; nothing for pending or success.

    `criterion_methods` maps criterion key -> validation method key; `recovery_texts` maps method key ->
    wording; `escalation_texts` are the failed-milestone steps (DOMAIN: the CSM's lead and the customer's
    executive), listed before the recovery steps.
    Recovery covers the weakest criteria first, at most `limit` of them (all when None).
    """
    if result.status not in (MilestoneStatus.AT_RISK, MilestoneStatus.FAILED):
        return ()
    values = _milestone_values(result)
    escalations: tuple[Action, ...] = ()
    if result.status is MilestoneStatus.FAILED:
        escalations = tuple(_action(t, None, values) for t in escalation_texts)
    weakest = result.weakest if limit is None else result.weakest[:limit]
    return escalations + tuple(_recovery(c, criterion_methods, recovery_texts, values) for c in weakest)


def _milestone_values(result: MilestoneResult) -> dict[str, object]:
    return {
        "milestone_score": result.score,
        "pass_threshold": result.pass_threshold,
        "escalation_threshold": result.escalation_threshold,
    }


def _recovery(
    criterion: CriterionResult,
    criterion_methods: Mapping[str, str],
    recovery_texts: Mapping[str, ActionText],
    values: dict[str, object],
) -> Action:
    method = criterion_methods.get(criterion.key)
    if method is None:
        raise ValueError(f"No validation method given for criterion {criterion.key!r}.")
    template = recovery_texts.get(method)
    if template is None:
        raise ValueError(f"No recovery text configured for validation method {method!r}.")
    score = "no evidence" if criterion.score is None else criterion.score
    values = values | {"criterion": criterion.name, "score": score, "weight": criterion.weight}
    return _action(template, criterion.key, values)


def _action(template: ActionText, criterion_key: str | None, values: Mapping[str, object]) -> Action:
    try:
        return Action(template.title.format(**values), criterion_key, template.detail.format(**values))
    except (KeyError, IndexError) as error:
        raise ValueError(f"Action text {template.title!r} uses an unknown placeholder: {error}.") from None


def can_sign_off(week_number: int, previous_weeks_closed: bool) -> str | None:
    """Why week N cannot be signed off yet, or None when it can: weeks close in order."""
    if isinstance(week_number, bool) or not isinstance(week_number, int) or week_number < 1:
        raise ValueError(f"Week number must be a whole number from 1 (got {week_number!r}).")
    if week_number > 1 and not previous_weeks_closed:
        return f"Week {week_number} cannot be signed off before week {week_number - 1} is closed."
    return None


def evidence_digest(items: Iterable[Any]) -> str:
    """SHA-256 (hex) of the evidence set being approved, recorded with the sign-off.

    Canonical JSON: sorted keys, no whitespace, Decimals as their exact strings, dates in ISO format. The
    items are a set, so their order does not matter either; order inside an item (a list of checks) does.
    """
    canonical_items = sorted(_canonical(item) for item in items)
    payload = "[" + ",".join(canonical_items) + "]"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"Evidence digest cannot encode {type(value).__name__}: {value!r}.")
