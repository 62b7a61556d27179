"""What the lead scoring rules take in and hand back: frozen dataclasses, no Django.

Inputs are validated on construction so a bad value fails where it was made, not deep inside a rule.
Outputs carry exact Decimals for arithmetic and rounded ones (one decimal, half-up) for display.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

SERVICE_TYPES = ("mvp_development", "legacy_modernization", "team_augmentation")
COMPLEXITIES = ("low", "medium", "high", "very_high")
CRITICALITIES = ("low", "medium", "high", "critical")
FITS = ("blocked", "ideal", "fit", "weak")

# Allowed values of the multiple-choice answers; the boolean and integer answers are checked by type.
ANSWER_CHOICES: dict[str, tuple[str, ...]] = {
    "project_documentation": ("comprehensive", "partial", "none"),
    "requirements_clarity": ("very_clear", "mostly_clear", "somewhat_clear", "vague"),
    "timeline_urgency": ("urgent", "moderate", "flexible"),
    "stakeholder_alignment": ("excellent", "good", "fair", "poor"),
    "budget_status": ("approved", "preliminary", "undefined"),
    "decision_authority": ("full", "partial", "none"),
    "change_readiness": ("enthusiastic", "open", "cautious", "resistant"),
    "team_availability": ("full", "partial", "limited"),
    "communication_structure": ("excellent", "good", "fair", "poor"),
}


def plain_number(value: Decimal) -> str:
    """A Decimal as people write it in a reason line: 60 not 60.00, 0.5 not 0.50."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: {value!r} is not one of {allowed}")


@dataclass(frozen=True)
class Answers:
    """The readiness answers of a lead; every one is optional and None means unanswered."""

    existing_codebase: bool | None = None
    project_documentation: str | None = None
    infrastructure_plan: bool | None = None
    requirements_clarity: str | None = None
    timeline_urgency: str | None = None
    stakeholder_alignment: str | None = None
    success_criteria_defined: bool | None = None
    change_management_experience: bool | None = None
    budget_status: str | None = None
    decision_authority: str | None = None
    contract_timeline_weeks: int | None = None
    payment_terms_acceptable: bool | None = None
    change_readiness: str | None = None
    team_availability: str | None = None
    communication_structure: str | None = None
    high_priority: bool | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            if item.name in ANSWER_CHOICES:
                _check_choice(item.name, value, ANSWER_CHOICES[item.name])
            elif item.name == "contract_timeline_weeks":
                # bool is an int subclass; True weeks is a bug, not an answer.
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError("contract_timeline_weeks must be a whole number >= 0")
            elif not isinstance(value, bool):
                raise ValueError(f"{item.name} must be True, False or None")


@dataclass(frozen=True)
class LeadFacts:
    """Everything the rules know about a lead (no contact details: they never change a score)."""

    service_type: str
    timeline_weeks: int
    complexity: str
    budget_usd: Decimal
    team_size: int
    business_criticality: str
    requirements: tuple[str, ...] = ()
    technology_preferences: tuple[str, ...] = ()
    compliance_requirements: tuple[str, ...] = ()
    required_integrations: tuple[str, ...] = ()
    has_ui_requirements: bool = False
    has_fallback_plan: bool = False
    answers: Answers = field(default_factory=Answers)

    def __post_init__(self) -> None:
        _check_choice("service_type", self.service_type, SERVICE_TYPES)
        _check_choice("complexity", self.complexity, COMPLEXITIES)
        _check_choice("business_criticality", self.business_criticality, CRITICALITIES)
        if self.timeline_weeks < 1:
            raise ValueError("timeline_weeks must be >= 1")
        if self.team_size < 0:
            raise ValueError("team_size must be >= 0")
        # Floats would bring binary noise into money; the model layer hands over Decimal.
        if not isinstance(self.budget_usd, Decimal) or self.budget_usd < 0:
            raise ValueError("budget_usd must be a Decimal >= 0")


# Names a criterion's `source` may use: an answer, or a fact of the lead.
ANSWER_KEYS = tuple(item.name for item in fields(Answers))
FACT_SOURCES = tuple(item.name for item in fields(LeadFacts) if item.name != "answers")


@dataclass(frozen=True)
class CriterionPart:
    """One criterion as scored: what was answered, what it earned, and one line saying why.

    points is exact; points_rounded is for display. answer is display text, None when unanswered.
    """

    key: str
    dimension: str
    label: str
    answered: bool
    answer: str | None
    fraction: Decimal
    points: Decimal
    points_rounded: Decimal
    max_points: Decimal
    reason: str


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's share of its own points; percent is rounded once."""

    name: str
    points: Decimal
    points_rounded: Decimal
    max_points: Decimal
    percent: Decimal


@dataclass(frozen=True)
class Gap:
    """A criterion that lost points: how many (exact and for display)."""

    key: str
    label: str
    points_lost: Decimal
    points_lost_rounded: Decimal


@dataclass(frozen=True)
class Disqualifier:
    """A disqualifier that holds: its code and shown text."""

    code: str
    label: str


@dataclass(frozen=True)
class ServiceFit:
    """How the lead fits one service type: fit is one of FITS; blocked_by lists the codes that block it."""

    service_type: str
    fit: str
    blocked_by: tuple[str, ...]
    key_gaps: tuple[str, ...]


@dataclass(frozen=True)
class QualificationResult:
    """The qualification of a lead, with every part needed to explain it."""

    score: Decimal
    level: str
    level_label: str
    points_earned: Decimal
    points_available: Decimal
    parts: tuple[CriterionPart, ...]
    dimensions: tuple[DimensionScore, ...]
    biggest_gaps: tuple[Gap, ...]
    unanswered: tuple[str, ...]
    next_steps: tuple[str, ...]
    disqualifiers: tuple[Disqualifier, ...]
    all_disqualifiers: tuple[Disqualifier, ...]
    service_fit: tuple[ServiceFit, ...]

    def fit_for(self, service_type: str) -> ServiceFit:
        """The fit for one service type (KeyError when the config has no such type)."""
        for fit in self.service_fit:
            if fit.service_type == service_type:
                return fit
        raise KeyError(service_type)

    def dimension(self, name: str) -> DimensionScore:
        """One dimension by name (KeyError when no criterion uses it)."""
        for dimension in self.dimensions:
            if dimension.name == name:
                return dimension
        raise KeyError(name)


@dataclass(frozen=True)
class SubScore:
    """A feasibility sub-score: rounded score, its weight in the overall, and one line saying why."""

    key: str
    score: Decimal
    weight: Decimal
    reason: str


@dataclass(frozen=True)
class RiskFactor:
    """A deduction: code, size (points off its own sub-score) and shown text."""

    code: str
    impact: Decimal
    text: str


@dataclass(frozen=True)
class Blocker:
    """A potential blocker: a weak sub-score (code = its key) or a disqualifier (code = its code)."""

    code: str
    text: str


@dataclass(frozen=True)
class FeasibilityResult:
    """The feasibility of a lead. Scores are rounded; estimated_weeks is exact."""

    overall: Decimal
    level: str
    level_label: str
    technical: Decimal
    timeline: Decimal
    resource: Decimal
    budget_score: Decimal
    team_score: Decimal
    sub_scores: tuple[SubScore, ...]
    estimated_weeks: Decimal
    estimated_weeks_rounded_up: int
    risk_factors: tuple[RiskFactor, ...]
    blockers: tuple[Blocker, ...]
    weakest: str
    recommended_approach: str


@dataclass(frozen=True)
class ObservedOutcomes:
    """Closed guarantees in one probability band: how many succeeded out of how many."""

    successes: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.successes <= self.total:
            raise ValueError("need 0 <= successes <= total")


@dataclass(frozen=True)
class ProbabilityResult:
    """Success probability: the band's default percent, and the observed rate once the sample suffices."""

    combined: Decimal
    band: str
    band_label: str
    default_percent: Decimal
    observed_percent: Decimal | None
    observed_sample: int | None
