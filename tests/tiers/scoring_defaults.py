"""DOMAIN.md section 3's default tiers and recommendation settings, as the pure rules receive them.

The portal reads these from admin-edited models seeded by a data migration; the tests pin the rules against
the same defaults so a worked example in DOMAIN.md can be checked by hand.
"""

from __future__ import annotations

from decimal import Decimal

from apps.tiers.scoring import (
    COMPLIANCE_ALWAYS,
    COMPLIANCE_AT_LEAST_ONE,
    COMPLIANCE_NONE_REQUIRED,
    RecommendationConfig,
    TierSpec,
)

MVP = "mvp_development"
LEGACY = "legacy_modernization"
AUGMENTATION = "team_augmentation"

ALL_COMPLEXITIES = ("low", "medium", "high", "very_high")

DEFAULT_CONFIG = RecommendationConfig(
    weight_service_type=Decimal("0.30"),
    weight_budget=Decimal("0.25"),
    weight_team=Decimal("0.15"),
    weight_complexity=Decimal("0.15"),
    weight_compliance=Decimal("0.15"),
    recommend_cut=Decimal("0.60"),
    alternative_cut=Decimal("0.70"),
    complexity_positions={
        "low": Decimal("0.2"),
        "medium": Decimal("0.45"),
        "high": Decimal("0.7"),
        "very_high": Decimal("0.9"),
    },
    requirement_threshold=10,
    share_per_requirement=Decimal("0.02"),
    share_per_integration=Decimal("0.03"),
    price_rounding_step=Decimal(1000),
)

STARTUP_MVP = TierSpec(
    slug="startup-mvp",
    name="Startup MVP",
    service_type=MVP,
    price_min=Decimal(75_000),
    price_max=Decimal(150_000),
    weeks_min=4,
    weeks_max=8,
    developer_agents=3,
    guarantee_threshold=Decimal(80),
    refund_cap=Decimal(150_000),
    budget_min=Decimal(50_000),
    budget_max=Decimal(200_000),
    team_min=1,
    team_max=10,
    complexities=("low", "medium"),
    compliance_rule=COMPLIANCE_NONE_REQUIRED,
)

ENTERPRISE_MVP = TierSpec(
    slug="enterprise-mvp",
    name="Enterprise MVP",
    service_type=MVP,
    price_min=Decimal(200_000),
    price_max=Decimal(500_000),
    weeks_min=6,
    weeks_max=12,
    developer_agents=5,
    guarantee_threshold=Decimal(85),
    refund_cap=Decimal(500_000),
    budget_min=Decimal(150_000),
    budget_max=Decimal(1_000_000),
    team_min=10,
    team_max=100,
    complexities=("medium", "high", "very_high"),
    compliance_rule=COMPLIANCE_AT_LEAST_ONE,
)

LEGACY_MODERNIZATION = TierSpec(
    slug="legacy-modernization-accelerated",
    name="Legacy Modernization Accelerated",
    service_type=LEGACY,
    price_min=Decimal(300_000),
    price_max=Decimal(750_000),
    weeks_min=8,
    weeks_max=16,
    developer_agents=6,
    guarantee_threshold=Decimal(85),
    refund_cap=Decimal(750_000),
    budget_min=Decimal(250_000),
    budget_max=None,
    team_min=1,
    team_max=None,
    complexities=("medium", "high", "very_high"),
    compliance_rule=COMPLIANCE_ALWAYS,
)

TEAM_AUGMENTATION = TierSpec(
    slug="team-augmentation",
    name="Team Augmentation",
    service_type=AUGMENTATION,
    price_min=Decimal(40_000),
    price_max=Decimal(200_000),
    weeks_min=4,
    weeks_max=26,
    developer_agents=2,
    guarantee_threshold=Decimal(80),
    refund_cap=Decimal(100_000),
    budget_min=Decimal(40_000),
    budget_max=Decimal(200_000),
    team_min=1,
    team_max=None,
    complexities=ALL_COMPLEXITIES,  # "any": every complexity the portal knows
    compliance_rule=COMPLIANCE_ALWAYS,
)

DEFAULT_TIERS = (STARTUP_MVP, ENTERPRISE_MVP, LEGACY_MODERNIZATION, TEAM_AUGMENTATION)
