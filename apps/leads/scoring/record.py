"""One lead's whole score as it is stored: qualification, feasibility, success probability and stops.

Pure: `LeadFacts` and one version's `LeadScoringConfig` in, a `ScoreRecord` out, holding the `LeadScore` columns
with the two explainable parts already written as JSON text (exactly what Django's JSONField would store for
`to_jsonable(result)`). The single-lead task and the batched rescore both store what `score_record` returns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.leads.scoring.config import LeadScoringConfig, StopRules
from apps.leads.scoring.facts import LeadFacts
from apps.leads.scoring.feasibility import Blocker, RiskFactor, SubScore, score_feasibility
from apps.leads.scoring.jsonable import encode_once, to_json_text
from apps.leads.scoring.probability import success_probability
from apps.leads.scoring.qualification import (
    CriterionPart,
    DimensionScore,
    Disqualifier,
    Gap,
    QualificationResult,
    ServiceFit,
    score_qualification,
)

STOP_UNQUALIFIED = "unqualified"
STOP_INFEASIBLE = "infeasible"
STOP_LABELS = {STOP_UNQUALIFIED: "Unqualified", STOP_INFEASIBLE: "Infeasible"}

# The rules hand the same part, fit, risk and other small objects to every lead with the same answer or value,
# so their JSON is written once and reused.
encode_once(CriterionPart, DimensionScore, Gap, Disqualifier, ServiceFit, RiskFactor, SubScore, Blocker)


# Leads with the same answers share one `QualificationResult` (see `score_qualification`): write its JSON once.
_QUALIFICATION_TEXT: dict[int, tuple[QualificationResult, str]] = {}
_QUALIFICATION_TEXT_LIMIT = 5_000


def _qualification_text(result: QualificationResult) -> str:
    hit = _QUALIFICATION_TEXT.get(id(result))
    if hit is not None and hit[0] is result:
        return hit[1]
    text = to_json_text(result)
    if len(_QUALIFICATION_TEXT) >= _QUALIFICATION_TEXT_LIMIT:
        _QUALIFICATION_TEXT.clear()
    # The entry holds the result, so its id cannot be reused by another object while it is cached.
    _QUALIFICATION_TEXT[id(result)] = (result, text)
    return text


def stops_for(qualification_score: Decimal, feasibility_score: Decimal, rules: StopRules) -> tuple[str, ...]:
    """The stops that hold for two rounded scores, in a fixed order (unqualified first)."""
    stops = []
    if qualification_score < rules.qualification_below:
        stops.append(STOP_UNQUALIFIED)
    if feasibility_score < rules.feasibility_below:
        stops.append(STOP_INFEASIBLE)
    return tuple(stops)


@dataclass(frozen=True)
class ScoreRecord:
    """The stored form of one scoring: `LeadScore`'s columns; `qualification` and `feasibility` are JSON text."""

    qualification_score: Decimal
    qualification_level: str
    feasibility_score: Decimal
    feasibility_level: str
    estimated_weeks: Decimal
    disqualifiers: tuple[str, ...]
    blocked_service_types: tuple[str, ...]
    combined_score: Decimal
    probability_band: str
    probability_percent: Decimal
    stops: tuple[str, ...]
    qualification: str
    feasibility: str

    def model_fields(self) -> dict[str, Any]:
        """The columns as a `LeadScore(...)` takes them (JSON fields as Python values)."""
        return {
            **{name: getattr(self, name) for name in HEADLINE_FIELDS},
            "disqualifiers": list(self.disqualifiers),
            "blocked_service_types": list(self.blocked_service_types),
            "stops": list(self.stops),
            "qualification": json.loads(self.qualification),
            "feasibility": json.loads(self.feasibility),
        }


HEADLINE_FIELDS = (
    "qualification_score",
    "qualification_level",
    "feasibility_score",
    "feasibility_level",
    "estimated_weeks",
    "combined_score",
    "probability_band",
    "probability_percent",
)


def score_record(facts: LeadFacts, config: LeadScoringConfig) -> ScoreRecord:
    """Score `facts` with one version's config.

    1. Qualification, then feasibility with the lead's own disqualifiers as blockers.
    2. Success probability from the two rounded scores (the observed rate is looked up when shown).
    3. The stops the two scores trigger.
    """
    scoring = config.scoring
    qualification = score_qualification(facts, scoring.qualification)
    feasibility = score_feasibility(facts, scoring.feasibility, qualification.disqualifiers)
    probability = success_probability(qualification.score, feasibility.overall, scoring.probability)
    return ScoreRecord(
        qualification_score=qualification.score,
        qualification_level=qualification.level,
        feasibility_score=feasibility.overall,
        feasibility_level=feasibility.level,
        estimated_weeks=feasibility.estimated_weeks,
        disqualifiers=tuple(item.code for item in qualification.disqualifiers),
        blocked_service_types=tuple(fit.service_type for fit in qualification.service_fit if fit.fit == "blocked"),
        combined_score=probability.combined,
        probability_band=probability.band,
        probability_percent=probability.default_percent,
        stops=stops_for(qualification.score, feasibility.overall, config.stops),
        qualification=_qualification_text(qualification),
        feasibility=to_json_text(feasibility),
    )
