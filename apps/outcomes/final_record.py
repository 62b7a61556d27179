"""What a final validation is computed from and what it stores: the bridge between the admin-edited criteria and
the pure rule (`apps.guarantees.final_rule`, imported through `apps.guarantees.scoring`), and the stored record.

`evaluate` feeds the configured criteria and the gathered actuals to the rule; `criteria_parts`,
`achievements_parts`, `config_snapshot` and `inputs_hash` are what `apps.outcomes.final` (the service) stores.
No ORM, no clock: configuration and the gathered actuals come in as frozen dataclasses; what is stored comes out as
plain JSON-ready dicts, and the inputs hash makes "same inputs, same result" checkable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apps.core.numbers import round1
from apps.guarantees.scoring import FinalCriterion, FinalResult, final_validation, mean_milestone_score

MILESTONE_MEAN = "milestone_mean"
EVIDENCE = "evidence"
CSM_VALUE = "csm_value"
CSM_REDUCTION = "csm_reduction"
CSM_SOURCES = (CSM_VALUE, CSM_REDUCTION)


@dataclass(frozen=True)
class CriterionConfig:
    key: str
    label: str
    weight: Decimal
    target: Decimal
    source: str
    unit: str = ""
    lower_is_better: bool = False
    evidence_method: str = ""
    evidence_field: str = ""
    is_satisfaction: bool = False


@dataclass(frozen=True)
class Settings:
    version: int
    case_study_min_score: Decimal
    case_study_min_satisfaction: Decimal


@dataclass(frozen=True)
class Actual:
    """A criterion's actual figure, where it came from in words, and a reference to the record(s) behind it."""

    key: str
    value: Decimal | None
    source: str
    evidence: dict[str, Any] = field(default_factory=dict)


def milestone_mean_actual(key: str, weeks: Sequence[tuple[int, Decimal | None]]) -> Actual:
    """Mean of the weekly milestone scores; a week never scored counts as 0 rather than being left out."""
    if not weeks:
        return Actual(key, None, "No weekly milestones.")
    scores = [score if score is not None else Decimal(0) for _, score in weeks]
    mean = mean_milestone_score(scores)
    listed = ", ".join(f"W{week} {'not scored (0)' if s is None else s}" for week, s in weeks)
    return Actual(
        key,
        mean,
        f"Mean of {len(weeks)} weekly scores: {listed}.",
        {"weeks": [{"week": week, "score": None if s is None else str(s)} for week, s in weeks]},
    )


def missing_inputs(configs: Sequence[CriterionConfig], actuals: Sequence[Actual]) -> list[str]:
    """Labels of the criteria the CSM must enter that have no figure yet."""
    by_key = {a.key: a for a in actuals}
    return [
        c.label for c in configs if c.source in CSM_SOURCES and by_key.get(c.key, Actual(c.key, None, "")).value is None
    ]


def evaluate(
    configs: Sequence[CriterionConfig], actuals: Sequence[Actual], threshold: Decimal, settings: Settings
) -> FinalResult:
    by_key = {a.key: a for a in actuals}
    criteria = [
        FinalCriterion(
            c.key, c.label, c.weight, c.target, _actual(by_key, c.key), c.lower_is_better, _source(by_key, c.key)
        )
        for c in configs
    ]
    satisfaction_key = next((c.key for c in configs if c.is_satisfaction), "")
    return final_validation(
        criteria,
        threshold,
        satisfaction_key=satisfaction_key,
        case_study_score=settings.case_study_min_score,
        case_study_satisfaction=settings.case_study_min_satisfaction,
    )


def _actual(by_key: dict[str, Actual], key: str) -> Decimal | None:
    actual = by_key.get(key)
    return actual.value if actual else None


def _source(by_key: dict[str, Actual], key: str) -> str:
    actual = by_key.get(key)
    return actual.source[:300] if actual else "No data."


def criteria_parts(
    configs: Sequence[CriterionConfig], actuals: Sequence[Actual], result: FinalResult
) -> list[dict[str, Any]]:
    """What the final validation stores per criterion: enough to show, and to re-check, every figure."""
    by_key = {a.key: a for a in actuals}
    units = {c.key: c for c in configs}
    parts = []
    for r in result.criteria:
        c = r.criterion
        actual = by_key.get(c.key)
        parts.append(
            {
                "key": c.key,
                "label": c.label,
                "weight": str(c.weight),
                "target": str(c.target),
                "unit": units[c.key].unit,
                "source_kind": units[c.key].source,
                "lower_is_better": c.lower_is_better,
                "actual": None if c.actual is None else str(round1(c.actual)),
                "achievement": str(round1(r.achievement)),
                "contribution": str(round1(r.contribution)),
                "reason": r.reason,
                "source": c.source,
                "evidence": actual.evidence if actual else {},
            }
        )
    return parts


def achievements_parts(configs: Sequence[CriterionConfig], result: FinalResult) -> list[dict[str, str]]:
    units = {c.key: c.unit for c in configs}
    return [
        {
            "key": a.key,
            "label": a.label,
            "target": str(a.target),
            "actual": str(round1(a.actual)),
            "margin": str(round1(a.margin)),
            "unit": units.get(a.key, ""),
        }
        for a in result.achievements
    ]


def inputs_hash(
    *,
    round_number: int,
    threshold: Decimal,
    configs: Sequence[CriterionConfig],
    actuals: Sequence[Actual],
    settings: Settings,
) -> str:
    """SHA-256 over everything the result depends on, in a canonical order: same inputs, same hash."""
    payload = {
        "round": round_number,
        "threshold": str(threshold),
        "settings": [str(settings.case_study_min_score), str(settings.case_study_min_satisfaction)],
        "criteria": [
            [c.key, str(c.weight), str(c.target), c.source, c.lower_is_better, c.is_satisfaction] for c in configs
        ],
        "actuals": sorted([a.key, None if a.value is None else str(a.value), a.evidence] for a in actuals),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def config_snapshot(configs: Sequence[CriterionConfig], settings: Settings) -> dict[str, Any]:
    return {
        "version": settings.version,
        "case_study_min_score": str(settings.case_study_min_score),
        "case_study_min_satisfaction": str(settings.case_study_min_satisfaction),
        "criteria": [
            {
                "key": c.key,
                "label": c.label,
                "weight": str(c.weight),
                "target": str(c.target),
                "unit": c.unit,
                "source": c.source,
                "lower_is_better": c.lower_is_better,
                "evidence_method": c.evidence_method,
                "evidence_field": c.evidence_field,
            }
            for c in configs
        ],
    }


def success_summary(*, project: str, customer: str, score: Decimal, threshold: Decimal, met: int, total: int) -> str:
    return (
        f"{customer}'s {project} guarantee succeeded with a final score of {score} against a success threshold of "
        f"{threshold}. {met} of {total} guarantee criteria reached their target."
    )
