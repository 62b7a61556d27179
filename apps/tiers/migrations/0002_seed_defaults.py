"""DOMAIN.md section 3's four tiers and the recommendation settings, as the defaults admins then edit."""

from decimal import Decimal

from django.db import migrations

D = Decimal
ANY_COMPLEXITY = ["low", "medium", "high", "very_high"]

TIERS = [
    {
        "slug": "startup-mvp",
        "name": "Startup MVP",
        "service_type": "mvp_development",
        "price_min": D(75_000),
        "price_max": D(150_000),
        "weeks_min": 4,
        "weeks_max": 8,
        "developer_agents": 3,
        "oversight": "Part-time oversight, with a shared customer success manager",
        "guarantee_threshold": D(80),
        "refund_cap": D(150_000),
        "budget_min": D(50_000),
        "budget_max": D(200_000),
        "team_min": 1,
        "team_max": 10,
        "complexities": ["low", "medium"],
        "compliance_rule": "none_required",
        "value_proposition": (
            "A working MVP in four to eight weeks from a team of three developer agents, so you can put your "
            "product in front of users and investors quickly. You keep the source code and documentation, and "
            "the 30-day success guarantee means you only pay for a result that meets the agreed criteria."
        ),
        "position": 1,
    },
    {
        "slug": "enterprise-mvp",
        "name": "Enterprise MVP",
        "service_type": "mvp_development",
        "price_min": D(200_000),
        "price_max": D(500_000),
        "weeks_min": 6,
        "weeks_max": 12,
        "developer_agents": 5,
        "oversight": "Full-time oversight, a dedicated customer success manager and an enterprise architect",
        "guarantee_threshold": D(85),
        "refund_cap": D(500_000),
        "budget_min": D(150_000),
        "budget_max": D(1_000_000),
        "team_min": 10,
        "team_max": 100,
        "complexities": ["medium", "high", "very_high"],
        "compliance_rule": "at_least_one",
        "value_proposition": (
            "An MVP built to enterprise standards in six to twelve weeks: five developer agents, an enterprise "
            "architect and a dedicated customer success manager who work within your compliance regime and "
            "alongside your own teams. Backed by the 30-day success guarantee."
        ),
        "position": 2,
    },
    {
        "slug": "legacy-modernization-accelerated",
        "name": "Legacy Modernization Accelerated",
        "service_type": "legacy_modernization",
        "price_min": D(300_000),
        "price_max": D(750_000),
        "weeks_min": 8,
        "weeks_max": 16,
        "developer_agents": 6,
        "oversight": "Full-time oversight, with a legacy systems specialist and a security expert",
        "guarantee_threshold": D(85),
        "refund_cap": D(750_000),
        "budget_min": D(250_000),
        "budget_max": None,
        "team_min": 1,
        "team_max": None,
        "complexities": ["medium", "high", "very_high"],
        "compliance_rule": "always",
        "value_proposition": (
            "Move a legacy system to a modern platform in eight to sixteen weeks without stopping the business: "
            "six developer agents migrate it module by module with parity tests, while a legacy specialist and a "
            "security expert guard behaviour, performance and security. Backed by the 30-day success guarantee."
        ),
        "position": 3,
    },
    {
        "slug": "team-augmentation",
        "name": "Team Augmentation",
        "service_type": "team_augmentation",
        "price_min": D(40_000),
        "price_max": D(200_000),
        "weeks_min": 4,
        "weeks_max": 26,
        "developer_agents": 2,
        "oversight": "Part-time oversight",
        "guarantee_threshold": D(80),
        "refund_cap": D(100_000),
        "budget_min": D(40_000),
        "budget_max": D(200_000),
        "team_min": 1,
        "team_max": None,
        "complexities": ANY_COMPLEXITY,
        "compliance_rule": "always",
        "value_proposition": (
            "Two developer agents join your team's workflow, tools and code review for four to twenty-six weeks, "
            "raising your velocity without the time and cost of hiring. Backed by the 30-day success guarantee."
        ),
        "position": 4,
    },
]

SETTINGS = {
    "weight_service_type": D("0.30"),
    "weight_budget": D("0.25"),
    "weight_team": D("0.15"),
    "weight_complexity": D("0.15"),
    "weight_compliance": D("0.15"),
    "recommend_cut": D("0.60"),
    "alternative_cut": D("0.70"),
    "position_low": D("0.2"),
    "position_medium": D("0.45"),
    "position_high": D("0.7"),
    "position_very_high": D("0.9"),
    "requirement_threshold": 10,
    "share_per_requirement": D("0.02"),
    "share_per_integration": D("0.03"),
    "price_rounding_step": D(1000),
    "proposal_link_days": 30,
}


def seed(apps, schema_editor):
    Tier = apps.get_model("tiers", "Tier")
    TierSettings = apps.get_model("tiers", "TierSettings")
    TierSettings.objects.update_or_create(pk=1, defaults=SETTINGS)
    for tier in TIERS:
        Tier.objects.update_or_create(slug=tier["slug"], defaults={k: v for k, v in tier.items() if k != "slug"})


class Migration(migrations.Migration):
    dependencies = [("tiers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
