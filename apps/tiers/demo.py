"""Demo proposals in every state (draft, sent, link expired, superseded, declined, accepted online and offline),
and the customers the accepted ones became, with education under way. Built through the services; safe to run
twice (a demo lead that exists by name is left alone)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.core.demo import days_ago, demo_clock
from apps.customers import services as customer_services
from apps.education import services as education_services
from apps.education.models import PlanItem
from apps.education.tasks import send_due_items
from apps.leads import services as lead_services
from apps.leads.models import Lead
from apps.tiers import conversion, proposals, services
from apps.tiers.models import Proposal, Tier

STRONG = {
    "existing_codebase": True,
    "project_documentation": "comprehensive",
    "infrastructure_plan": True,
    "requirements_clarity": "very_clear",
    "timeline_urgency": "urgent",
    "stakeholder_alignment": "excellent",
    "success_criteria_defined": True,
    "change_management_experience": True,
    "budget_status": "approved",
    "decision_authority": "full",
    "contract_timeline_weeks": 2,
    "payment_terms_acceptable": True,
    "change_readiness": "enthusiastic",
    "team_availability": "full",
    "communication_structure": "good",
    "high_priority": True,
}

# name, contact, service type, budget, team, complexity, compliance, tier, what happens to the proposal
SCENARIOS: list[tuple[str, str, str, int, int, str, list[str], str, str]] = [
    ("Northwind Traders", "Nina North", "mvp_development", 120_000, 4, "medium", [], "startup-mvp", "draft"),
    ("Oakridge Outfitters", "Owen Oak", "mvp_development", 140_000, 3, "low", [], "startup-mvp", "sent"),
    ("Pinecrest Media", "Priya Pine", "team_augmentation", 90_000, 6, "medium", [], "team-augmentation", "expired"),
    ("Quill Publishing", "Quentin Quill", "mvp_development", 110_000, 5, "medium", [], "startup-mvp", "superseded"),
    ("Riverbend Dental", "Rosa River", "mvp_development", 100_000, 2, "low", [], "startup-mvp", "declined"),
    ("Sierra Solar", "Sam Sierra", "mvp_development", 130_000, 6, "medium", [], "startup-mvp", "accepted"),
    (
        "Tundra Systems",
        "Tara Tundra",
        "legacy_modernization",
        450_000,
        12,
        "high",
        ["SOX"],
        "legacy-modernization-accelerated",
        "accepted_offline",
    ),
    ("Umbra Studios", "Uma Umbra", "team_augmentation", 150_000, 8, "high", [], "team-augmentation", "accepted"),
]


def _domain(name: str) -> str:
    return name.split()[0].lower() + ".example"


def _lead(
    ctx: Any, name: str, contact: str, service: str, budget: int, team: int, complexity: str, compliance: list[str]
) -> Lead:
    data = {
        "organization_name": name,
        "contact_name": contact,
        "contact_email": f"{contact.split()[0].lower()}@{_domain(name)}",
        "service_type": service,
        "timeline_weeks": 12,
        "complexity": complexity,
        "requirements": ["Customer sign-up", "Dashboard", "Billing", "Reporting", "Admin area", "Notifications"],
        "technology_preferences": ["Django", "PostgreSQL"],
        "compliance_requirements": compliance,
        "required_integrations": ["Stripe"],
        "budget_usd": Decimal(budget),
        "business_criticality": "medium",
        "team_size": team,
        "has_ui_requirements": True,
        "has_fallback_plan": True,
        "answers": dict(STRONG),
        "owner": ctx.csm,
    }
    lead = lead_services.create_lead(actor=ctx.csm, data=data, source=Lead.Source.DEMO)
    lead_services.score_lead(lead_id=lead.pk)
    lead = Lead.objects.with_scores().get(pk=lead.pk)
    services.refresh_recommendations(lead=lead)
    return lead


def _people(lead: Lead) -> list[dict[str, Any]]:
    domain = lead.contact_email.split("@")[1]
    return [
        {
            "name": lead.contact_name,
            "email": lead.contact_email,
            "title": "CEO",
            "role": "executive",
            "background": "business",
            "is_approver": True,
        },
        {
            "name": f"Taylor {lead.organization_name.split()[0]}",
            "email": f"taylor@{domain}",
            "title": "Head of Engineering",
            "role": "technical_lead",
            "background": "technical",
            "is_approver": True,
        },
        {
            "name": f"Pat {lead.organization_name.split()[0]}",
            "email": f"pat@{domain}",
            "title": "Product Owner",
            "role": "product_owner",
            "background": "business",
            "is_approver": False,
        },
    ]


def _proposal(ctx: Any, lead: Lead, slug: str, **changes: Any) -> Proposal:
    tier = Tier.objects.get(slug=slug)
    initial = proposals.initial_terms(lead=lead, tier=tier)
    terms = proposals.ProposalTerms(
        tier=tier,
        price=changes.get("price", initial["price"]),
        timeline_weeks=changes.get("timeline_weeks", initial["timeline_weeks"]),
        scope_notes="In scope: " + "; ".join(lead.requirements) + ". Out of scope: native mobile apps.",
        stakeholders=_people(lead),
    )
    return proposals.create_proposal(actor=ctx.csm, lead=lead, terms=terms)


def _play(ctx: Any, lead: Lead, slug: str, outcome: str) -> None:
    proposal = _proposal(ctx, lead, slug)
    if outcome == "draft":
        return
    proposals.send_proposal(actor=ctx.csm, proposal=proposal)
    proposal.refresh_from_db()
    if outcome == "expired":
        # Demo only: age the sending so the link is past its date, as it would be after a month of silence.
        past = timezone.now() - timedelta(days=45)
        Proposal.objects.filter(pk=proposal.pk).update(sent_at=past, expires_at=past + timedelta(days=30))
    elif outcome == "superseded":
        new = proposals.update_proposal(
            actor=ctx.csm,
            proposal=proposal,
            terms=proposals.ProposalTerms(
                tier=proposal.tier,
                price=proposal.price - 6_000,
                timeline_weeks=7,
                scope_notes=proposal.scope_notes + " Reporting moves to phase two.",
                stakeholders=_people(lead),
            ),
        )
        proposals.send_proposal(actor=ctx.csm, proposal=new)
    elif outcome == "declined":
        proposals.decline_proposal(
            proposal=proposal, name=lead.contact_name, comment="The board moved the budget to Q3."
        )
    elif outcome == "accepted":
        result = conversion.accept_proposal(proposal=proposal, accepted_by_name=lead.contact_name, comment="Let's go.")
        _education_under_way(ctx, result)
    elif outcome == "accepted_offline":
        when = timezone.now() - timedelta(days=1)
        result = conversion.accept_proposal(
            proposal=proposal,
            accepted_by_name=lead.contact_name,
            comment="Signed PDF received by email.",
            actor=ctx.csm,
            offline=True,
            accepted_at=when,
        )
        _education_under_way(ctx, result)


def _education_under_way(ctx: Any, result: conversion.Conversion) -> None:
    """Send what is due and let the executive finish their first item, so completion shows part-way."""
    send_due_items()
    executive = result.stakeholders[0]
    first = PlanItem.objects.filter(plan__stakeholder=executive).order_by("day", "pk").first()
    if first is not None:
        education_services.mark_item(actor=None, item=first, done=True)
    if result.customer.name == "Sierra Solar" and not executive.has_client_login:
        # One client login for the demo: the executive sees their plan in the client view.
        invite = customer_services.invite_stakeholder(actor=ctx.csm, stakeholder=executive)
        customer_services.accept_invite(invite=invite, password=ctx.password)


def seed(ctx: Any) -> None:
    existing = set(Lead.objects.filter(source=Lead.Source.DEMO).values_list("organization_name", flat=True))
    made = 0
    for index, (name, contact, service, budget, team, complexity, compliance, slug, outcome) in enumerate(SCENARIOS):
        if name in existing:
            continue
        # These leads came in over the last two months (before the expired proposal's sending, 45 days ago).
        with demo_clock(days_ago(60 - index * 6, at=time(10, 15))):
            lead = _lead(ctx, name, contact, service, budget, team, complexity, compliance)
        _play(ctx, lead, slug, outcome)
        made += 1
    ctx.logins.append(("Customer: Sierra Solar (education under way)", "sam@sierra.example"))
    ctx.log(f"Proposals: {made} demo leads taken through a proposal ({len(SCENARIOS) - made} already there)")
