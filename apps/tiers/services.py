"""Writes of the tiers app: configuration versions and stored recommendations."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.tiers import selectors
from apps.tiers.models import Recommendation, TierSettings, json_ready
from apps.tiers.scoring import TierEvaluation, evaluate_all, guarantee_amount


@transaction.atomic
def record_config_change(*, actor: Any, obj: models.Model, fields: list[str]) -> int:
    """Move the settings version on after an admin changed a tier or the settings; returns the new version."""
    TierSettings.objects.filter(pk=1).update(version=F("version") + 1)
    version = TierSettings.objects.values_list("version", flat=True).get(pk=1)
    record_event(action="tiers.config_changed", obj=obj, actor=actor, data={"fields": fields, "version": version})
    # Leads still deciding get recommendations under the new settings; won and lost leads keep what they had.
    transaction.on_commit(lambda: async_task("apps.tiers.tasks.refresh_open_leads"))
    return version


def evaluation_to_json(evaluation: TierEvaluation, tier_id: int) -> dict[str, Any]:
    """One tier's evaluation as stored: every part, the reasons in words, and the tier numbers it used."""
    return json_ready(
        {
            "tier": evaluation.tier.slug,
            "tier_id": tier_id,
            "name": evaluation.tier.name,
            "service_type": evaluation.tier.service_type,
            "compatibility": evaluation.compatibility,
            "criteria": [
                {"key": c.key, "label": c.label, "met": c.met, "weight": c.weight, "points": c.points, "text": c.reason}
                for c in evaluation.criteria
            ],
            "price": evaluation.price,
            "breakdown": [{"label": line.label, "amount": line.amount} for line in evaluation.breakdown],
            "guarantee_amount": guarantee_amount(evaluation.price, evaluation.tier),
            "timeline_weeks": evaluation.timeline_weeks,
            "timeline_reason": evaluation.timeline_reason,
            "verdict": evaluation.verdict,
            "verdict_reason": evaluation.verdict_reason,
            "recommended": evaluation.recommended,
            "alternative": evaluation.alternative,
            "blocked": evaluation.blocked,
            "reasoning": list(evaluation.reasoning),
            "summary": evaluation.summary,
            "spec": selectors.tier_spec_snapshot(evaluation.tier),
        }
    )


def compute_results(lead: Any) -> tuple[dict[str, Any], list[dict[str, Any]], int] | None:
    """(inputs, results best first, settings version) for a lead, or None while its scoring is pending."""
    profile = selectors.lead_profile(lead)
    if profile is None:
        return None
    config, version = selectors.rules_config()
    tiers = {tier.slug: tier for tier in selectors.active_tiers()}
    evaluations = evaluate_all(profile, [tier.to_spec() for tier in tiers.values()], config)
    inputs = json_ready({**profile.__dict__, "blocked_service_types": sorted(profile.blocked_service_types)})
    return inputs, [evaluation_to_json(e, tiers[e.tier.slug].pk) for e in evaluations], version


@transaction.atomic
def refresh_recommendations(*, lead: Any) -> bool:
    """Store the lead's tier recommendation for its current score. Returns True when the stored one changed.

    A lead whose scoring is pending loses its old recommendation rather than keep one for other inputs.
    Running it twice with nothing changed writes nothing.
    """
    computed = compute_results(lead)
    existing = Recommendation.objects.select_for_update().filter(lead=lead).first()
    if computed is None:
        if existing is not None:
            existing.delete()
        return existing is not None
    inputs, results, version = computed
    lead_version = lead.config_version_number
    stored = (inputs, results, version, lead_version)
    if (
        existing
        and (existing.inputs, existing.results, existing.config_version, existing.lead_config_version) == stored
    ):
        return False
    Recommendation.objects.update_or_create(
        lead=lead,
        defaults={
            "inputs": inputs,
            "results": results,
            "config_version": version,
            "lead_config_version": lead_version,
            "computed_at": timezone.now(),
        },
    )
    return True


def refresh_recommendations_for(*, lead_id: int) -> bool:
    from apps.leads.models import Lead

    lead = Lead.objects.filter(pk=lead_id).select_related("latest_score__config_version").first()
    return False if lead is None else refresh_recommendations(lead=lead)


def open_lead_ids() -> list[int]:
    """Leads whose recommendation still matters: not yet won or lost."""
    from apps.leads.models import Lead

    return list(Lead.objects.exclude(status__in=[Lead.Status.WON, Lead.Status.LOST]).values_list("pk", flat=True))
