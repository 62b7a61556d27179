"""Scored leads, proposals and accepted proposals for the tiers tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.leads import services as lead_services
from apps.leads.models import Lead
from apps.tiers import proposals, services
from apps.tiers.models import Proposal, Tier
from tests.leads.factories import LeadFactory


def scored_lead(**overrides: Any) -> Lead:
    """A lead scored with the seeded configuration and its tier recommendation stored (as the task would)."""
    lead = LeadFactory(**overrides)
    lead_services.score_lead(lead_id=lead.pk)
    lead = Lead.objects.with_scores().get(pk=lead.pk)
    services.refresh_recommendations(lead=lead)
    return lead


def contact(lead: Lead, **overrides: Any) -> dict[str, Any]:
    person = {
        "name": lead.contact_name,
        "email": lead.contact_email,
        "title": "CEO",
        "role": "executive",
        "background": "business",
        "is_approver": True,
    }
    return person | overrides


def terms(lead: Lead, tier_slug: str = "startup-mvp", **overrides: Any) -> proposals.ProposalTerms:
    tier = Tier.objects.get(slug=tier_slug)
    initial = proposals.initial_terms(lead=lead, tier=tier)
    values: dict[str, Any] = {
        "tier": tier,
        "price": initial["price"],
        "timeline_weeks": initial["timeline_weeks"],
        "scope_notes": "Sign-up, dashboard and billing.",
        "stakeholders": [contact(lead)],
    }
    return proposals.ProposalTerms(**(values | overrides))


def draft_proposal(actor: Any, lead: Lead | None = None, **overrides: Any) -> Proposal:
    lead = lead or scored_lead(owner=actor)
    return proposals.create_proposal(actor=actor, lead=lead, terms=terms(lead, **overrides))


def sent_proposal(actor: Any, lead: Lead | None = None, **overrides: Any) -> tuple[Proposal, str]:
    proposal = draft_proposal(actor, lead, **overrides)
    link = proposals.send_proposal(actor=actor, proposal=proposal)
    proposal.refresh_from_db()
    return proposal, link


D = Decimal
