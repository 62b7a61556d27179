"""Build the frozen `HealthConfig` the pure rules take from the admin-edited rows (three queries)."""

from __future__ import annotations

from decimal import Decimal

from apps.retention.models import ExpansionType, HealthSettings
from apps.retention.registry import COMPONENT_KEYS, PART_KEYS
from apps.retention.scoring_types import (
    ChurnConfig,
    ComponentWeights,
    ExpansionTypeConfig,
    HealthConfig,
    StrategyConfig,
    Weighted,
)


def current_settings() -> HealthSettings:
    return HealthSettings.objects.order_by("pk").first() or _missing()


def _missing() -> HealthSettings:
    raise HealthSettings.DoesNotExist("Health settings are missing: run the migrations (they seed the defaults).")


def load_config() -> HealthConfig:
    s = current_settings()
    weights = {(w.component, w.part): w.weight for w in s.weights.all()}
    components = tuple(
        ComponentWeights(
            key=c,
            weight=weights.get((c, ""), Decimal(0)),
            parts=tuple(Weighted(p, weights.get((c, p), Decimal(0))) for p in PART_KEYS[c]),
        )
        for c in COMPONENT_KEYS
    )
    return HealthConfig(
        version=s.version,
        components=components,
        bands=(
            ("excellent", s.excellent_from),
            ("good", s.good_from),
            ("fair", s.fair_from),
            ("at_risk", s.at_risk_from),
        ),
        active_days_target=s.active_days_target,
        touchpoints_target=s.touchpoints_target,
        escalation_penalty=s.escalation_penalty,
        detractor_max=s.detractor_max,
        promoter_min=s.promoter_min,
        satisfaction_trigger=s.satisfaction_trigger,
        churn=ChurnConfig(
            health_multiplier=s.churn_health_multiplier,
            missing_health_points=s.churn_missing_health_points,
            falling_trend_drop=s.churn_falling_trend_drop,
            falling_trend_points=s.churn_falling_trend_points,
            open_escalation_points=s.churn_open_escalation_points,
            detractor_points=s.churn_detractor_points,
            inactive_points=s.churn_inactive_points,
            cap=s.churn_cap,
        ),
        strategy=StrategyConfig(
            critical_health_below=s.critical_health_below,
            critical_churn_at=s.critical_churn_at,
            recovery_health_below=s.recovery_health_below,
            recovery_escalations_at=s.recovery_escalations_at,
            improvement_health_below=s.improvement_health_below,
            expansion_potential_at=s.expansion_potential_at,
            expansion_satisfaction_at=s.expansion_satisfaction_at,
        ),
        expansion_types=tuple(
            ExpansionTypeConfig(
                key=t.key,
                label=t.label,
                triggers=tuple(t.triggers),
                multiplier=t.multiplier,
                base_probability=t.base_probability,
                qualified_at=t.qualified_at,
            )
            for t in ExpansionType.objects.all()
        ),
    )
