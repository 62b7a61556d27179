"""Reads of the tiers app: the configuration as the pure rules take it, and the profile of a lead."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.tiers.models import Proposal, Recommendation, Tier, TierSettings
from apps.tiers.scoring import LeadProfile, RecommendationConfig, TierSpec


def active_tiers() -> list[Tier]:
    return list(Tier.objects.filter(retired=False))


def rules_config() -> tuple[RecommendationConfig, int]:
    """The recommendation settings as the rules take them, with their version."""
    settings = TierSettings.current()
    return settings.to_config(), settings.version


def lead_profile(lead: Any) -> LeadProfile | None:
    """What the tier rules need from a lead, or None while its scoring (feasibility estimate) is pending."""
    weeks = lead.estimated_weeks
    if weeks is None:
        return None
    return LeadProfile(
        service_type=lead.service_type,
        budget_usd=None if lead.budget_usd is None else Decimal(lead.budget_usd),
        team_size=lead.team_size,
        complexity=lead.complexity,
        compliance_regimes=tuple(lead.compliance_requirements or ()),
        requirements_count=len(lead.requirements or ()),
        integrations_count=len(lead.required_integrations or ()),
        estimated_weeks=Decimal(weeks),
        blocked_service_types=frozenset(lead.blocked_service_types),
    )


def tier_spec_snapshot(spec: TierSpec) -> dict[str, Any]:
    """The tier numbers a result used, kept beside it so a later tier edit does not rewrite its explanation."""
    keys = ("price_min", "price_max", "weeks_min", "weeks_max", "developer_agents", "guarantee_threshold")
    keys += ("refund_cap", "budget_min", "budget_max", "team_min", "team_max", "complexities", "compliance_rule")
    return {key: getattr(spec, key) for key in keys}


def recommendation_for(lead: Any) -> Recommendation | None:
    return Recommendation.objects.filter(lead=lead).first()


def proposals_for(lead: Any) -> list[Proposal]:
    return list(Proposal.objects.filter(lead=lead).select_related("tier", "created_by").order_by("-version"))


def proposal_list(*, user: Any, status: str = "") -> Any:
    """Proposals for the staff list, newest first; "expired" means sent with a link past its date."""
    rows = Proposal.objects.visible_to(user).select_related("lead", "tier", "created_by")
    now = timezone.now()
    if status == "expired":
        rows = rows.filter(status=Proposal.Status.SENT, expires_at__lte=now)
    elif status == Proposal.Status.SENT:
        rows = rows.filter(status=status, expires_at__gt=now)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("-updated_at", "-pk")


def project_for(proposal: Proposal) -> Any:
    """The project an accepted proposal became (read from the projects app, which depends on this one)."""
    if proposal.status != Proposal.Status.ACCEPTED:
        return None
    from apps.projects.models import Project

    return Project.objects.filter(source_proposal_id=proposal.pk).select_related("customer").first()


def lead_panel(lead: Any) -> dict[str, Any]:
    """What the lead page's recommendation panel shows: the stored recommendation and the lead's proposals."""
    recommendation = Recommendation.objects.filter(lead_id=lead.pk).first()
    versions = proposals_for(lead)
    open_proposal = next((p for p in versions if p.is_open), None)
    return {"recommendation": recommendation, "proposals": versions, "open_proposal": open_proposal}
