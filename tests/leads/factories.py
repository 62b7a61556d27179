"""Leads for tests: a realistic qualified MVP lead by default, with traits for the interesting states."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from apps.leads.models import Lead
from tests.customers.factories import UserFactory

# Every answer at its best: with a team of 3+ this lead scores 100.
STRONG_ANSWERS = {
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
}


class LeadFactory(DjangoModelFactory[Lead]):
    """Saved directly (no scoring task); use `apps.leads.services.create_lead` when the task should run."""

    class Meta:
        model = Lead

    organization_name = factory.Sequence(lambda n: f"Prospect {n}")
    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"contact{n}@prospect.example")
    service_type = "mvp_development"
    timeline_weeks = 12
    complexity = "medium"
    requirements = factory.LazyFunction(lambda: ["Sign-up", "Dashboard", "Billing"])
    technology_preferences = factory.LazyFunction(lambda: ["Django", "PostgreSQL"])
    compliance_requirements = factory.LazyFunction(list)
    required_integrations = factory.LazyFunction(lambda: ["Stripe"])
    budget_usd = Decimal("120000")
    business_criticality = "medium"
    team_size = 4
    has_ui_requirements = True
    has_fallback_plan = True
    answers = factory.LazyFunction(lambda: dict(STRONG_ANSWERS))
    owner = factory.SubFactory(UserFactory)

    class Params:
        weak = factory.Trait(
            answers=factory.LazyFunction(lambda: {"requirements_clarity": "vague", "stakeholder_alignment": "poor"}),
            team_size=0,
            budget_usd=Decimal("10000"),
        )


def lead_input(**overrides: object) -> dict[str, object]:
    """The data a form or the API hands to `create_lead` (owner excluded)."""
    data: dict[str, object] = {
        "organization_name": "Northwind Traders",
        "contact_name": "Nina North",
        "contact_email": "nina@northwind.example",
        "contact_phone": "",
        "service_type": "mvp_development",
        "timeline_weeks": 12,
        "complexity": "medium",
        "requirements": ["Sign-up", "Dashboard", "Billing"],
        "technology_preferences": ["Django"],
        "compliance_requirements": [],
        "required_integrations": ["Stripe"],
        "budget_usd": Decimal("120000"),
        "business_criticality": "medium",
        "team_size": 4,
        "has_ui_requirements": True,
        "has_fallback_plan": True,
        "answers": dict(STRONG_ANSWERS),
    }
    data.update(overrides)
    return data
