"""Tier recommendation rules (DOMAIN.md section 3), pinned at their boundaries with the default settings."""

from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from apps.tiers import scoring
from apps.tiers.scoring import (
    COMPLIANCE_ALWAYS,
    COMPLIANCE_AT_LEAST_ONE,
    COMPLIANCE_NONE_REQUIRED,
    VERDICT_ALTERNATIVE,
    VERDICT_BELOW_CUT,
    VERDICT_BLOCKED,
    VERDICT_RECOMMENDED,
    VERDICT_RETIRED,
    LeadProfile,
    RecommendationConfig,
    TierEvaluation,
    TierSpec,
    estimate_timeline,
    evaluate_all,
    evaluate_tier,
    format_money,
    guarantee_amount,
    quote_price,
    recommend_tiers,
    round_to_step,
)
from tests.tiers.scoring_defaults import (
    ALL_COMPLEXITIES,
    AUGMENTATION,
    DEFAULT_CONFIG,
    DEFAULT_TIERS,
    ENTERPRISE_MVP,
    LEGACY,
    LEGACY_MODERNIZATION,
    MVP,
    STARTUP_MVP,
    TEAM_AUGMENTATION,
)

D = Decimal


def lead(**overrides: Any) -> LeadProfile:
    """A lead that is Startup MVP's ideal customer, unless a test says otherwise."""
    fields: dict[str, Any] = {
        "service_type": MVP,
        "budget_usd": D(100_000),
        "team_size": 5,
        "complexity": "medium",
        "compliance_regimes": (),
        "requirements_count": 0,
        "integrations_count": 0,
        "estimated_weeks": D(6),
    }
    fields.update(overrides)
    return LeadProfile(**fields)


def evaluate(tier: TierSpec, config: RecommendationConfig = DEFAULT_CONFIG, **overrides: Any) -> TierEvaluation:
    return evaluate_tier(lead(**overrides), tier, config)


def criterion(tier: TierSpec, key: str, **overrides: Any) -> scoring.Criterion:
    return next(c for c in evaluate(tier, **overrides).criteria if c.key == key)


def price(tier: TierSpec, **overrides: Any) -> Decimal:
    return quote_price(lead(**overrides), tier, DEFAULT_CONFIG).price


# Purity


def test_scoring_module_imports_nothing_from_django_or_the_clock() -> None:
    tree = ast.parse(Path(scoring.__file__).read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [m for m in modules if m.startswith(("django", "datetime", "time"))]


# Compatibility criteria


def test_the_ideal_lead_meets_every_criterion_for_full_compatibility() -> None:
    evaluation = evaluate(STARTUP_MVP)
    assert [c.key for c in evaluation.criteria] == [
        "service_type",
        "budget",
        "team",
        "complexity",
        "compliance",
    ]
    assert all(c.met for c in evaluation.criteria)
    assert evaluation.compatibility == D("1.00")


def test_each_criterion_carries_its_configured_weight_and_earns_it_only_when_met() -> None:
    evaluation = evaluate(STARTUP_MVP, team_size=12)
    weights = {c.key: (c.weight, c.points) for c in evaluation.criteria}
    assert weights == {
        "service_type": (D("0.30"), D("0.30")),
        "budget": (D("0.25"), D("0.25")),
        "team": (D("0.15"), D(0)),
        "complexity": (D("0.15"), D("0.15")),
        "compliance": (D("0.15"), D("0.15")),
    }
    assert evaluation.compatibility == D("0.85")


def test_service_type_matches_only_the_tiers_own_type() -> None:
    assert criterion(STARTUP_MVP, "service_type").reason == "Service type mvp development matches the tier"
    missed = criterion(STARTUP_MVP, "service_type", service_type=AUGMENTATION)
    assert not missed.met
    assert missed.reason == "Service type team augmentation differs from the tier's mvp development"


@pytest.mark.parametrize(
    ("tier", "budget", "met"),
    [
        (STARTUP_MVP, 49_999, False),
        (STARTUP_MVP, 50_000, True),
        (STARTUP_MVP, 200_000, True),
        (STARTUP_MVP, 200_001, False),
        (ENTERPRISE_MVP, 149_999, False),
        (ENTERPRISE_MVP, 150_000, True),
        (ENTERPRISE_MVP, 1_000_000, True),
        (ENTERPRISE_MVP, 1_000_001, False),
        (LEGACY_MODERNIZATION, 249_999, False),
        (LEGACY_MODERNIZATION, 250_000, True),
        (LEGACY_MODERNIZATION, 1_000_000_000, True),
        (TEAM_AUGMENTATION, 39_999, False),
        (TEAM_AUGMENTATION, 40_000, True),
        (TEAM_AUGMENTATION, 200_000, True),
        (TEAM_AUGMENTATION, 200_001, False),
    ],
)
def test_budget_fits_when_inside_the_inclusive_ideal_range(tier: TierSpec, budget: int, met: bool) -> None:
    assert criterion(tier, "budget", budget_usd=D(budget)).met is met


@pytest.mark.parametrize(
    ("tier", "budget", "reason"),
    [
        (STARTUP_MVP, 120_000, "Budget $120,000 is within the ideal $50,000–$200,000"),
        (STARTUP_MVP, 49_999, "Budget $49,999 is below the ideal $50,000–$200,000"),
        (STARTUP_MVP, 200_001, "Budget $200,001 is above the ideal $50,000–$200,000"),
        (LEGACY_MODERNIZATION, 900_000, "Budget $900,000 is within the ideal $250,000 or more"),
    ],
)
def test_budget_reason_says_where_the_budget_falls_in_words(tier: TierSpec, budget: int, reason: str) -> None:
    assert criterion(tier, "budget", budget_usd=D(budget)).reason == reason


def test_an_unstated_budget_misses_the_budget_criterion_and_says_so() -> None:
    missed = criterion(STARTUP_MVP, "budget", budget_usd=None)
    assert not missed.met
    assert missed.reason == "No budget stated, against the ideal $50,000–$200,000"


@pytest.mark.parametrize(
    ("tier", "team", "met"),
    [
        (STARTUP_MVP, 0, False),
        (STARTUP_MVP, 1, True),
        (STARTUP_MVP, 10, True),
        (STARTUP_MVP, 11, False),
        (ENTERPRISE_MVP, 9, False),
        (ENTERPRISE_MVP, 10, True),
        (ENTERPRISE_MVP, 100, True),
        (ENTERPRISE_MVP, 101, False),
        (LEGACY_MODERNIZATION, 0, False),
        (LEGACY_MODERNIZATION, 1, True),
        (LEGACY_MODERNIZATION, 5_000, True),
        (TEAM_AUGMENTATION, 0, False),
        (TEAM_AUGMENTATION, 1, True),
        (TEAM_AUGMENTATION, 5_000, True),
    ],
)
def test_team_size_fits_when_inside_the_inclusive_ideal_range(tier: TierSpec, team: int, met: bool) -> None:
    assert criterion(tier, "team", team_size=team).met is met


def test_a_team_of_ten_is_ideal_for_both_startup_and_enterprise_mvp() -> None:
    assert criterion(STARTUP_MVP, "team", team_size=10).met
    assert criterion(ENTERPRISE_MVP, "team", team_size=10).met


@pytest.mark.parametrize(
    ("tier", "team", "reason"),
    [
        (STARTUP_MVP, 12, "Team of 12 is above the ideal 1–10"),
        (ENTERPRISE_MVP, 9, "Team of 9 is below the ideal 10–100"),
        (TEAM_AUGMENTATION, 3, "Team of 3 is within the ideal 1 or more"),
    ],
)
def test_team_reason_says_where_the_team_falls_in_words(tier: TierSpec, team: int, reason: str) -> None:
    assert criterion(tier, "team", team_size=team).reason == reason


@pytest.mark.parametrize(
    ("tier", "fitting"),
    [
        (STARTUP_MVP, {"low", "medium"}),
        (ENTERPRISE_MVP, {"medium", "high", "very_high"}),
        (LEGACY_MODERNIZATION, {"medium", "high", "very_high"}),
        (TEAM_AUGMENTATION, set(ALL_COMPLEXITIES)),
    ],
)
@pytest.mark.parametrize("complexity", ALL_COMPLEXITIES)
def test_complexity_fits_only_when_in_the_tiers_list(tier: TierSpec, fitting: set[str], complexity: str) -> None:
    assert criterion(tier, "complexity", complexity=complexity).met is (complexity in fitting)


def test_complexity_reason_names_the_ideal_list_in_words() -> None:
    assert criterion(STARTUP_MVP, "complexity", complexity="very_high").reason == (
        "Complexity very high is not one of the ideal low, medium"
    )
    assert criterion(STARTUP_MVP, "complexity", complexity="low").reason == (
        "Complexity low is one of the ideal low, medium"
    )


@pytest.mark.parametrize(
    ("rule", "regimes", "met"),
    [
        (COMPLIANCE_NONE_REQUIRED, (), True),
        (COMPLIANCE_NONE_REQUIRED, ("HIPAA",), False),
        (COMPLIANCE_NONE_REQUIRED, ("HIPAA", "SOX"), False),
        (COMPLIANCE_AT_LEAST_ONE, (), False),
        (COMPLIANCE_AT_LEAST_ONE, ("HIPAA",), True),
        (COMPLIANCE_AT_LEAST_ONE, ("HIPAA", "SOX"), True),
        (COMPLIANCE_ALWAYS, (), True),
        (COMPLIANCE_ALWAYS, ("HIPAA", "SOX"), True),
    ],
)
def test_each_compliance_rule_is_met_as_domain_says(rule: str, regimes: tuple[str, ...], met: bool) -> None:
    tier = dataclasses.replace(STARTUP_MVP, compliance_rule=rule)
    assert criterion(tier, "compliance", compliance_regimes=regimes).met is met


def test_default_tiers_use_the_compliance_rules_domain_gives_them() -> None:
    rules = {tier.slug: tier.compliance_rule for tier in DEFAULT_TIERS}
    assert rules == {
        "startup-mvp": COMPLIANCE_NONE_REQUIRED,
        "enterprise-mvp": COMPLIANCE_AT_LEAST_ONE,
        "legacy-modernization-accelerated": COMPLIANCE_ALWAYS,
        "team-augmentation": COMPLIANCE_ALWAYS,
    }


def test_compliance_reason_names_the_leads_regimes_and_what_the_tier_suits() -> None:
    assert criterion(STARTUP_MVP, "compliance", compliance_regimes=("HIPAA", "PCI DSS")).reason == (
        "2 compliance regimes (HIPAA, PCI DSS), but the tier suits leads without any"
    )
    assert criterion(ENTERPRISE_MVP, "compliance").reason == (
        "No compliance regime, but the tier suits leads with at least one"
    )
    assert criterion(LEGACY_MODERNIZATION, "compliance", compliance_regimes=("SOX",)).reason == (
        "1 compliance regime (SOX), and the tier suits leads with or without any"
    )


def test_compatibility_is_rounded_half_up_to_two_decimals_before_the_cut() -> None:
    # 0.295 + 0.15 + 0.15 = 0.595, which rounds to 0.60 and therefore reaches the cut.
    config = dataclasses.replace(DEFAULT_CONFIG, weight_service_type=D("0.295"), weight_budget=D("0.255"))
    evaluation = evaluate(STARTUP_MVP, config, budget_usd=D(300_000), team_size=20)
    assert evaluation.compatibility == D("0.60")
    assert evaluation.recommended


def test_compatibility_follows_the_configured_weights() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, weight_service_type=D("0.10"), weight_budget=D("0.45"))
    assert evaluate(STARTUP_MVP, config, team_size=12).compatibility == D("0.85")
    assert evaluate(STARTUP_MVP, config, budget_usd=None).compatibility == D("0.55")


# Verdicts


def test_a_same_type_tier_at_exactly_the_cut_of_060_is_recommended() -> None:
    # Service type 0.30 + complexity 0.15 + compliance 0.15; budget and team missed.
    evaluation = evaluate(STARTUP_MVP, budget_usd=D(300_000), team_size=20)
    assert evaluation.compatibility == D("0.60")
    assert (evaluation.recommended, evaluation.alternative, evaluation.verdict) == (
        True,
        False,
        VERDICT_RECOMMENDED,
    )
    assert evaluation.verdict_reason == "Recommended: compatibility 0.60 reaches 0.60."


def test_a_same_type_tier_at_055_is_not_recommended_and_says_why() -> None:
    # Service type 0.30 + budget 0.25; team, complexity and compliance missed.
    evaluation = evaluate(STARTUP_MVP, team_size=20, complexity="high", compliance_regimes=("HIPAA",))
    assert evaluation.compatibility == D("0.55")
    assert (evaluation.recommended, evaluation.verdict) == (False, VERDICT_BELOW_CUT)
    assert evaluation.verdict_reason == "Not recommended: compatibility 0.55 is under 0.60."


def test_another_service_type_at_070_is_recommended_as_an_alternative() -> None:
    evaluation = evaluate(TEAM_AUGMENTATION)
    assert evaluation.compatibility == D("0.70")
    assert (evaluation.recommended, evaluation.alternative, evaluation.verdict) == (
        True,
        True,
        VERDICT_ALTERNATIVE,
    )
    assert "alternative service type (team augmentation instead of the requested mvp development)" in (
        evaluation.verdict_reason
    )
    assert evaluation.verdict_reason in evaluation.reasoning


def test_another_service_type_at_055_is_not_recommended() -> None:
    evaluation = evaluate(TEAM_AUGMENTATION, team_size=0)
    assert evaluation.compatibility == D("0.55")
    assert (evaluation.recommended, evaluation.alternative, evaluation.verdict) == (
        False,
        False,
        VERDICT_BELOW_CUT,
    )
    assert "needs compatibility 0.70, and this one has 0.55" in evaluation.verdict_reason


def test_another_service_type_between_the_two_cuts_is_not_recommended() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, weight_service_type=D("0.25"), weight_budget=D("0.30"))
    evaluation = evaluate(TEAM_AUGMENTATION, config, team_size=0)
    assert evaluation.compatibility == D("0.60")
    assert not evaluation.recommended


def test_an_alternative_must_also_reach_the_general_cut_when_its_own_cut_is_set_lower() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, alternative_cut=D("0.50"))
    evaluation = evaluate(TEAM_AUGMENTATION, config, team_size=0)
    assert evaluation.compatibility == D("0.55")
    assert not evaluation.recommended


def test_a_tier_of_the_leads_own_type_is_never_flagged_as_an_alternative() -> None:
    assert not evaluate(ENTERPRISE_MVP, budget_usd=D(300_000), team_size=20).alternative


def test_a_tier_whose_service_type_a_disqualifier_blocks_is_never_recommended() -> None:
    evaluation = evaluate(STARTUP_MVP, blocked_service_types=frozenset({MVP}))
    assert evaluation.compatibility == D("1.00")
    assert (evaluation.recommended, evaluation.blocked, evaluation.verdict) == (False, True, VERDICT_BLOCKED)
    assert evaluation.verdict_reason == "Not recommended: a disqualifier of this lead blocks mvp development."


def test_a_blocked_service_type_is_not_offered_as_an_alternative_either() -> None:
    evaluation = evaluate(TEAM_AUGMENTATION, blocked_service_types=frozenset({AUGMENTATION}))
    assert evaluation.blocked
    assert not evaluation.recommended
    assert not evaluation.alternative


def test_blocking_another_service_type_leaves_this_tier_alone() -> None:
    evaluation = evaluate(STARTUP_MVP, blocked_service_types=frozenset({LEGACY, AUGMENTATION}))
    assert evaluation.recommended
    assert not evaluation.blocked


def test_a_retired_tier_is_never_recommended_even_at_full_compatibility() -> None:
    retired = dataclasses.replace(STARTUP_MVP, retired=True)
    evaluation = evaluate(retired)
    assert evaluation.compatibility == D("1.00")
    assert (evaluation.recommended, evaluation.verdict) == (False, VERDICT_RETIRED)
    assert evaluation.verdict_reason == "Not recommended: Startup MVP is retired and no longer offered."


# Recommending among tiers


def test_recommend_tiers_returns_only_recommended_tiers_best_first() -> None:
    profile = lead(budget_usd=D(180_000), team_size=10)
    recommended = recommend_tiers(profile, DEFAULT_TIERS, DEFAULT_CONFIG)
    assert [(e.tier.slug, e.compatibility, e.alternative) for e in recommended] == [
        ("startup-mvp", D("1.00"), False),
        ("enterprise-mvp", D("0.85"), False),
        ("team-augmentation", D("0.70"), True),
    ]


def test_equal_compatibility_puts_the_tier_with_the_lower_price_first() -> None:
    # Startup misses complexity, Enterprise misses compliance: both 0.85.
    profile = lead(budget_usd=D(180_000), team_size=10, complexity="high")
    recommended = recommend_tiers(profile, (ENTERPRISE_MVP, STARTUP_MVP), DEFAULT_CONFIG)
    assert [(e.tier.slug, e.compatibility) for e in recommended] == [
        ("startup-mvp", D("0.85")),
        ("enterprise-mvp", D("0.85")),
    ]


def test_recommend_tiers_leaves_out_blocked_retired_and_weak_tiers() -> None:
    tiers = (
        dataclasses.replace(STARTUP_MVP, retired=True),
        ENTERPRISE_MVP,
        LEGACY_MODERNIZATION,
        TEAM_AUGMENTATION,
    )
    # Enterprise MVP misses team, complexity and compliance: 0.55.
    profile = lead(budget_usd=D(180_000), complexity="low", blocked_service_types=frozenset({AUGMENTATION}))
    assert recommend_tiers(profile, tiers, DEFAULT_CONFIG) == ()


def test_evaluate_all_shows_every_tier_with_recommended_ones_first_and_a_reason_for_the_rest() -> None:
    profile = lead(budget_usd=D(180_000), team_size=10, blocked_service_types=frozenset({AUGMENTATION}))
    evaluations = evaluate_all(profile, DEFAULT_TIERS, DEFAULT_CONFIG)
    assert [(e.tier.slug, e.verdict) for e in evaluations] == [
        ("startup-mvp", VERDICT_RECOMMENDED),
        ("enterprise-mvp", VERDICT_RECOMMENDED),
        ("team-augmentation", VERDICT_BLOCKED),
        ("legacy-modernization-accelerated", VERDICT_BELOW_CUT),
    ]
    assert all(e.verdict_reason.startswith("Not recommended") for e in evaluations[2:])


# Price


@pytest.mark.parametrize(
    ("tier", "complexity", "expected"),
    [
        (STARTUP_MVP, "low", 90_000),
        (STARTUP_MVP, "medium", 109_000),  # 75,000 + 33,750 = 108,750
        (STARTUP_MVP, "high", 128_000),  # 127,500, half up
        (STARTUP_MVP, "very_high", 143_000),  # 142,500, half up (half-even would say 142,000)
        (ENTERPRISE_MVP, "low", 260_000),
        (ENTERPRISE_MVP, "medium", 335_000),
        (ENTERPRISE_MVP, "high", 410_000),
        (ENTERPRISE_MVP, "very_high", 470_000),
        (LEGACY_MODERNIZATION, "low", 390_000),
        (LEGACY_MODERNIZATION, "medium", 503_000),  # 502,500, half up (half-even would say 502,000)
        (LEGACY_MODERNIZATION, "high", 615_000),
        (LEGACY_MODERNIZATION, "very_high", 705_000),
        (TEAM_AUGMENTATION, "low", 72_000),
        (TEAM_AUGMENTATION, "medium", 112_000),
        (TEAM_AUGMENTATION, "high", 152_000),
        (TEAM_AUGMENTATION, "very_high", 184_000),
    ],
)
def test_price_places_each_complexity_at_its_position_in_the_tiers_range(
    tier: TierSpec, complexity: str, expected: int
) -> None:
    assert price(tier, complexity=complexity) == D(expected)


def test_startup_mvp_medium_breakdown_shows_each_step_to_109000() -> None:
    quote = quote_price(lead(), STARTUP_MVP, DEFAULT_CONFIG)
    assert [(line.label, line.amount) for line in quote.breakdown] == [
        ("Tier minimum", D(75_000)),
        ("Complexity medium: 45% of the $75,000 range", D(33_750)),
        ("Rounded to the nearest $1,000", D(250)),
    ]
    assert quote.unclamped == D(108_750)
    assert quote.price == D(109_000)


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [(0, 90_000), (10, 90_000), (11, 92_000), (20, 105_000)],  # 11: 91,500 half up
)
def test_each_requirement_beyond_ten_adds_two_percent_of_the_range(requirements: int, expected: int) -> None:
    assert price(STARTUP_MVP, complexity="low", requirements_count=requirements) == D(expected)


def test_requirements_beyond_the_threshold_get_their_own_breakdown_line() -> None:
    quote = quote_price(lead(complexity="low", requirements_count=11), STARTUP_MVP, DEFAULT_CONFIG)
    assert ("1 requirement beyond 10: 2% of the range each", D(1_500)) in [
        (line.label, line.amount) for line in quote.breakdown
    ]


def test_no_requirement_or_integration_line_appears_when_they_add_nothing() -> None:
    quote = quote_price(lead(requirements_count=10), STARTUP_MVP, DEFAULT_CONFIG)
    assert not [line for line in quote.breakdown if "requirement" in line.label or "integration" in line.label]


@pytest.mark.parametrize(
    ("integrations", "expected"),
    [(0, 90_000), (1, 92_000), (2, 95_000), (4, 99_000)],  # 92,250 down; 94,500 half up; 99,000 exact
)
def test_each_integration_adds_three_percent_of_the_range(integrations: int, expected: int) -> None:
    assert price(STARTUP_MVP, complexity="low", integrations_count=integrations) == D(expected)


def test_integrations_get_their_own_breakdown_line() -> None:
    quote = quote_price(lead(complexity="low", integrations_count=2), STARTUP_MVP, DEFAULT_CONFIG)
    assert ("2 integrations: 3% of the range each", D(4_500)) in [(line.label, line.amount) for line in quote.breakdown]


def test_requirements_and_integrations_add_together() -> None:
    # 200,000 + 300,000 x (0.45 + 0.02 x 5 + 0.03 x 3) = 392,000
    assert price(ENTERPRISE_MVP, requirements_count=15, integrations_count=3) == D(392_000)


def test_a_price_above_the_tier_maximum_is_capped_with_a_clamp_line() -> None:
    # 75,000 + 67,500 + 15,000 = 157,500, capped at 150,000; already a round number.
    quote = quote_price(lead(complexity="very_high", requirements_count=20), STARTUP_MVP, DEFAULT_CONFIG)
    assert quote.unclamped == D(157_500)
    assert quote.price == D(150_000)
    assert (quote.breakdown[-1].label, quote.breakdown[-1].amount) == (
        "Capped at the tier maximum $150,000",
        -7_500,
    )


def test_a_clamped_price_that_is_not_round_gets_both_a_clamp_and_a_rounding_line() -> None:
    tier = dataclasses.replace(STARTUP_MVP, price_max=D(150_400))
    quote = quote_price(lead(complexity="very_high", requirements_count=20), tier, DEFAULT_CONFIG)
    assert [line.label for line in quote.breakdown[-2:]] == [
        "Capped at the tier maximum $150,400",
        "Rounded to the nearest $1,000",
    ]
    assert quote.breakdown[-1].amount == D(-400)
    assert quote.price == D(150_000)


def test_a_price_below_the_tier_minimum_is_raised_to_it() -> None:
    # Only a misconfigured negative position can get here; the clamp still holds the floor.
    config = dataclasses.replace(DEFAULT_CONFIG, complexity_positions={"low": D("-0.1")})
    quote = quote_price(lead(complexity="low"), STARTUP_MVP, config)
    assert quote.price == D(75_000)
    assert quote.breakdown[-1].label == "Raised to the tier minimum $75,000"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("108499.99", 108_000), ("108500", 109_000), ("108500.01", 109_000), ("500", 1_000), ("499", 0)],
)
def test_round_to_step_rounds_to_the_nearest_thousand_with_halves_up(amount: str, expected: int) -> None:
    assert round_to_step(D(amount), D(1000)) == D(expected)


def test_the_price_rounding_step_comes_from_the_configuration() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, price_rounding_step=D(5000))
    assert quote_price(lead(), STARTUP_MVP, config).price == D(110_000)


@pytest.mark.parametrize("tier", DEFAULT_TIERS, ids=lambda t: t.slug)
def test_breakdown_lines_always_add_up_to_the_price_inside_the_tiers_range(tier: TierSpec) -> None:
    for complexity in ALL_COMPLEXITIES:
        for requirements in (0, 10, 11, 17, 20, 60):
            for integrations in (0, 1, 3, 9):
                profile = lead(complexity=complexity, requirements_count=requirements, integrations_count=integrations)
                quote = quote_price(profile, tier, DEFAULT_CONFIG)
                assert sum(line.amount for line in quote.breakdown) == quote.price
                assert tier.price_min <= quote.price <= tier.price_max


def test_breakdown_lines_are_whole_cents_and_still_add_up_when_the_range_is_odd() -> None:
    # A 75,001 range: 45% is 33,750.45 and 2% is 1,500.02 (1,500.0200 before rounding to the cent).
    tier = dataclasses.replace(STARTUP_MVP, price_max=D(150_001))
    quote = quote_price(lead(requirements_count=11), tier, DEFAULT_CONFIG)
    assert [line.amount for line in quote.breakdown] == [
        D(75_000),
        D("33750.45"),
        D("1500.02"),
        D("-250.47"),
    ]
    assert all(line.amount == line.amount.quantize(D("0.01")) for line in quote.breakdown)
    assert quote.price == D(110_000)


def test_an_unconfigured_complexity_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="No complexity position is configured for 'extreme'"):
        quote_price(lead(complexity="extreme"), STARTUP_MVP, DEFAULT_CONFIG)


# Timeline


@pytest.mark.parametrize(
    ("estimate", "weeks"),
    [("2", 4), ("3.5", 4), ("4", 4), ("4.1", 5), ("5", 5), ("7.01", 8), ("8", 8), ("8.1", 8), ("12", 8)],
)
def test_timeline_rounds_the_estimate_up_and_clamps_it_to_the_tiers_weeks(estimate: str, weeks: int) -> None:
    assert estimate_timeline(D(estimate), STARTUP_MVP).weeks == weeks


def test_timeline_reason_says_when_the_tier_raised_or_capped_the_estimate() -> None:
    assert estimate_timeline(D("2.4"), STARTUP_MVP).reason == (
        "Estimated 2.4 weeks, rounded up to 3, raised to the tier's minimum of 4–8 weeks."
    )
    assert estimate_timeline(D("9.6"), STARTUP_MVP).reason == (
        "Estimated 9.6 weeks, rounded up to 10, capped at the tier's maximum of 4–8 weeks."
    )
    assert estimate_timeline(D("5.2"), STARTUP_MVP).reason == (
        "Estimated 5.2 weeks, rounded up to 6, within the tier's 4–8 weeks."
    )


def test_evaluation_carries_the_price_and_timeline_for_the_lead() -> None:
    evaluation = evaluate(ENTERPRISE_MVP, estimated_weeks=D("13.2"))
    assert (evaluation.price, evaluation.timeline_weeks) == (D(335_000), 12)
    assert sum(line.amount for line in evaluation.breakdown) == evaluation.price


# Guarantee amount


@pytest.mark.parametrize(
    ("tier", "agreed", "amount"),
    [
        (STARTUP_MVP, 120_000, 120_000),
        (STARTUP_MVP, 150_000, 150_000),
        (STARTUP_MVP, 150_001, 150_000),
        (TEAM_AUGMENTATION, 180_000, 100_000),
    ],
)
def test_guarantee_amount_is_the_agreed_price_capped_at_the_refund_cap(
    tier: TierSpec, agreed: int, amount: int
) -> None:
    assert guarantee_amount(D(agreed), tier) == D(amount)


# Reasoning


def test_reasoning_gives_one_sentence_per_criterion_then_the_verdict() -> None:
    evaluation = evaluate(STARTUP_MVP, team_size=12)
    assert evaluation.reasoning == (
        "Service type mvp development matches the tier.",
        "Budget $100,000 is within the ideal $50,000–$200,000.",
        "Team of 12 is above the ideal 1–10.",
        "Complexity medium is one of the ideal low, medium.",
        "No compliance regime, as the tier suits leads without any.",
        "Recommended: compatibility 0.85 reaches 0.60.",
    )


def test_summary_counts_the_criteria_and_names_what_was_met_and_missed() -> None:
    summary = evaluate(STARTUP_MVP, team_size=12).summary
    assert summary.startswith("Startup MVP meets 4 of 5 ideal criteria (compatibility 0.85). Met: Service type")
    assert "Missed: Team of 12 is above the ideal 1–10." in summary
    assert summary.endswith("Recommended: compatibility 0.85 reaches 0.60.")


def test_summary_of_a_perfect_fit_has_nothing_missed() -> None:
    assert "Missed" not in evaluate(STARTUP_MVP).summary


@pytest.mark.parametrize(
    ("amount", "text"),
    [("120000", "$120,000"), ("1234.5", "$1,234.50"), ("-7500", "-$7,500"), ("0", "$0")],
)
def test_money_is_written_in_dollars_with_cents_only_when_present(amount: str, text: str) -> None:
    assert format_money(D(amount)) == text


# Configuration guards


@pytest.mark.parametrize(
    "changes",
    [
        {"price_min": D(200_000)},
        {"weeks_min": 9},
        {"budget_max": D(10_000)},
        {"team_max": 0},
        {"compliance_rule": "sometimes"},
    ],
)
def test_an_inconsistent_tier_is_rejected(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="startup-mvp"):
        dataclasses.replace(STARTUP_MVP, **changes)


def test_a_non_positive_rounding_step_is_rejected() -> None:
    with pytest.raises(ValueError, match="price_rounding_step"):
        dataclasses.replace(DEFAULT_CONFIG, price_rounding_step=D(0))


def test_the_configured_complexity_positions_cannot_be_changed_afterwards() -> None:
    positions = {"low": D("0.2")}
    config = dataclasses.replace(DEFAULT_CONFIG, complexity_positions=positions)
    positions["low"] = D("0.9")
    assert config.complexity_positions["low"] == D("0.2")
    with pytest.raises(TypeError):
        config.complexity_positions["low"] = D("0.9")  # type: ignore[index]


@pytest.mark.parametrize("field", ["team_size", "requirements_count", "integrations_count"])
def test_a_lead_with_a_negative_count_is_rejected(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        lead(**{field: -1})
