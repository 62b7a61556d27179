"""Turn the admin-edited configuration rows into the pure config dataclasses, and versions to and from JSON.

`draft_config()` reads the rows as they are now; `to_snapshot()` / `from_snapshot()` freeze and thaw a version;
`config_for(version)` gives a published version's config, parsed once per process (versions never change).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from apps.leads import config_models as cm
from apps.leads.config_models import split_lines, split_words
from apps.leads.jsonable import to_jsonable
from apps.leads.scoring_config import (
    DISQUALIFIER_CODES,
    AnswerChoice,
    ApproachConfig,
    Band,
    ComplexityDeduction,
    CriterionConfig,
    DisqualifierConfig,
    FeasibilityConfig,
    LevelBand,
    ProbabilityBand,
    ProbabilityConfig,
    QualificationConfig,
    RequirementMultiplier,
    ScoringConfig,
    ServiceTypeConfig,
    TeamScore,
    TimelineLimit,
)
from apps.leads.scoring_stops import LeadScoringConfig, StopRules
from apps.leads.scoring_types import SERVICE_TYPES

__all__ = ["config_for", "draft_config", "fingerprint", "from_snapshot", "to_jsonable", "to_snapshot"]


def _bands(row: cm.Criterion) -> tuple[Band, ...]:
    # In the order the rule reads them: highest first for at_least, lowest first for at_most.
    bands = sorted(row.bands.all(), key=lambda band: band.limit, reverse=row.kind == "at_least")
    return tuple(Band(band.limit, band.fraction) for band in bands)


def _criteria() -> tuple[CriterionConfig, ...]:
    rows = cm.Criterion.objects.prefetch_related(
        Prefetch("choices", queryset=cm.CriterionChoice.objects.order_by("position", "pk")),
        Prefetch("bands", queryset=cm.CriterionBand.objects.order_by("limit")),
    )
    return tuple(
        CriterionConfig(
            key=row.key,
            dimension=row.dimension,
            label=row.label,
            points=row.points,
            source=row.source,
            kind=row.kind,
            choices=tuple(AnswerChoice(c.value, c.fraction, c.label) for c in row.choices.all()),
            bands=_bands(row),
            fallback_fraction=row.fallback_fraction,
            answer_template=row.answer_template,
        )
        for row in rows
    )


def _service_types() -> tuple[ServiceTypeConfig, ...]:
    rows = cm.ServiceTypeSetting.objects.prefetch_related(
        Prefetch("key_factors", queryset=cm.Criterion.objects.order_by("position", "key"))
    )
    rows = sorted(rows, key=lambda row: SERVICE_TYPES.index(row.service_type))
    return tuple(
        ServiceTypeConfig(
            service_type=row.service_type,
            minimum=row.minimum,
            ideal=row.ideal,
            key_factors=tuple(c.key for c in row.key_factors.all()),
            blocking_codes=tuple(row.blocking_codes),
        )
        for row in rows
    )


def _qualification(settings: cm.ScoringSettings) -> QualificationConfig:
    return QualificationConfig(
        criteria=_criteria(),
        levels=tuple(
            LevelBand(row.key, row.minimum, row.label, split_lines(row.next_steps))
            for row in cm.QualificationLevel.objects.all()
        ),
        biggest_gaps_count=settings.biggest_gaps_count,
        disqualifiers=tuple(
            DisqualifierConfig(row.code, row.label)
            for row in sorted(cm.DisqualifierLabel.objects.all(), key=lambda row: DISQUALIFIER_CODES.index(row.code))
        ),
        timeline_limits=tuple(
            TimelineLimit(row.complexity, row.minimum_weeks) for row in cm.TimelineLimit.objects.all()
        ),
        service_types=_service_types(),
        key_gap_fraction=settings.key_gap_fraction,
    )


def _feasibility(s: cm.ScoringSettings) -> FeasibilityConfig:
    return FeasibilityConfig(
        complexity_deductions=tuple(
            ComplexityDeduction(row.complexity, row.points) for row in cm.ComplexityDeduction.objects.all()
        ),
        risky_technology_keywords=split_words(s.risky_technology_keywords),
        risky_technology_deduction=s.risky_technology_deduction,
        integration_deduction=s.integration_deduction,
        integration_deduction_cap=s.integration_deduction_cap,
        compliance_keywords=split_words(s.compliance_keywords),
        compliance_deduction=s.compliance_deduction,
        estimate_base_weeks=s.estimate_base_weeks,
        estimate_weeks_per_requirement=s.estimate_weeks_per_requirement,
        estimate_multipliers=tuple(
            RequirementMultiplier(row.more_than, row.multiplier) for row in cm.RequirementMultiplier.objects.all()
        ),
        budget_low_usd=s.budget_low_usd,
        budget_low_score=s.budget_low_score,
        budget_high_usd=s.budget_high_usd,
        budget_high_score=s.budget_high_score,
        team_scores=tuple(TeamScore(row.minimum, row.score) for row in cm.TeamScore.objects.all()),
        technical_weight=s.technical_weight,
        timeline_weight=s.timeline_weight,
        resource_weight=s.resource_weight,
        levels=tuple(LevelBand(row.key, row.minimum, row.label) for row in cm.FeasibilityLevel.objects.all()),
        blocker_threshold=s.blocker_threshold,
        approaches=tuple(ApproachConfig(row.sub_score, row.text) for row in cm.Approach.objects.all()),
    )


def _probability(s: cm.ScoringSettings) -> ProbabilityConfig:
    return ProbabilityConfig(
        feasibility_weight=s.feasibility_weight,
        qualification_weight=s.qualification_weight,
        bands=tuple(
            ProbabilityBand(row.key, row.minimum, row.percent, row.label) for row in cm.ProbabilityBand.objects.all()
        ),
        min_observed_sample=s.min_observed_sample,
    )


def draft_config() -> LeadScoringConfig:
    """The configuration as the admin rows say now (raises ValueError when the rows do not make a valid config)."""
    settings = cm.ScoringSettings.objects.get()
    scoring = ScoringConfig(_qualification(settings), _feasibility(settings), _probability(settings))
    stops = StopRules(settings.qualification_stop_below, settings.feasibility_stop_below)
    return LeadScoringConfig(scoring=scoring, stops=stops)


# ---------------------------------------------------------------- snapshots


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
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


_PARSED: dict[tuple[int, str], LeadScoringConfig] = {}


def config_for(version: cm.ScoringConfigVersion) -> LeadScoringConfig:
    """A published version's config. Versions are immutable, so parsing once per process is safe."""
    key = (version.pk, version.fingerprint)
    config = _PARSED.get(key)
    if config is None:
        if len(_PARSED) > 64:
            _PARSED.clear()
        config = _PARSED[key] = from_snapshot(version.snapshot)
    return config
