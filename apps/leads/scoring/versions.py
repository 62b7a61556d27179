"""The configuration's life: read the admin's draft, publish it as a version, preview a publish, thaw a version.

Rows in `scoring/models.py` are the draft; `draft_config()` turns them into the pure config dataclasses.
Publishing freezes the draft as a `ScoringConfigVersion` (its snapshot and fingerprint) and queues the rescore of
the open leads (`run.py`); `config_for(version)` gives a published version's config, parsed once per process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.leads.models import Lead
from apps.leads.scoring import models as m
from apps.leads.scoring.config import (
    DISQUALIFIER_CODES,
    AnswerChoice,
    ApproachConfig,
    Band,
    ComplexityDeduction,
    CriterionConfig,
    DisqualifierConfig,
    FeasibilityConfig,
    LeadScoringConfig,
    LevelBand,
    ProbabilityBand,
    ProbabilityConfig,
    QualificationConfig,
    RequirementMultiplier,
    ScoringConfig,
    ServiceTypeConfig,
    StopRules,
    TeamScore,
    TimelineLimit,
    fingerprint,
    from_snapshot,
    to_snapshot,
)
from apps.leads.scoring.facts import SERVICE_TYPES
from apps.leads.scoring.feasibility import score_feasibility
from apps.leads.scoring.models import ScoringConfigVersion, split_lines, split_words
from apps.leads.scoring.qualification import score_qualification

PREVIEW_CHUNK = 500

# ---------------------------------------------------------------- the draft: admin rows -> config


def _bands(row: m.Criterion) -> tuple[Band, ...]:
    # In the order the rule reads them: highest first for at_least, lowest first for at_most.
    bands = sorted(row.bands.all(), key=lambda band: band.limit, reverse=row.kind == "at_least")
    return tuple(Band(band.limit, band.fraction) for band in bands)


def _criteria() -> tuple[CriterionConfig, ...]:
    rows = m.Criterion.objects.prefetch_related(
        Prefetch("choices", queryset=m.CriterionChoice.objects.order_by("position", "pk")),
        Prefetch("bands", queryset=m.CriterionBand.objects.order_by("limit")),
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
    rows = m.ServiceTypeSetting.objects.prefetch_related(
        Prefetch("key_factors", queryset=m.Criterion.objects.order_by("position", "key"))
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


def _qualification(settings: m.ScoringSettings) -> QualificationConfig:
    return QualificationConfig(
        criteria=_criteria(),
        levels=tuple(
            LevelBand(row.key, row.minimum, row.label, split_lines(row.next_steps))
            for row in m.QualificationLevel.objects.all()
        ),
        biggest_gaps_count=settings.biggest_gaps_count,
        disqualifiers=tuple(
            DisqualifierConfig(row.code, row.label)
            for row in sorted(m.DisqualifierLabel.objects.all(), key=lambda row: DISQUALIFIER_CODES.index(row.code))
        ),
        timeline_limits=tuple(
            TimelineLimit(row.complexity, row.minimum_weeks) for row in m.TimelineLimit.objects.all()
        ),
        service_types=_service_types(),
        key_gap_fraction=settings.key_gap_fraction,
    )


def _feasibility(s: m.ScoringSettings) -> FeasibilityConfig:
    return FeasibilityConfig(
        complexity_deductions=tuple(
            ComplexityDeduction(row.complexity, row.points) for row in m.ComplexityDeduction.objects.all()
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
            RequirementMultiplier(row.more_than, row.multiplier) for row in m.RequirementMultiplier.objects.all()
        ),
        budget_low_usd=s.budget_low_usd,
        budget_low_score=s.budget_low_score,
        budget_high_usd=s.budget_high_usd,
        budget_high_score=s.budget_high_score,
        team_scores=tuple(TeamScore(row.minimum, row.score) for row in m.TeamScore.objects.all()),
        technical_weight=s.technical_weight,
        timeline_weight=s.timeline_weight,
        resource_weight=s.resource_weight,
        levels=tuple(LevelBand(row.key, row.minimum, row.label) for row in m.FeasibilityLevel.objects.all()),
        blocker_threshold=s.blocker_threshold,
        approaches=tuple(ApproachConfig(row.sub_score, row.text) for row in m.Approach.objects.all()),
    )


def _probability(s: m.ScoringSettings) -> ProbabilityConfig:
    return ProbabilityConfig(
        feasibility_weight=s.feasibility_weight,
        qualification_weight=s.qualification_weight,
        bands=tuple(
            ProbabilityBand(row.key, row.minimum, row.percent, row.label) for row in m.ProbabilityBand.objects.all()
        ),
        min_observed_sample=s.min_observed_sample,
    )


def draft_config() -> LeadScoringConfig:
    """The configuration as the admin rows say now (raises ValueError when the rows do not make a valid config)."""
    settings = m.ScoringSettings.objects.get()
    scoring = ScoringConfig(_qualification(settings), _feasibility(settings), _probability(settings))
    stops = StopRules(settings.qualification_stop_below, settings.feasibility_stop_below)
    return LeadScoringConfig(scoring=scoring, stops=stops)


_PARSED: dict[tuple[int, str], LeadScoringConfig] = {}


def config_for(version: ScoringConfigVersion) -> LeadScoringConfig:
    """A published version's config. Versions are immutable, so parsing once per process is safe."""
    key = (version.pk, version.fingerprint)
    config = _PARSED.get(key)
    if config is None:
        if len(_PARSED) > 64:
            _PARSED.clear()
        config = _PARSED[key] = from_snapshot(version.snapshot)
    return config


# ---------------------------------------------------------------- versions


def latest_version() -> ScoringConfigVersion | None:
    return ScoringConfigVersion.objects.order_by("-number").first()


def _valid_draft() -> LeadScoringConfig:
    try:
        return draft_config()
    except ValueError as exc:
        raise ValidationError(f"The configuration is not valid: {exc}") from exc


def current_version() -> ScoringConfigVersion:
    """The newest published version; the first call ever publishes the seeded draft as version 1."""
    version = latest_version()
    if version is not None:
        return version
    snapshot = to_snapshot(_valid_draft())
    try:
        with transaction.atomic():
            return ScoringConfigVersion.objects.create(
                number=1, snapshot=snapshot, fingerprint=fingerprint(snapshot), note="Initial configuration"
            )
    except IntegrityError:  # another process published version 1 at the same moment
        return ScoringConfigVersion.objects.get(number=1)


def draft_is_published() -> bool:
    version = latest_version()
    return version is not None and version.fingerprint == fingerprint(to_snapshot(_valid_draft()))


@dataclass
class PublishPreview:
    """What publishing the draft would do to the open leads."""

    open_leads: int = 0
    unscored: int = 0
    qualification_changes: Counter = field(default_factory=Counter)
    feasibility_changes: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def qualification_changed(self) -> int:
        return sum(self.qualification_changes.values())

    @property
    def change_rows(self) -> list[tuple[str, str, int]]:
        """(from level, to level, leads), most leads first."""
        return [(before, after, n) for (before, after), n in self.qualification_changes.most_common()]


def preview_publish(example_limit: int = 10) -> PublishPreview:
    """Score every open lead with the draft (nothing is saved) and count those whose level would change."""
    config = _valid_draft().scoring
    preview = PublishPreview()
    leads = (
        Lead.objects.open()
        .select_related("latest_score")
        .defer("latest_score__qualification", "latest_score__feasibility")
    )
    for lead in leads.iterator(chunk_size=PREVIEW_CHUNK):
        preview.open_leads += 1
        before = lead.latest_score
        if before is None:
            preview.unscored += 1
            continue
        facts = lead.facts()
        qualification = score_qualification(facts, config.qualification)
        feasibility = score_feasibility(facts, config.feasibility, qualification.disqualifiers)
        if qualification.level != before.qualification_level:
            preview.qualification_changes[(before.qualification_level, qualification.level)] += 1
            if len(preview.examples) < example_limit:
                preview.examples.append(
                    {
                        "lead": lead,
                        "from": before.qualification_level,
                        "to": qualification.level,
                        "score_from": before.qualification_score,
                        "score_to": qualification.score,
                    }
                )
        if feasibility.level != before.feasibility_level:
            preview.feasibility_changes += 1
    return preview


@transaction.atomic
def publish_config(*, actor: Any, note: str = "") -> tuple[ScoringConfigVersion, m.RescoreRun]:
    """Freeze the draft as the next version and rescore the open leads with it in the background."""
    snapshot = to_snapshot(_valid_draft())
    previous = ScoringConfigVersion.objects.select_for_update().order_by("-number").first()
    if previous is not None and previous.fingerprint == fingerprint(snapshot):
        raise ValidationError("Nothing to publish: the configuration equals the latest version.")
    version = ScoringConfigVersion.objects.create(
        number=(previous.number + 1) if previous else 1,
        snapshot=snapshot,
        fingerprint=fingerprint(snapshot),
        note=note[:300],
        published_by=actor,
    )
    run = m.RescoreRun.objects.create(version=version, total=Lead.objects.open().count())
    record_event(action="scoring_config.published", obj=version, actor=actor, data={"number": version.number})
    transaction.on_commit(lambda: async_task("apps.leads.tasks.rescore_open_leads", run.pk))
    return version, run
