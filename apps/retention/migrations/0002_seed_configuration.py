"""DOMAIN.md section 6's defaults: health weights, bands, churn and strategy thresholds, survey timing, expansion."""

from decimal import Decimal as D

from django.db import migrations

COMPONENTS = {
    "satisfaction": ("0.25", {"csat": "0.4", "nps": "0.3", "support_rating": "0.2", "sentiment": "0.1"}),
    "engagement": (
        "0.20",
        {"active_days": "0.3", "features_used": "0.3", "touchpoints": "0.2", "survey_response_rate": "0.2"},
    ),
    "project_success": ("0.25", {"milestones_succeeded": "0.4", "signed_off_on_time": "0.3", "quality_score": "0.3"}),
    "business_outcomes": ("0.20", {"roi_achieved": "0.4", "business_impact": "0.3", "goals_met": "0.3"}),
    "relationship": ("0.10", {"stakeholders_active": "0.4", "sponsor_engaged": "0.3", "open_escalations": "0.3"}),
}
SETTINGS = {
    "excellent_from": "90",
    "good_from": "75",
    "fair_from": "60",
    "at_risk_from": "40",
    "active_days_target": "12",
    "touchpoints_target": "8",
    "escalation_penalty": "25",
    "satisfaction_trigger": "8",
    "churn_health_multiplier": "0.5",
    "churn_missing_health_points": "25",
    "churn_falling_trend_drop": "5",
    "churn_falling_trend_points": "15",
    "churn_open_escalation_points": "15",
    "churn_detractor_points": "10",
    "churn_inactive_points": "10",
    "churn_cap": "100",
    "critical_health_below": "45",
    "critical_churn_at": "80",
    "recovery_health_below": "65",
    "improvement_health_below": "85",
    "expansion_potential_at": "70",
    "expansion_satisfaction_at": "85",
}
EXPANSION = [
    (
        "mvp_enhancement",
        "MVP enhancement",
        ["mvp_guarantee_succeeded", "satisfaction_at_least_8", "feature_requests_open"],
        "0.3",
        "0.7",
    ),
    (
        "scaling_services",
        "Scaling services",
        ["platform_usage_70", "team_growth", "performance_bottleneck"],
        "0.8",
        "0.6",
    ),
    ("team_augmentation", "Team augmentation", ["hiring_challenges", "backlog_growth", "skill_gaps"], "1.2", "0.5"),
    (
        "enterprise_upgrade",
        "Enterprise upgrade",
        ["company_growth_50", "new_compliance_needs", "enterprise_features_requested"],
        "2.0",
        "0.4",
    ),
]


def seed(apps, schema_editor):
    HealthSettings = apps.get_model("retention", "HealthSettings")
    HealthWeight = apps.get_model("retention", "HealthWeight")
    ExpansionType = apps.get_model("retention", "ExpansionType")
    if HealthSettings.objects.exists():
        return
    settings = HealthSettings.objects.create(
        version=1,
        detractor_max=6,
        promoter_min=9,
        recovery_escalations_at=2,
        survey_interval_days=90,
        survey_link_days=30,
        follow_up_working_days=2,
        **{k: D(v) for k, v in SETTINGS.items()},
    )
    for component, (weight, parts) in COMPONENTS.items():
        HealthWeight.objects.create(settings=settings, component=component, part="", weight=D(weight))
        for part, part_weight in parts.items():
            HealthWeight.objects.create(settings=settings, component=component, part=part, weight=D(part_weight))
    for position, (key, label, triggers, multiplier, probability) in enumerate(EXPANSION):
        ExpansionType.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "triggers": triggers,
                "multiplier": D(multiplier),
                "base_probability": D(probability),
                "qualified_at": 2,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
