from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.projects.models import Project
from apps.projects.services import create_project
from apps.tiers.models import Tier

TIER_FOR = {
    "mvp_development": "startup-mvp",
    "legacy_modernization": "legacy-modernization-accelerated",
    "team_augmentation": "team-augmentation",
}


def make_project(*, customer: Any, actor: Any = None, **overrides: Any) -> Project:
    """A project in "kickoff pending", as the proposal engineer's acceptance creates it (seeded tiers)."""
    service_type = overrides.pop("service_type", "mvp_development")
    tier = overrides.pop("tier", None) or Tier.objects.get(slug=TIER_FOR[service_type])
    values: dict[str, Any] = {
        "name": f"{customer.name} platform",
        "service_type": service_type,
        "tier": tier,
        "price": Decimal("120000"),
        "timeline_weeks": 6,
        "guarantee_amount": Decimal("120000"),
        "guarantee_threshold": tier.guarantee_threshold,
        "has_ui_requirements": True,
        "has_compliance_requirements": False,
        "accepted_at": timezone.now(),
    }
    values.update(overrides)
    return create_project(actor=actor or customer.owner, customer=customer, **values)
