"""The frozen dataclasses pure health scoring takes and returns (no ORM, no clock)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Weighted:
    key: str
    weight: Decimal


@dataclass(frozen=True)
class ComponentWeights:
    key: str
    weight: Decimal
    parts: tuple[Weighted, ...]


@dataclass(frozen=True)
class ChurnConfig:
    health_multiplier: Decimal
    missing_health_points: Decimal
    falling_trend_drop: Decimal
    falling_trend_points: Decimal
    open_escalation_points: Decimal
    detractor_points: Decimal
    inactive_points: Decimal
    cap: Decimal


@dataclass(frozen=True)
class StrategyConfig:
    critical_health_below: Decimal
    critical_churn_at: Decimal
    recovery_health_below: Decimal
    recovery_escalations_at: int
    improvement_health_below: Decimal
    expansion_potential_at: Decimal
    expansion_satisfaction_at: Decimal


@dataclass(frozen=True)
class ExpansionTypeConfig:
    key: str
    label: str
    triggers: tuple[str, ...]
    multiplier: Decimal
    base_probability: Decimal
    qualified_at: int


@dataclass(frozen=True)
class HealthConfig:
    version: int
    components: tuple[ComponentWeights, ...]
    # (band key, lower limit), best first; a score under the last limit is "critical".
    bands: tuple[tuple[str, Decimal], ...]
    active_days_target: Decimal
    touchpoints_target: Decimal
    escalation_penalty: Decimal
    detractor_max: int
    promoter_min: int
    satisfaction_trigger: Decimal
    churn: ChurnConfig
    strategy: StrategyConfig
    expansion_types: tuple[ExpansionTypeConfig, ...] = ()


@dataclass(frozen=True)
class Source:
    """Where a figure came from: a label and, when there is one, a link."""

    label: str
    url: str = ""


@dataclass(frozen=True)
class HealthInputs:
    """Everything the portal knows about one customer for one computation. None means "no data"."""

    csat_scores: tuple[int, ...] = ()
    nps_scores: tuple[int, ...] = ()
    support_scores: tuple[int, ...] = ()
    sentiment: int | None = None
    stakeholders_with_login: int = 0
    active_days: int = 0
    features_used: int = 0
    features_total: int = 6
    touchpoints_30d: int = 0
    touchpoints_ever: int = 0
    invited_90d: int = 0
    answered_90d: int = 0
    milestones_scored: int = 0
    milestones_succeeded: int = 0
    milestones_due: int = 0
    milestones_on_time: int = 0
    quality_score: Decimal | None = None
    roi_achieved: Decimal | None = None
    business_impact: Decimal | None = None
    goals_met: Decimal | None = None
    has_sponsor_login: bool = False
    stakeholders_active: int = 0
    sponsor_active: bool = False
    has_guarantee: bool = False
    failed_weeks: int = 0
    open_claims: int = 0
    latest_nps: int | None = None
    score_30d_ago: Decimal | None = None
    score_90d_ago: Decimal | None = None
    signals: frozenset[str] = frozenset()
    latest_project_value: Decimal | None = None
    customer_status: str = "onboarding"
    guarantee_ended: bool = False
    sources: dict[str, tuple[Source, ...]] = field(default_factory=dict)

    @property
    def open_escalations(self) -> int:
        return self.failed_weeks + self.open_claims


@dataclass(frozen=True)
class PartResult:
    key: str
    weight: Decimal
    effective_weight: Decimal
    value: Decimal | None
    reason: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class ComponentResult:
    key: str
    weight: Decimal
    effective_weight: Decimal
    score: Decimal | None
    parts: tuple[PartResult, ...]

    @property
    def has_data(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Factor:
    key: str
    points: Decimal
    reason: str


@dataclass(frozen=True)
class ChurnResult:
    score: Decimal
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Opportunity:
    key: str
    label: str
    triggers_met: tuple[str, ...]
    triggers_missing: tuple[str, ...]
    share_met: Decimal
    qualified: bool
    probability: Decimal
    value: Decimal | None


@dataclass(frozen=True)
class StrategyResult:
    key: str
    rule: str


@dataclass(frozen=True)
class HealthResult:
    score: Decimal | None
    band: str | None
    components: tuple[ComponentResult, ...]
    components_with_data: int
    trend_30d: Decimal | None
    trend_90d: Decimal | None
    churn: ChurnResult
    opportunities: tuple[Opportunity, ...]
    expansion_potential: Decimal | None
    strategy: StrategyResult
    missing: tuple[str, ...]
