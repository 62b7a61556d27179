"""Reads for final validation: the configuration as pure dataclasses, and each criterion's actual with its source."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from apps.core.labels import words
from apps.guarantees.models import Guarantee, Milestone, MilestoneCriterion
from apps.guarantees.scoring import vulnerability_reduction_percent
from apps.outcomes import final_record
from apps.outcomes.final_record import Actual, CriterionConfig
from apps.outcomes.models import Claim, FinalCriterionConfig, FinalInput, OutcomeSettings, Remedy


def criterion_configs(service_type: str) -> list[CriterionConfig]:
    rows = FinalCriterionConfig.objects.filter(service_type=service_type).order_by("position", "id")
    return [
        CriterionConfig(
            key=r.key,
            label=r.label,
            weight=r.weight,
            target=r.target,
            source=r.source,
            unit=r.unit,
            lower_is_better=r.lower_is_better,
            evidence_method=r.evidence_method,
            evidence_field=r.evidence_field,
            is_satisfaction=r.is_satisfaction,
        )
        for r in rows
    ]


def outcome_settings() -> final_record.Settings:
    row = OutcomeSettings.load()
    return final_record.Settings(row.version, row.case_study_min_score, row.case_study_min_satisfaction)


def current_round(guarantee: Guarantee) -> int:
    """Round 1, plus one for each continued-development extension the guarantee has had."""
    extensions = Claim.objects.filter(
        guarantee=guarantee, remedy=Remedy.CONTINUED_DEVELOPMENT, status=Claim.Status.FULFILLED
    ).count()
    return 1 + extensions


def gather_actuals(guarantee: Guarantee, configs: list[CriterionConfig]) -> list[Actual]:
    inputs = {i.key: i for i in FinalInput.objects.filter(guarantee=guarantee).select_related("entered_by")}
    return [_actual(guarantee, config, inputs) for config in configs]


def _actual(guarantee: Guarantee, config: CriterionConfig, inputs: dict[str, FinalInput]) -> Actual:
    if config.source == final_record.MILESTONE_MEAN:
        # An extension round counts only its own weeks; the other criteria take the latest figures.
        own = Milestone.objects.filter(guarantee=guarantee, guarantee_round=current_round(guarantee))
        weeks = list(own.order_by("week").values_list("week", "score"))
        return final_record.milestone_mean_actual(config.key, weeks)
    if config.source == final_record.EVIDENCE:
        return _evidence_actual(guarantee, config)
    return _input_actual(config, inputs.get(config.key))


def _evidence_actual(guarantee: Guarantee, config: CriterionConfig) -> Actual:
    """The newest current evidence version of the method across the guarantee's weeks."""
    criterion = (
        MilestoneCriterion.objects.filter(
            milestone__guarantee=guarantee, method=config.evidence_method, latest_evidence__isnull=False
        )
        .select_related("latest_evidence", "milestone")
        .order_by("-latest_evidence__created_at", "-latest_evidence_id")
        .first()
    )
    if criterion is None:
        return Actual(config.key, None, f"No {config.evidence_method.replace('_', ' ')} evidence was recorded.")
    evidence = criterion.latest_evidence
    value = _decimal(evidence.data.get(config.evidence_field))
    source = (
        f"Week {criterion.milestone.week}, {criterion.name}: evidence version {evidence.version}"
        f" ({words(config.evidence_field).lower()})."
    )
    reference = {
        "evidence_id": evidence.pk,
        "version": evidence.version,
        "week": criterion.milestone.week,
        "criterion": criterion.key,
        "method": evidence.method,
        "field": config.evidence_field,
        "file_sha256": evidence.file_sha256,
    }
    return Actual(config.key, value, source, reference)


def _input_actual(config: CriterionConfig, row: FinalInput | None) -> Actual:
    if row is None:
        return Actual(config.key, None, "Not entered by the CSM yet.")
    reference: dict[str, Any] = {"input_id": row.pk, "entered_by": row.entered_by.email, "note": row.source_note}
    if config.source == final_record.CSM_REDUCTION:
        if row.baseline is None or row.current is None:
            return Actual(config.key, None, "Baseline or current count missing.", reference)
        value = vulnerability_reduction_percent(row.baseline, row.current)
        reference.update(baseline=str(row.baseline), current=str(row.current))
        text = f"Baseline {row.baseline}, current {row.current} (CSM: {row.source_note})."
        if row.baseline == 0:
            outcome = "still none: fully achieved" if row.current == 0 else "new ones found: not achieved"
            text = f"Baseline 0, current {row.current}, {outcome} (CSM: {row.source_note})."
        return Actual(config.key, value, text, reference)
    reference["value"] = None if row.value is None else str(row.value)
    return Actual(config.key, row.value, f"Entered by the CSM: {row.source_note}", reference)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
