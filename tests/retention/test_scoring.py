"""Health, churn risk and strategy pinned against numbers worked by hand from DOMAIN.md section 6 (no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from apps.retention.calendar import add_working_days
from apps.retention.scoring import band_for, churn_risk, nps_value, score_health, strategy_for
from apps.retention.scoring_types import HealthInputs
from tests.retention.scoring_defaults import DEFAULTS, config

# A customer with data in every component except the quality-gate and support-rating parts.
FULL = HealthInputs(
    csat_scores=(8, 8, 7, 9),  # mean 8 -> 80
    nps_scores=(10, 9, 6, 8),  # 2 promoters, 1 detractor of 4: NPS 25 -> (25 + 100) / 2 = 62.5
    sentiment=7,  # 70
    stakeholders_with_login=2,
    active_days=6,  # 6 / 12 -> 50
    features_used=3,  # 3 / 6 -> 50
    touchpoints_30d=4,  # 4 / 8 -> 50
    touchpoints_ever=10,
    invited_90d=4,
    answered_90d=4,  # 100
    milestones_scored=4,
    milestones_succeeded=3,  # 75
    milestones_due=4,
    milestones_on_time=2,  # 50
    roi_achieved=D(80),
    business_impact=D(70),
    goals_met=D(60),  # 32 + 21 + 18 = 71
    has_sponsor_login=True,
    stakeholders_active=1,  # 1 / 2 -> 50
    sponsor_active=True,  # 100
    has_guarantee=True,
    failed_weeks=1,  # 100 - 25 = 75
    latest_nps=6,
    score_30d_ago=D("75.0"),
)


def _component(result, key):
    return next(c for c in result.components if c.key == key)


def _part(result, component, key):
    return next(p for p in _component(result, component).parts if p.key == key)


def test_full_customer_scores_as_worked_by_hand():
    result = score_health(FULL, DEFAULTS)
    # satisfaction: (0.4 x 80 + 0.3 x 62.5 + 0.1 x 70) / 0.8 = 57.75 / 0.8 = 72.1875 (support rating left out)
    assert _component(result, "satisfaction").score == D("72.1875")
    assert _component(result, "engagement").score == D(60)
    # project success: (0.4 x 75 + 0.3 x 50) / 0.7 = 64.2857... (no quality-gate run)
    assert round(_component(result, "project_success").score, 6) == D("64.285714")
    assert _component(result, "business_outcomes").score == D(71)
    assert _component(result, "relationship").score == D("72.5")
    # 18.046875 + 12 + 16.0714285714 + 14.2 + 7.25 = 67.568... -> 67.6
    assert result.score == D("67.6")
    assert result.band == "fair"
    assert result.components_with_data == 5
    assert result.trend_30d == D("-7.4")


def test_a_part_without_data_shares_its_weight_within_its_component():
    result = score_health(FULL, DEFAULTS)
    support = _part(result, "satisfaction", "support_rating")
    csat = _part(result, "satisfaction", "csat")
    assert support.value is None
    assert support.effective_weight == 0
    assert csat.weight == D("0.4")
    assert csat.effective_weight == D("0.5")
    assert "Support rating" in " ".join(result.missing)


def test_a_component_without_data_shares_its_weight_with_the_others():
    inputs = replace(FULL, sentiment=None, roi_achieved=None, business_impact=None, goals_met=None)
    result = score_health(inputs, DEFAULTS)
    outcomes = _component(result, "business_outcomes")
    assert outcomes.score is None
    assert outcomes.effective_weight == 0
    assert _component(result, "satisfaction").score == D("72.5")  # (32 + 18.75) / 0.7
    assert _component(result, "satisfaction").effective_weight == D("0.3125")  # 0.25 / 0.8
    # (0.25 x 72.5 + 0.2 x 60 + 0.25 x 64.2857 + 0.1 x 72.5) / 0.8 = 53.4464 / 0.8 = 66.808 -> 66.8
    assert result.score == D("66.8")
    assert result.components_with_data == 4


def test_no_component_with_data_gives_no_score():
    result = score_health(HealthInputs(), DEFAULTS)
    assert result.score is None
    assert result.band is None
    assert result.components_with_data == 0
    assert result.trend_30d is None
    factors = {f.key: f.points for f in result.churn.factors}
    assert factors == {"low_health": D(25), "falling_trend": 0, "open_escalation": 0, "detractor": 0, "inactive": D(10)}
    assert result.churn.score == D("35.0")
    assert result.strategy.key == "nurture"
    assert "No health score" in result.strategy.rule


def test_score_is_rounded_half_up_once_at_the_end():
    # 173 nines and 27 eights: mean 8.865 -> 88.65, half-up 88.7 (banker's rounding would give 88.6).
    inputs = HealthInputs(csat_scores=(9,) * 173 + (8,) * 27)
    assert score_health(inputs, DEFAULTS).score == D("88.7")


def test_band_compares_the_rounded_score():
    # 199 nines and one eight: mean 8.995 -> 89.95, rounded 90.0: excellent, not good.
    result = score_health(HealthInputs(csat_scores=(9,) * 199 + (8,)), DEFAULTS)
    assert (result.score, result.band) == (D("90.0"), "excellent")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("100", "excellent"),
        ("90.0", "excellent"),
        ("89.9", "good"),
        ("75.0", "good"),
        ("74.9", "fair"),
        ("60.0", "fair"),
        ("59.9", "at_risk"),
        ("40.0", "at_risk"),
        ("39.9", "critical"),
        ("0", "critical"),
    ],
)
def test_band_limits(score, band):
    assert band_for(D(score), DEFAULTS.bands) == band


def test_nps_is_promoters_minus_detractors():
    assert nps_value([10, 9, 8, 7, 6, 0], detractor_max=6, promoter_min=9) == 0
    assert nps_value([10, 10], detractor_max=6, promoter_min=9) == 100
    assert nps_value([6], detractor_max=6, promoter_min=9) == -100


def test_engagement_caps_at_the_targets():
    inputs = HealthInputs(
        stakeholders_with_login=1, active_days=20, features_used=6, touchpoints_30d=9, touchpoints_ever=9
    )
    result = score_health(inputs, DEFAULTS)
    assert _part(result, "engagement", "active_days").value == 100
    assert _part(result, "engagement", "touchpoints").value == 100
    assert _part(result, "engagement", "survey_response_rate").value is None


def test_open_escalations_floor_at_zero():
    inputs = HealthInputs(has_guarantee=True, failed_weeks=3, open_claims=2)
    assert _part(score_health(inputs, DEFAULTS), "relationship", "open_escalations").value == 0


def _churn(health, trend=None, **inputs):
    return churn_risk(health=health, trend_30d=trend, inputs=HealthInputs(**inputs), config=DEFAULTS)


def _points(result):
    return {f.key: f.points for f in result.factors}


def test_churn_low_health_carries_half_the_gap():
    result = _churn(D("67.6"), active_days=1)
    assert _points(result)["low_health"] == D("16.2")
    assert result.score == D("16.2")


def test_churn_falling_trend_counts_from_a_fall_of_five():
    assert _points(_churn(D(80), D("-5.0"), active_days=1))["falling_trend"] == 15
    assert _points(_churn(D(80), D("-4.9"), active_days=1))["falling_trend"] == 0
    assert _points(_churn(D(80), None, active_days=1))["falling_trend"] == 0


def test_churn_open_escalation_on_and_off():
    assert _points(_churn(D(80), open_claims=1, active_days=1))["open_escalation"] == 15
    assert _points(_churn(D(80), failed_weeks=2, active_days=1))["open_escalation"] == 15
    assert _points(_churn(D(80), active_days=1))["open_escalation"] == 0


def test_churn_detractor_is_the_latest_nps_answer():
    assert _points(_churn(D(80), latest_nps=6, active_days=1))["detractor"] == 10
    assert _points(_churn(D(80), latest_nps=7, active_days=1))["detractor"] == 0
    assert _points(_churn(D(80), active_days=1))["detractor"] == 0


def test_churn_inactive_without_client_view_activity():
    assert _points(_churn(D(80), active_days=0))["inactive"] == 10
    assert _points(_churn(D(80), active_days=1))["inactive"] == 0


def test_churn_every_factor_listed_and_capped():
    result = _churn(D(0), D(-20), open_claims=1, latest_nps=0, active_days=0)
    assert [f.key for f in result.factors] == [
        "low_health",
        "falling_trend",
        "open_escalation",
        "detractor",
        "inactive",
    ]
    assert result.score == D(100)  # 50 + 15 + 15 + 10 + 10
    capped = churn_risk(
        health=D(0),
        trend_30d=D(-20),
        inputs=HealthInputs(open_claims=1, latest_nps=0),
        config=config(churn=replace(DEFAULTS.churn, cap=D(90))),
    )
    assert capped.score == D(90)


def _strategy(health, churn="0", escalations=0, potential=None, satisfaction=None):
    return strategy_for(
        health=None if health is None else D(health),
        churn=D(churn),
        escalations=escalations,
        potential=None if potential is None else D(potential),
        satisfaction=None if satisfaction is None else D(satisfaction),
        config=DEFAULTS,
    ).key


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("44.9",), "critical_intervention"),
        (("45.0",), "at_risk_recovery"),
        (("95", "80"), "critical_intervention"),
        (("95", "79.9"), "nurture"),
        (("64.9",), "at_risk_recovery"),
        (("65.0",), "improvement"),
        (("95", "0", 2), "at_risk_recovery"),
        (("95", "0", 1), "nurture"),
        (("84.9",), "improvement"),
        (("85.0",), "nurture"),
        (("90", "0", 0, "70", "85"), "expansion"),
        (("90", "0", 0, "69.9", "85"), "nurture"),
        (("90", "0", 0, "70", "84.9"), "nurture"),
        (("80", "0", 0, "100", "95"), "improvement"),  # improvement comes before expansion
        (("40", "90", 3), "critical_intervention"),  # the first rule wins
        ((None,), "nurture"),
        ((None, "80"), "critical_intervention"),
    ],
)
def test_strategy_first_match(args, expected):
    assert _strategy(*args) == expected


def test_full_customer_strategy_and_churn():
    result = score_health(FULL, DEFAULTS)
    # 0.5 x (100 - 67.6) = 16.2; trend -7.4 -> 15; one failed week -> 15; latest NPS 6 -> 10; active -> 0
    assert result.churn.score == D("56.2")
    assert result.strategy.key == "improvement"
    assert result.strategy.rule == "Health 67.6 is under 85."


def test_expansion_potential_and_opportunities():
    inputs = replace(
        FULL,
        csat_scores=(8, 9),
        signals=frozenset({"mvp_guarantee_succeeded", "team_growth"}),
        latest_project_value=D(100000),
    )
    result = score_health(inputs, DEFAULTS)
    mvp = next(o for o in result.opportunities if o.key == "mvp_enhancement")
    assert mvp.triggers_met == ("mvp_guarantee_succeeded", "satisfaction_at_least_8")
    assert mvp.qualified
    assert mvp.probability == D("0.7") * 2 / 3
    assert mvp.value == D(30000)
    assert result.expansion_potential == D("66.7")


def test_follow_up_due_in_two_working_days():
    from datetime import date

    assert add_working_days(date(2026, 12, 3), 2) == date(2026, 12, 7)  # Thursday -> Monday
    assert add_working_days(date(2026, 12, 5), 2) == date(2026, 12, 8)  # Saturday -> Tuesday
    assert add_working_days(date(2026, 12, 7), 2) == date(2026, 12, 9)
