"""Demo leads: about forty prospects across every qualification and feasibility level, fit and disqualifier,
some stopped, some overridden, a few moved on to proposal, won or lost. Built through the services; safe to run
twice (a demo lead that exists by name is left alone)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from apps.core.demo import HISTORY_DAYS, days_ago, demo_clock
from apps.leads import services
from apps.leads.models import Lead

# Readiness answer profiles, strongest first.
ANSWERS: dict[str, dict[str, Any]] = {
    "strong": {
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
        "communication_structure": "excellent",
        "high_priority": True,
    },
    "good": {
        "existing_codebase": True,
        "project_documentation": "partial",
        "requirements_clarity": "mostly_clear",
        "timeline_urgency": "moderate",
        "stakeholder_alignment": "good",
        "success_criteria_defined": True,
        "budget_status": "approved",
        "decision_authority": "partial",
        "contract_timeline_weeks": 4,
        "payment_terms_acceptable": True,
        "change_readiness": "open",
        "team_availability": "partial",
        "communication_structure": "good",
    },
    "moderate": {
        "project_documentation": "partial",
        "requirements_clarity": "somewhat_clear",
        "timeline_urgency": "moderate",
        "stakeholder_alignment": "fair",
        "budget_status": "preliminary",
        "decision_authority": "partial",
        "contract_timeline_weeks": 8,
        "change_readiness": "cautious",
        "team_availability": "partial",
        "communication_structure": "fair",
    },
    "weak": {
        "requirements_clarity": "vague",
        "timeline_urgency": "flexible",
        "stakeholder_alignment": "poor",
        "budget_status": "undefined",
        "decision_authority": "none",
        "change_readiness": "resistant",
        "team_availability": "limited",
        "communication_structure": "poor",
    },
}

# Project profiles, easiest first: (complexity, weeks, requirements, budget, team, integrations, compliance, techs)
PROJECTS: dict[str, tuple[str, int, int, int, int, int, tuple[str, ...], tuple[str, ...]]] = {
    "easy": ("low", 12, 6, 200_000, 5, 1, (), ("Django", "PostgreSQL")),
    "medium": ("medium", 8, 10, 110_000, 2, 2, ("GDPR",), ("React", "Node.js")),
    "hard": ("high", 10, 16, 60_000, 2, 4, ("HIPAA", "SOC 2"), ("Kotlin", "alpha-graph-db")),
    "extreme": ("very_high", 6, 24, 30_000, 1, 6, ("PCI DSS", "SOX"), ("experimental-llm-runtime",)),
}

SERVICES = ["mvp_development", "legacy_modernization", "team_augmentation"]
NAMES = [
    "Aurora Analytics",
    "Birchwood Bank",
    "Cobalt Clinics",
    "Delta Freight",
    "Evergreen Energy",
    "Falcon Retail",
    "Granite Insurance",
    "Harbor Health",
    "Ion Robotics",
    "Juniper Schools",
    "Kestrel Airlines",
    "Lumen Media",
    "Maple Pharmacy",
    "Nimbus Cloudworks",
    "Orchid Hotels",
    "Pioneer Farms",
    "Quartz Payments",
    "Redwood Legal",
    "Summit Sports",
    "Tidal Water",
    "Umber Textiles",
    "Vertex Motors",
    "Willow Care",
    "Xenon Labs",
    "Yarrow Foods",
    "Zephyr Travel",
    "Atlas Logistics",
    "Beacon Security",
    "Cedar Housing",
    "Dune Mining",
    "Ember Games",
    "Fjord Shipping",
    "Glacier Storage",
    "Helix Genomics",
    "Indigo Fashion",
    "Jade Telecom",
    "Krypton Chemicals",
    "Lotus Wellness",
    "Meridian Maps",
    "Nova Satellites",
]
# Extra twists that trigger particular disqualifiers.
TWISTS: dict[int, dict[str, Any]] = {
    3: {"team_size": 0},  # no_existing_team / no_technical_team
    7: {"business_criticality": "critical", "has_fallback_plan": False},
    11: {"complexity": "high", "timeline_weeks": 5},  # unrealistic_timeline
    15: {"team_size": 0, "service_type": "team_augmentation"},
    19: {"complexity": "very_high", "timeline_weeks": 8},
    23: {"business_criticality": "critical", "has_fallback_plan": False, "service_type": "legacy_modernization"},
}
OVERRIDE_REASON = "Their CTO joined the call and committed a dedicated team; we accept the risk."


def _spec(index: int) -> dict[str, Any]:
    answers = list(ANSWERS)[index % 4]
    project = list(PROJECTS)[(index // 4 + index) % 4]
    complexity, weeks, requirements, budget, team, integrations, compliance, techs = PROJECTS[project]
    name = NAMES[index]
    data = {
        "organization_name": name,
        "contact_name": f"{['Ana', 'Ben', 'Chloe', 'Dev', 'Eli'][index % 5]} {name.split()[0]}",
        "contact_email": f"contact@{name.split()[0].lower()}.example",
        "contact_phone": f"+1 555 01{index:02d}",
        "service_type": SERVICES[index % 3],
        "timeline_weeks": weeks,
        "complexity": complexity,
        "requirements": [f"Requirement {n + 1} of {name}" for n in range(requirements)],
        "technology_preferences": list(techs),
        "compliance_requirements": list(compliance),
        "required_integrations": [f"System {chr(65 + n)}" for n in range(integrations)],
        "budget_usd": Decimal(budget),
        "business_criticality": ["low", "medium", "high"][index % 3],
        "team_size": team,
        "has_ui_requirements": index % 2 == 0,
        "has_fallback_plan": True,
        "answers": dict(ANSWERS[answers]),
    }
    data.update(TWISTS.get(index, {}))
    return data


def _seed_lead(ctx: Any, index: int) -> Lead:
    owner = None if index % 10 == 9 else ctx.csm
    lead = services.create_lead(actor=ctx.csm, data={**_spec(index), "owner": owner}, source=Lead.Source.DEMO)
    # Score now rather than waiting for a worker, so the stops below can be overridden.
    services.score_lead(lead_id=lead.pk)
    lead.refresh_from_db()
    if lead.is_stopped and index % 3 == 0:
        services.override_stop(actor=ctx.csm, lead=lead, reason=OVERRIDE_REASON)
    if not lead.is_stopped and index in (0, 4, 8, 12):
        services.change_lead_status(actor=ctx.csm, lead=lead, status=Lead.Status.PROPOSAL)
        if index in (0, 8):
            services.change_lead_status(actor=ctx.csm, lead=lead, status=Lead.Status.WON)
    if index in (2, 6):
        services.change_lead_status(actor=ctx.csm, lead=lead, status=Lead.Status.LOST, lost_reason="Chose to wait")
    return lead


_ARRIVAL_TIMES = [time(9, 12), time(11, 40), time(14, 5), time(16, 30)]


def _arrived_days_ago(index: int) -> int:
    """Spread over HISTORY_DAYS, oldest first, a few days apart (the newest came in yesterday)."""
    return max(1, HISTORY_DAYS - 2 - index * (HISTORY_DAYS - 3) // (len(NAMES) - 1))


def seed(ctx: Any) -> None:
    existing = set(Lead.objects.filter(source=Lead.Source.DEMO).values_list("organization_name", flat=True))
    created = []
    for index, name in enumerate(NAMES):
        if name not in existing:
            # Leads arrive over the last four months, oldest first; each is scored and moved on the day it came.
            with demo_clock(days_ago(_arrived_days_ago(index), at=_ARRIVAL_TIMES[index % 4])):
                created.append(_seed_lead(ctx, index))
    ctx.log(f"Leads: {len(created)} demo leads added ({len(existing)} already there)")
