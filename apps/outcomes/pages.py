"""Reads for the outcome pages; the staff portal and the client view share them."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from apps.guarantees.models import Guarantee, MilestoneCriterion, SignOff
from apps.outcomes import claims, final_record, selectors
from apps.outcomes.models import (
    Claim,
    FinalCriterionConfig,
    FinalInput,
    FinalValidation,
    MigrationTask,
    SuccessDocument,
)


def guarantee_claims(guarantee: Guarantee) -> list[Claim]:
    return list(
        Claim.objects.filter(guarantee=guarantee)
        .select_related("opened_by", "decided_by", "payout")
        .prefetch_related(Prefetch("tasks", queryset=MigrationTask.objects.order_by("position")))
        .order_by("-opened_at", "-id")
    )


def outcome_page(guarantee: Guarantee, user: Any, *, preview: bool) -> dict[str, Any]:
    """The guarantee's end: each decided round, its claims, its success document, and (for staff) a live preview."""
    validations = list(FinalValidation.objects.filter(guarantee=guarantee).order_by("-round"))
    context: dict[str, Any] = {
        "guarantee": guarantee,
        "project": guarantee.project,
        "customer": guarantee.project.customer,
        "validations": validations,
        "claims": guarantee_claims(guarantee),
        "document": SuccessDocument.objects.filter(guarantee=guarantee).first(),
        "claimable": claims.claimable_validation(guarantee),
        "can_open_claim": claims.can_open_claim(user, guarantee),
    }
    if preview and not guarantee.is_final:
        context["preview"] = _preview(guarantee)
    return context


def _preview(guarantee: Guarantee) -> dict[str, Any]:
    """What final validation would decide with today's data (nothing stored)."""
    configs = selectors.criterion_configs(guarantee.service_type)
    if not configs:
        return {"error": "No final-validation criteria are configured for this service type."}
    actuals = selectors.gather_actuals(guarantee, configs)
    result = final_record.evaluate(configs, actuals, guarantee.threshold, selectors.outcome_settings())
    return {
        "score": result.score,
        "outcome": result.outcome.value,
        "criteria": final_record.criteria_parts(configs, actuals, result),
        "missing": final_record.missing_inputs(configs, actuals),
    }


def input_rows(guarantee: Guarantee) -> list[tuple[FinalCriterionConfig, FinalInput | None]]:
    configs = [c for c in FinalCriterionConfig.objects.filter(service_type=guarantee.service_type) if c.entered_by_csm]
    inputs = {i.key: i for i in FinalInput.objects.filter(guarantee=guarantee).select_related("entered_by")}
    return [(c, inputs.get(c.key)) for c in configs]


def success_page(document: SuccessDocument) -> dict[str, Any]:
    """Summary, achievements with their margin, the evidence the result stands on, testimonials, business impact."""
    guarantee = document.guarantee
    evidence = (
        MilestoneCriterion.objects.filter(milestone__guarantee=guarantee, latest_evidence__isnull=False)
        .select_related("latest_evidence", "milestone")
        .order_by("milestone__week", "position")
    )
    testimonials = (
        SignOff.objects.filter(milestone__guarantee=guarantee, decision=SignOff.Decision.APPROVED)
        .exclude(reason="")
        .select_related("stakeholder", "milestone")
        .order_by("milestone__week", "decided_at")
    )
    return {
        "document": document,
        "guarantee": guarantee,
        "project": guarantee.project,
        "customer": guarantee.project.customer,
        "validation": document.validation,
        "evidence": list(evidence),
        "testimonials": list(testimonials),
    }


def case_studies() -> QuerySet[SuccessDocument]:
    return (
        SuccessDocument.objects.filter(case_study_candidate=True)
        .select_related("guarantee__project__customer__owner", "validation")
        .order_by("-created_at", "-id")
    )


def claim_list(user: Any, *, status: str = "", remedy: str = "") -> QuerySet[Claim]:
    queryset = Claim.objects.visible_to(user).select_related("payout").order_by("-opened_at", "-id")
    if status:
        queryset = queryset.filter(status=status)
    if remedy:
        queryset = queryset.filter(remedy=remedy)
    return queryset


def recent_outcomes(limit: int = 10) -> list[FinalValidation]:
    return list(
        FinalValidation.objects.select_related("guarantee__project__customer").order_by("-computed_at", "-id")[:limit]
    )


def ending_soon(limit: int = 10) -> list[Guarantee]:
    """Running guarantees, the nearest end first: where the CSM checks the preview and enters final figures."""
    running = (Guarantee.Status.ACTIVE, Guarantee.Status.AT_RISK, Guarantee.Status.FAILED_WEEK)
    return list(
        Guarantee.objects.filter(status__in=running)
        .select_related("project__customer")
        .order_by("ends_on", "id")[:limit]
    )
