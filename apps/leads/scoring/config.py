"""The configuration the scoring rules read, as plain frozen dataclasses, and its frozen JSON form (a snapshot).

Every number the rules use lives here, never in the rules: admins edit it through the models in
`scoring/models.py`, `versions.py` turns their rows into these dataclasses (one row per small dataclass, a tuple per
child table), and a published version stores `to_snapshot(config)`. Numbers are `Decimal` (counts are `int`), keys
are `str`, lists are tuples, so each maps to a flat model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.leads.scoring.jsonable import to_jsonable

# The four ways a criterion turns its source value into a fraction of its points.
CRITERION_KINDS = ("choice", "at_least", "at_most", "non_empty")
# The sub-scores of feasibility, in the order they are reported.
SUB_SCORE_KEYS = ("technical", "timeline", "resource")
# The disqualifier codes the rules know how to test, in the order they are listed.
DISQUALIFIER_CODES = (
    "no_stakeholder_alignment",
    "unrealistic_timeline",
    "no_existing_team",
    "no_technical_team",
    "business_critical_without_fallback",
    "poor_communication_structure",
)


@dataclass(frozen=True)
class AnswerChoice:
    """One answer of a `choice` or `non_empty` criterion.

    value: the answer as stored ("mostly_clear"); booleans and `non_empty` use "yes"/"no".
    fraction: share of the criterion's points this answer earns, 0-1.
    label: how the answer is shown ("Mostly clear").
    """

    value: str
    fraction: Decimal
    label: str


@dataclass(frozen=True)
class Band:
    """A numeric band of an `at_least` / `at_most` criterion.

    limit: the minimum (at_least: value >= limit) or maximum (at_most: value <= limit) of the band.
    fraction: share of the criterion's points earned inside the band, 0-1.
    """

    limit: Decimal
    fraction: Decimal


@dataclass(frozen=True)
class CriterionConfig:
    """One qualification criterion; criteria are scored and listed in tuple order (which also breaks ties).

    key: stable identifier ("development_team").
    dimension: group it counts towards ("technical", "business", "financial", "organizational").
    label: human name ("Development team").
    points: points available.
    source: an `Answers` field ("existing_codebase") or a `LeadFacts` field ("team_size").
    kind: one of CRITERION_KINDS.
        choice: `choices` maps the answer (booleans as "yes"/"no") to a fraction.
        at_least: first band, highest limit first, with value >= limit; else `fallback_fraction`.
        at_most: first band, lowest limit first, with value <= limit; else `fallback_fraction`.
        non_empty: a list source, turned into "yes" (has items) / "no", then looked up in `choices`.
    choices: answers and their fractions (choice, non_empty).
    bands: numeric bands (at_least, at_most).
    fallback_fraction: fraction when no band matches (at_least, at_most).
    answer_template: how the answer reads in the reason line; `{label}` and `{answer}` are filled in
        ("Team of {answer} developers" gives "Team of 2 developers: 60% of 20 points").
    """

    key: str
    dimension: str
    label: str
    points: Decimal
    source: str
    kind: str
    choices: tuple[AnswerChoice, ...] = ()
    bands: tuple[Band, ...] = ()
    fallback_fraction: Decimal = Decimal(0)
    answer_template: str = "{label}: {answer}"

    def __post_init__(self) -> None:
        # Fail when the config is built, not when a lead is scored with it.
        if self.kind not in CRITERION_KINDS:
            raise ValueError(f"criterion {self.key}: unknown kind {self.kind!r}")
        if self.points < 0:
            raise ValueError(f"criterion {self.key}: points must not be negative")


@dataclass(frozen=True)
class LevelBand:
    """A level reached when the rounded score is >= minimum (the highest matching minimum wins).

    key: stable identifier ("qualified"); label: shown text; next_steps: suggested actions, in order
    (empty for feasibility levels). A score below every minimum gets the lowest band.
    """

    key: str
    minimum: Decimal
    label: str
    next_steps: tuple[str, ...] = ()


def pick_level(score: Decimal, levels: Sequence[LevelBand]) -> LevelBand:
    """The band with the highest minimum the (rounded) score reaches; the lowest band when it reaches none."""
    ordered = sorted(levels, key=lambda band: band.minimum, reverse=True)
    return next((band for band in ordered if score >= band.minimum), ordered[-1])


@dataclass(frozen=True)
class DisqualifierConfig:
    """The shown text of a disqualifier code (no_stakeholder_alignment: "Stakeholders are not aligned")."""

    code: str
    label: str


@dataclass(frozen=True)
class TimelineLimit:
    """unrealistic_timeline holds when the lead's complexity is `complexity` and its weeks < minimum_weeks."""

    complexity: str
    minimum_weeks: int


@dataclass(frozen=True)
class ServiceTypeConfig:
    """How a lead fits one service type.

    minimum: lowest rounded qualification score that still fits; ideal: floor of the ideal range.
    key_factors: criterion keys that matter most; one earning under `key_gap_fraction` of its points is a gap.
    blocking_codes: disqualifier codes that block this service type.
    """

    service_type: str
    minimum: Decimal
    ideal: Decimal
    key_factors: tuple[str, ...]
    blocking_codes: tuple[str, ...]


@dataclass(frozen=True)
class QualificationConfig:
    """Everything `score_qualification` reads.

    criteria: the criteria in display order; levels: qualification levels with their next steps;
    biggest_gaps_count: how many criteria that lost the most points to name;
    disqualifiers: shown text per code; timeline_limits: minimum weeks per complexity;
    service_types: fit rules per service type; key_gap_fraction: a key factor earning under this share of its
    points is a key gap (0.5).
    """

    criteria: tuple[CriterionConfig, ...]
    levels: tuple[LevelBand, ...]
    biggest_gaps_count: int
    disqualifiers: tuple[DisqualifierConfig, ...]
    timeline_limits: tuple[TimelineLimit, ...]
    service_types: tuple[ServiceTypeConfig, ...]
    key_gap_fraction: Decimal

    def __post_init__(self) -> None:
        if not self.levels:
            raise ValueError("qualification config needs at least one level")
        keys = {c.key for c in self.criteria}
        for service in self.service_types:
            # A typo here would silently drop a key gap or a block, so refuse it.
            if unknown := set(service.key_factors) - keys:
                raise ValueError(f"{service.service_type}: unknown key factors {sorted(unknown)}")
            if unknown := set(service.blocking_codes) - set(DISQUALIFIER_CODES):
                raise ValueError(f"{service.service_type}: unknown blocking codes {sorted(unknown)}")


@dataclass(frozen=True)
class ComplexityDeduction:
    """Technical points deducted for a complexity ("high" -> 20)."""

    complexity: str
    points: Decimal


@dataclass(frozen=True)
class RequirementMultiplier:
    """The timeline estimate is multiplied by `multiplier` when there are more than `more_than` requirements.

    Only the matching entry with the highest `more_than` applies.
    """

    more_than: int
    multiplier: Decimal


@dataclass(frozen=True)
class TeamScore:
    """Resource team score for a team of at least `minimum` developers (the highest matching minimum wins)."""

    minimum: int
    score: Decimal


@dataclass(frozen=True)
class ApproachConfig:
    """Recommended approach when `sub_score` (technical, timeline or resource) is the weakest.

    Ties between equally weak sub-scores go to the entry listed first.
    """

    sub_score: str
    text: str


@dataclass(frozen=True)
class FeasibilityConfig:
    """Everything `score_feasibility` reads.

    Technical (starts at 100, floor 0):
      complexity_deductions: points off per complexity.
      risky_technology_keywords / risky_technology_deduction: points off per technology whose name contains a
        keyword (case-insensitive).
      integration_deduction / integration_deduction_cap: points off per required integration, at most the cap.
      compliance_keywords / compliance_deduction: points off per compliance regime whose name contains a
        keyword (case-insensitive).
    Timeline:
      estimate_base_weeks + estimate_weeks_per_requirement x requirements, times the matching
      estimate_multipliers entry; score 100 when the requested weeks reach the estimate, else the ratio x 100.
    Resource (mean of budget score and team score):
      budget below budget_low_usd scores budget / budget_low_usd x budget_low_score; from budget_low_usd up
      to budget_high_usd it rises linearly to budget_high_score; at or above budget_high_usd it is
      budget_high_score.
      team_scores: score per team size (no match: 0).
    Overall and the rest:
      technical_weight, timeline_weight, resource_weight: overall = sum of weight x exact sub-score.
      levels: feasibility levels; blocker_threshold: a rounded sub-score under it is a potential blocker;
      approaches: recommended approach per weakest sub-score.
    """

    complexity_deductions: tuple[ComplexityDeduction, ...]
    risky_technology_keywords: tuple[str, ...]
    risky_technology_deduction: Decimal
    integration_deduction: Decimal
    integration_deduction_cap: Decimal
    compliance_keywords: tuple[str, ...]
    compliance_deduction: Decimal
    estimate_base_weeks: Decimal
    estimate_weeks_per_requirement: Decimal
    estimate_multipliers: tuple[RequirementMultiplier, ...]
    budget_low_usd: Decimal
    budget_low_score: Decimal
    budget_high_usd: Decimal
    budget_high_score: Decimal
    team_scores: tuple[TeamScore, ...]
    technical_weight: Decimal
    timeline_weight: Decimal
    resource_weight: Decimal
    levels: tuple[LevelBand, ...]
    blocker_threshold: Decimal
    approaches: tuple[ApproachConfig, ...]

    def __post_init__(self) -> None:
        if not self.levels:
            raise ValueError("feasibility config needs at least one level")
        if self.budget_low_usd <= 0 or self.budget_high_usd <= self.budget_low_usd:
            raise ValueError("budget breakpoints must satisfy 0 < budget_low_usd < budget_high_usd")
        if {a.sub_score for a in self.approaches} != set(SUB_SCORE_KEYS):
            raise ValueError(f"approaches must name each of {SUB_SCORE_KEYS} once")


@dataclass(frozen=True)
class ProbabilityBand:
    """A combined score >= minimum falls in this band (highest matching minimum wins; below all: the lowest).

    key: stable identifier, also used to count closed guarantees per band; percent: default success chance.
    """

    key: str
    minimum: Decimal
    percent: Decimal
    label: str


@dataclass(frozen=True)
class ProbabilityConfig:
    """Everything `success_probability` reads.

    combined = feasibility_weight x feasibility + qualification_weight x qualification (both rounded scores);
    bands: default chance per band; min_observed_sample: closed guarantees in a band needed before their
    observed success rate is shown.
    """

    feasibility_weight: Decimal
    qualification_weight: Decimal
    bands: tuple[ProbabilityBand, ...]
    min_observed_sample: int

    def __post_init__(self) -> None:
        if not self.bands:
            raise ValueError("probability config needs at least one band")


@dataclass(frozen=True)
class ScoringConfig:
    """The configuration of the three scores."""

    qualification: QualificationConfig
    feasibility: FeasibilityConfig
    probability: ProbabilityConfig


@dataclass(frozen=True)
class StopRules:
    """When a scored lead stops early (DOMAIN.md section 0): a rounded score under its threshold stops it.

    qualification_below: unqualified (next steps offered); feasibility_below: infeasible (blockers shown).
    """

    qualification_below: Decimal
    feasibility_below: Decimal


@dataclass(frozen=True)
class LeadScoringConfig:
    """One published version of everything the leads app scores with."""

    scoring: ScoringConfig
    stops: StopRules


# ---------------------------------------------------------------- snapshots (a published version's JSON)


def _from_jsonable(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
        origin = typing.get_origin(kind)
    if origin is tuple:
        inner = typing.get_args(kind)[0]
        return tuple(_from_jsonable(inner, item) for item in value)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{name: _from_jsonable(hints[name], item) for name, item in value.items() if name in hints})
    if kind is Decimal:
        return Decimal(value)
    return value


def to_snapshot(config: LeadScoringConfig) -> dict[str, Any]:
    return to_jsonable(config)


def from_snapshot(snapshot: dict[str, Any]) -> LeadScoringConfig:
    return _from_jsonable(LeadScoringConfig, snapshot)


def fingerprint(snapshot: dict[str, Any]) -> str:
    """SHA-256 of a snapshot: equal fingerprints, equal configurations."""
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
