"""Tier recommendation rules (DOMAIN.md section 3): compatibility, price, timeline and guarantee amount.

Pure: frozen dataclasses in and out, no ORM, no clock. Every number that is a business rule (the tiers, the
weights, the cuts, the complexity positions, the pricing shares, the rounding step) arrives in a `TierSpec` or
a `RecommendationConfig`, because admins edit them; this module only knows how to combine them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from apps.core import labels
from apps.core.numbers import ZERO, clamp, round2

COMPLIANCE_NONE_REQUIRED = "none_required"
COMPLIANCE_AT_LEAST_ONE = "at_least_one"
COMPLIANCE_ALWAYS = "always"
COMPLIANCE_RULES = (COMPLIANCE_NONE_REQUIRED, COMPLIANCE_AT_LEAST_ONE, COMPLIANCE_ALWAYS)

VERDICT_RECOMMENDED = "recommended"
VERDICT_ALTERNATIVE = "alternative"
VERDICT_BELOW_CUT = "below_cut"
VERDICT_BLOCKED = "blocked"
VERDICT_RETIRED = "retired"

CRITERION_LABELS = {
    "service_type": "service type",
    "budget": "budget",
    "team": "team size",
    "complexity": "complexity",
    "compliance": "compliance",
}


@dataclass(frozen=True)
class TierSpec:
    """One service tier and its ideal customer, as an admin configured it."""

    slug: str
    name: str
    service_type: str
    price_min: Decimal
    price_max: Decimal
    weeks_min: int
    weeks_max: int
    developer_agents: int
    guarantee_threshold: Decimal
    refund_cap: Decimal
    budget_min: Decimal
    budget_max: Decimal | None  # None: no upper bound
    team_min: int
    team_max: int | None  # None: no upper bound
    complexities: tuple[str, ...]
    compliance_rule: str
    retired: bool = False

    def __post_init__(self) -> None:
        # Bad configuration fails here, loudly, rather than as a silently odd price on a proposal.
        _require(self.price_min <= self.price_max, f"{self.slug}: price_min is above price_max")
        _require(self.weeks_min <= self.weeks_max, f"{self.slug}: weeks_min is above weeks_max")
        _require(_ordered(self.budget_min, self.budget_max), f"{self.slug}: budget_min is above budget_max")
        _require(_ordered(self.team_min, self.team_max), f"{self.slug}: team_min is above team_max")
        _require(self.compliance_rule in COMPLIANCE_RULES, f"{self.slug}: unknown compliance rule")


@dataclass(frozen=True)
class RecommendationConfig:
    """Weights, cuts and pricing parameters shared by every tier."""

    weight_service_type: Decimal
    weight_budget: Decimal
    weight_team: Decimal
    weight_complexity: Decimal
    weight_compliance: Decimal
    recommend_cut: Decimal
    alternative_cut: Decimal
    complexity_positions: Mapping[str, Decimal]
    requirement_threshold: int
    share_per_requirement: Decimal
    share_per_integration: Decimal
    price_rounding_step: Decimal

    def __post_init__(self) -> None:
        _require(self.price_rounding_step > 0, "price_rounding_step must be positive")
        # A read-only copy, so a config shared between requests cannot be changed under another one.
        object.__setattr__(self, "complexity_positions", MappingProxyType(dict(self.complexity_positions)))


@dataclass(frozen=True)
class LeadProfile:
    """What the rules need from a lead; the caller derives `blocked_service_types` from its disqualifiers."""

    service_type: str
    budget_usd: Decimal | None  # None: not answered
    team_size: int
    complexity: str
    compliance_regimes: tuple[str, ...]
    requirements_count: int
    integrations_count: int
    estimated_weeks: Decimal
    blocked_service_types: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _require(self.team_size >= 0, "team_size cannot be negative")
        _require(self.requirements_count >= 0, "requirements_count cannot be negative")
        _require(self.integrations_count >= 0, "integrations_count cannot be negative")


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    met: bool
    weight: Decimal
    points: Decimal
    reason: str


@dataclass(frozen=True)
class PriceLine:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class PriceQuote:
    price: Decimal
    unclamped: Decimal
    breakdown: tuple[PriceLine, ...]  # always sums to `price`


@dataclass(frozen=True)
class Timeline:
    weeks: int
    reason: str


@dataclass(frozen=True)
class TierEvaluation:
    tier: TierSpec
    criteria: tuple[Criterion, ...]
    compatibility: Decimal
    price: Decimal
    breakdown: tuple[PriceLine, ...]
    timeline_weeks: int
    timeline_reason: str
    verdict: str
    verdict_reason: str
    recommended: bool
    alternative: bool  # recommended, but for another service type than the lead asked for
    blocked: bool
    reasoning: tuple[str, ...]
    summary: str


# Public API


def evaluate_tier(profile: LeadProfile, tier: TierSpec, config: RecommendationConfig) -> TierEvaluation:
    """One tier's fit for a lead: criteria, compatibility, price, timeline, verdict and reasoning."""
    criteria = score_criteria(profile, tier, config)
    compatibility = round2(sum((c.points for c in criteria), ZERO))
    quote = quote_price(profile, tier, config)
    timeline = estimate_timeline(profile.estimated_weeks, tier)
    verdict, verdict_reason = _verdict(profile, tier, compatibility, config)
    reasoning = tuple(f"{c.reason}." for c in criteria) + (verdict_reason,)
    return TierEvaluation(
        tier=tier,
        criteria=criteria,
        compatibility=compatibility,
        price=quote.price,
        breakdown=quote.breakdown,
        timeline_weeks=timeline.weeks,
        timeline_reason=timeline.reason,
        verdict=verdict,
        verdict_reason=verdict_reason,
        recommended=verdict in (VERDICT_RECOMMENDED, VERDICT_ALTERNATIVE),
        alternative=verdict == VERDICT_ALTERNATIVE,
        blocked=verdict == VERDICT_BLOCKED,
        reasoning=reasoning,
        summary=_summary(tier, criteria, compatibility, verdict_reason),
    )


def evaluate_all(
    profile: LeadProfile, tiers: Iterable[TierSpec], config: RecommendationConfig
) -> tuple[TierEvaluation, ...]:
    """Every tier, recommended ones first (best first), then the rest with why they were not recommended."""
    evaluations = [evaluate_tier(profile, tier, config) for tier in tiers]
    return tuple(sorted(evaluations, key=lambda e: (not e.recommended, *_rank(e))))


def recommend_tiers(
    profile: LeadProfile, tiers: Iterable[TierSpec], config: RecommendationConfig
) -> tuple[TierEvaluation, ...]:
    """Only the recommended tiers, best first; ties go to the lower price quoted for this lead."""
    return tuple(e for e in evaluate_all(profile, tiers, config) if e.recommended)


def guarantee_amount(agreed_price: Decimal, tier: TierSpec) -> Decimal:
    """The refundable amount: the agreed price, capped at the tier's refund cap."""
    return min(agreed_price, tier.refund_cap)


# Compatibility


def score_criteria(profile: LeadProfile, tier: TierSpec, config: RecommendationConfig) -> tuple[Criterion, ...]:
    """The five ideal-customer criteria, each with its weight, points and a reason in words."""
    return (
        _criterion("service_type", config.weight_service_type, *_service_type_fit(profile, tier)),
        _criterion("budget", config.weight_budget, *_budget_fit(profile, tier)),
        _criterion("team", config.weight_team, *_team_fit(profile, tier)),
        _criterion("complexity", config.weight_complexity, *_complexity_fit(profile, tier)),
        _criterion("compliance", config.weight_compliance, *_compliance_fit(profile, tier)),
    )


def _criterion(key: str, weight: Decimal, met: bool, reason: str) -> Criterion:
    points = weight if met else ZERO
    return Criterion(key=key, label=CRITERION_LABELS[key], met=met, weight=weight, points=points, reason=reason)


def _service_type_fit(profile: LeadProfile, tier: TierSpec) -> tuple[bool, str]:
    asked, offered = _words(profile.service_type), _words(tier.service_type)
    if profile.service_type == tier.service_type:
        return True, f"Service type {asked} matches the tier"
    return False, f"Service type {asked} differs from the tier's {offered}"


def _budget_fit(profile: LeadProfile, tier: TierSpec) -> tuple[bool, str]:
    ideal = _range_words(tier.budget_min, tier.budget_max, format_money)
    if profile.budget_usd is None:
        return False, f"No budget stated, against the ideal {ideal}"
    place = _place_in_range(profile.budget_usd, tier.budget_min, tier.budget_max)
    return place == "within", f"Budget {format_money(profile.budget_usd)} is {place} the ideal {ideal}"


def _team_fit(profile: LeadProfile, tier: TierSpec) -> tuple[bool, str]:
    ideal = _range_words(tier.team_min, tier.team_max, str)
    place = _place_in_range(profile.team_size, tier.team_min, tier.team_max)
    return place == "within", f"Team of {profile.team_size} is {place} the ideal {ideal}"


def _complexity_fit(profile: LeadProfile, tier: TierSpec) -> tuple[bool, str]:
    ideal = ", ".join(_words(c) for c in tier.complexities) or "none"
    if profile.complexity in tier.complexities:
        return True, f"Complexity {_words(profile.complexity)} is one of the ideal {ideal}"
    return False, f"Complexity {_words(profile.complexity)} is not one of the ideal {ideal}"


def _compliance_fit(profile: LeadProfile, tier: TierSpec) -> tuple[bool, str]:
    has = _regimes_words(profile.compliance_regimes)
    if tier.compliance_rule == COMPLIANCE_ALWAYS:
        return True, f"{has}, and the tier suits leads with or without any"
    if tier.compliance_rule == COMPLIANCE_NONE_REQUIRED:
        met = not profile.compliance_regimes
        return met, f"{has}, {'as' if met else 'but'} the tier suits leads without any"
    met = bool(profile.compliance_regimes)
    return met, f"{has}, {'as' if met else 'but'} the tier suits leads with at least one"


def _place_in_range(value: Decimal | int, low: Decimal | int, high: Decimal | int | None) -> str:
    # Both ends inclusive; a missing upper bound is open.
    if value < low:
        return "below"
    if high is not None and value > high:
        return "above"
    return "within"


# Verdict and reasoning


def _verdict(
    profile: LeadProfile, tier: TierSpec, compatibility: Decimal, config: RecommendationConfig
) -> tuple[str, str]:
    """Why a tier is or is not recommended; retirement and blocks outrank any compatibility."""
    if tier.retired:
        return VERDICT_RETIRED, f"Not recommended: {tier.name} is retired and no longer offered."
    if tier.service_type in profile.blocked_service_types:
        service = _words(tier.service_type)
        return VERDICT_BLOCKED, f"Not recommended: a disqualifier of this lead blocks {service}."
    if tier.service_type == profile.service_type:
        return _same_type_verdict(compatibility, config)
    return _other_type_verdict(profile, tier, compatibility, config)


def _same_type_verdict(compatibility: Decimal, config: RecommendationConfig) -> tuple[str, str]:
    if compatibility >= config.recommend_cut:
        return (
            VERDICT_RECOMMENDED,
            f"Recommended: compatibility {compatibility} reaches {config.recommend_cut}.",
        )
    return (
        VERDICT_BELOW_CUT,
        f"Not recommended: compatibility {compatibility} is under {config.recommend_cut}.",
    )


def _other_type_verdict(
    profile: LeadProfile, tier: TierSpec, compatibility: Decimal, config: RecommendationConfig
) -> tuple[str, str]:
    # An alternative must clear both cuts, so a lowered alternative cut never undercuts the general one.
    cut = max(config.recommend_cut, config.alternative_cut)
    switch = f"{_words(tier.service_type)} instead of the requested {_words(profile.service_type)}"
    if compatibility >= cut:
        return (
            VERDICT_ALTERNATIVE,
            f"Recommended as an alternative service type ({switch}): compatibility {compatibility} reaches {cut}.",
        )
    return (
        VERDICT_BELOW_CUT,
        f"Not recommended: an alternative service type ({switch}) needs compatibility {cut}, "
        f"and this one has {compatibility}.",
    )


def _summary(tier: TierSpec, criteria: tuple[Criterion, ...], compatibility: Decimal, verdict_reason: str) -> str:
    met = [c for c in criteria if c.met]
    missed = [c for c in criteria if not c.met]
    parts = [f"{tier.name} meets {len(met)} of {len(criteria)} ideal criteria (compatibility {compatibility})."]
    if met:
        parts.append("Met: " + "; ".join(c.reason for c in met) + ".")
    if missed:
        parts.append("Missed: " + "; ".join(c.reason for c in missed) + ".")
    parts.append(verdict_reason)
    return " ".join(parts)


def _rank(evaluation: TierEvaluation) -> tuple[Decimal, Decimal, str]:
    # Best first; on equal compatibility the lower price (DOMAIN: the price quoted for this lead, not the tier's
    # minimum) is the gentler proposal, then slug keeps it stable.
    return (-evaluation.compatibility, evaluation.price, evaluation.tier.slug)


# Price and timeline


def quote_price(profile: LeadProfile, tier: TierSpec, config: RecommendationConfig) -> PriceQuote:
    """Price from the tier's range, clamped then rounded; the breakdown lines always add up to the price.

    DOMAIN's order is clamp, then round. With range bounds that are multiples of the rounding step (as the
    defaults are) the price stays inside the range; a bound off the step can be passed by under half a step.
    """
    lines = _price_lines(profile, tier, config)
    unclamped = sum((line.amount for line in lines), ZERO)
    clamped = clamp(unclamped, tier.price_min, tier.price_max)
    price = round_to_step(clamped, config.price_rounding_step)
    if clamped != unclamped:
        edge = "Capped at the tier maximum" if clamped == tier.price_max else "Raised to the tier minimum"
        lines.append(PriceLine(f"{edge} {format_money(clamped)}", clamped - unclamped))
    if price != clamped:
        lines.append(PriceLine(f"Rounded to the nearest {format_money(config.price_rounding_step)}", price - clamped))
    return PriceQuote(price=price, unclamped=unclamped, breakdown=tuple(lines))


def _price_lines(profile: LeadProfile, tier: TierSpec, config: RecommendationConfig) -> list[PriceLine]:
    span = tier.price_max - tier.price_min
    position = _complexity_position(profile.complexity, config)
    complexity = f"Complexity {_words(profile.complexity)}"
    lines = [
        PriceLine("Tier minimum", _cents(tier.price_min)),
        PriceLine(f"{complexity}: {_percent(position)} of the {format_money(span)} range", _cents(span * position)),
    ]
    extra_requirements = max(0, profile.requirements_count - config.requirement_threshold)
    if extra_requirements:
        label = f"{_count(extra_requirements, 'requirement')} beyond {config.requirement_threshold}"
        lines.append(_per_unit_line(label, extra_requirements, config.share_per_requirement, span))
    if profile.integrations_count:
        label = _count(profile.integrations_count, "integration")
        lines.append(_per_unit_line(label, profile.integrations_count, config.share_per_integration, span))
    return lines


def _per_unit_line(label: str, units: int, share: Decimal, span: Decimal) -> PriceLine:
    return PriceLine(f"{label}: {_percent(share)} of the range each", _cents(span * share * units))


def _cents(amount: Decimal) -> Decimal:
    # Lines are money, kept to the cent; the total is summed from these same lines, so it still adds up.
    return round2(amount)


def _complexity_position(complexity: str, config: RecommendationConfig) -> Decimal:
    try:
        return config.complexity_positions[complexity]
    except KeyError:
        # A configuration gap, not a lead error: say which position is missing.
        raise ValueError(f"No complexity position is configured for {complexity!r}") from None


def round_to_step(amount: Decimal, step: Decimal) -> Decimal:
    """Round to the nearest multiple of `step`, halves up (108,750 -> 109,000 with a 1,000 step)."""
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def estimate_timeline(estimated_weeks: Decimal, tier: TierSpec) -> Timeline:
    """The feasibility estimate rounded up to whole weeks, kept within the tier's weeks."""
    rounded = math.ceil(estimated_weeks)
    weeks = max(tier.weeks_min, min(tier.weeks_max, rounded))
    estimate = f"Estimated {_plain(estimated_weeks)} weeks, rounded up to {rounded}"
    tier_weeks = f"{tier.weeks_min}–{tier.weeks_max} weeks"
    if rounded < tier.weeks_min:
        return Timeline(weeks, f"{estimate}, raised to the tier's minimum of {tier_weeks}.")
    if rounded > tier.weeks_max:
        return Timeline(weeks, f"{estimate}, capped at the tier's maximum of {tier_weeks}.")
    return Timeline(weeks, f"{estimate}, within the tier's {tier_weeks}.")


# Words


def format_money(amount: Decimal) -> str:
    """US dollars, the portal's one way: see apps.core.labels.format_money."""
    return labels.format_money(amount)


def _range_words(low: Decimal | int, high: Decimal | int | None, fmt: Callable[[Any], str]) -> str:
    return f"{fmt(low)} or more" if high is None else f"{fmt(low)}–{fmt(high)}"


def _regimes_words(regimes: tuple[str, ...]) -> str:
    if not regimes:
        return "No compliance regime"
    return f"{_count(len(regimes), 'compliance regime')} ({', '.join(regimes)})"


def _words(code: str) -> str:
    return code.replace("_", " ")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _percent(share: Decimal) -> str:
    return f"{_plain(share * 100)}%"


def _plain(value: Decimal) -> str:
    # normalize() drops trailing zeros; the "f" format keeps 100 from turning into 1E+2.
    return f"{value.normalize():f}"


def _ordered(low: Decimal | int, high: Decimal | int | None) -> bool:
    return high is None or low <= high


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
