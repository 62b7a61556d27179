"""DOMAIN.md section 6's defaults as a pure HealthConfig, for tests that must not touch the database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from apps.retention.scoring_types import (
    ChurnConfig,
    ComponentWeights,
    ExpansionTypeConfig,
    HealthConfig,
    StrategyConfig,
    Weighted,
)


def _c(key: str, weight: str, **parts: str) -> ComponentWeights:
    return ComponentWeights(key, D(weight), tuple(Weighted(k, D(v)) for k, v in parts.items()))


DEFAULTS = HealthConfig(
    version=1,
    components=(
        _c("satisfaction", "0.25", csat="0.4", nps="0.3", support_rating="0.2", sentiment="0.1"),
        _c("engagement", "0.20", active_days="0.3", features_used="0.3", touchpoints="0.2", survey_response_rate="0.2"),
        _c("project_success", "0.25", milestones_succeeded="0.4", signed_off_on_time="0.3", quality_score="0.3"),
        _c("business_outcomes", "0.20", roi_achieved="0.4", business_impact="0.3", goals_met="0.3"),
        _c("relationship", "0.10", stakeholders_active="0.4", sponsor_engaged="0.3", open_escalations="0.3"),
    ),
    bands=(("excellent", D(90)), ("good", D(75)), ("fair", D(60)), ("at_risk", D(40))),
    active_days_target=D(12),
    touchpoints_target=D(8),
    escalation_penalty=D(25),
    detractor_max=6,
    promoter_min=9,
    satisfaction_trigger=D(8),
    churn=ChurnConfig(
        health_multiplier=D("0.5"),
        missing_health_points=D(25),
        falling_trend_drop=D(5),
        falling_trend_points=D(15),
        open_escalation_points=D(15),
        detractor_points=D(10),
        inactive_points=D(10),
        cap=D(100),
    ),
    strategy=StrategyConfig(
        critical_health_below=D(45),
        critical_churn_at=D(80),
        recovery_health_below=D(65),
        recovery_escalations_at=2,
        improvement_health_below=D(85),
        expansion_potential_at=D(70),
        expansion_satisfaction_at=D(85),
    ),
    expansion_types=(
        ExpansionTypeConfig(
            "mvp_enhancement",
            "MVP enhancement",
            ("mvp_guarantee_succeeded", "satisfaction_at_least_8", "feature_requests_open"),
            D("0.3"),
            D("0.7"),
            2,
        ),
        ExpansionTypeConfig(
            "scaling_services",
            "Scaling services",
            ("platform_usage_70", "team_growth", "performance_bottleneck"),
            D("0.8"),
            D("0.6"),
            2,
        ),
        ExpansionTypeConfig(
            "team_augmentation",
            "Team augmentation",
            ("hiring_challenges", "backlog_growth", "skill_gaps"),
            D("1.2"),
            D("0.5"),
            2,
        ),
        ExpansionTypeConfig(
            "enterprise_upgrade",
            "Enterprise upgrade",
            ("company_growth_50", "new_compliance_needs", "enterprise_features_requested"),
            D("2.0"),
            D("0.4"),
            2,
        ),
    ),
)


def config(**changes: object) -> HealthConfig:
    return replace(DEFAULTS, **changes)
