"""Milestone scoring, recovery and escalation, final validation, sign-off order and the evidence digest.

Pure tests: no database marker, so an accidental query fails.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from apps.guarantees.methods.technical_review import TechnicalReviewEvidence
from apps.guarantees.scoring import (
    ActionText,
    Criterion,
    FinalCriterion,
    FinalOutcome,
    MilestoneResult,
    MilestoneStatus,
    can_sign_off,
    evidence_digest,
    final_validation,
    mean_milestone_score,
    recovery_actions,
    score_milestone,
    vulnerability_reduction_percent,
)

D = Decimal
DUE = date(2026, 3, 8)
BEFORE_DUE = date(2026, 3, 5)
AFTER_DUE = date(2026, 3, 9)


def milestone(*scores: str | None, weights: tuple[str, ...] = ("0.5", "0.5"), as_of: date = BEFORE_DUE):
    criteria = [
        Criterion(f"c{i}", f"Criterion {i}", D(w), None if s is None else D(s))
        for i, (w, s) in enumerate(zip(weights, scores, strict=True), 1)
    ]
    return score_milestone(criteria, D(85), D(70), DUE, as_of)


@pytest.mark.parametrize(
    ("scores", "expected_score", "status"),
    [
        (("85", "85"), "85.0", MilestoneStatus.SUCCESS),
        (("84.9", "84.9"), "84.9", MilestoneStatus.AT_RISK),
        (("70", "70"), "70.0", MilestoneStatus.AT_RISK),
        (("69.9", "69.9"), "69.9", MilestoneStatus.FAILED),
    ],
)
def test_milestone_status_at_the_threshold_edges(
    scores: tuple[str, str], expected_score: str, status: MilestoneStatus
) -> None:
    result = milestone(*scores)
    assert (result.score, result.status) == (D(expected_score), status)


def test_milestone_thresholds_compare_the_rounded_score() -> None:
    # 84.9 x 0.5 + 85 x 0.5 = 84.95 exactly, shown as 85.0, so it passes at 85.
    result = milestone("84.9", "85")
    assert (result.score, result.status) == (D("85.0"), MilestoneStatus.SUCCESS)


def test_milestone_is_pending_before_the_due_date_while_evidence_is_missing() -> None:
    result = milestone("100", None)
    assert result.status is MilestoneStatus.PENDING
    assert result.missing == ("c2",)
    assert result.score == D("50.0")
    assert result.reason == "Waiting for evidence on c2 (due 2026-03-08); 50.0 so far."


def test_milestone_is_still_pending_on_its_due_date() -> None:
    assert milestone("100", None, as_of=DUE).status is MilestoneStatus.PENDING


def test_milestone_after_its_due_date_scores_missing_evidence_as_zero() -> None:
    result = milestone("100", None, as_of=AFTER_DUE)
    assert (result.status, result.score) == (MilestoneStatus.FAILED, D("50.0"))
    assert result.criteria[1].contribution == 0
    assert "passed without evidence for c2: scored 0" in result.reason


def test_milestone_with_all_evidence_is_scored_before_its_due_date() -> None:
    assert milestone("90", "88").status is MilestoneStatus.SUCCESS


def test_milestone_reports_exact_contributions_and_complete_criteria() -> None:
    result = milestone("80", "79.9", "100", weights=("0.3", "0.3", "0.4"))
    assert [c.contribution for c in result.criteria] == [D("24.0"), D("23.97"), D("40.0")]
    assert [c.complete for c in result.criteria] == [True, False, True]
    assert result.score == D("88.0")
    assert result.criteria[1].reason == "79.9 x 0.3 = 23.97"


def test_weakest_criteria_are_ordered_by_lost_contribution() -> None:
    result = milestone("90", "50", "100", weights=("0.5", "0.2", "0.3"))
    assert [(c.key, c.lost) for c in result.weakest] == [("c2", D("10.0")), ("c1", D("5.0"))]


def test_domain_mvp_week_one_template_scores_as_the_weighted_sum() -> None:
    criteria = [
        Criterion("requirements", "Requirements analysis complete", D("0.3"), D("100.0")),
        Criterion("architecture", "System architecture designed", D("0.4"), D("85.0")),
        Criterion("environment", "Development environment set up", D("0.2"), D("66.7")),
        Criterion("communication", "Team communication established", D("0.1"), D("85.0")),
    ]
    result = score_milestone(criteria, D(85), D(70), DUE, BEFORE_DUE)
    # 30 + 34 + 13.34 + 8.5 = 85.84
    assert (result.score, result.status) == (D("85.8"), MilestoneStatus.SUCCESS)


def test_criteria_may_be_given_as_plain_tuples() -> None:
    criteria = [("a", "A", D("0.6"), D(90)), ("b", "B", D("0.4"), None)]
    assert score_milestone(criteria, D(85), D(70), DUE, AFTER_DUE).score == D("54.0")


def test_weights_not_summing_to_one_are_rejected() -> None:
    with pytest.raises(ValueError, match="Criterion weights must sum to 1"):
        milestone("90", "90", weights=("0.5", "0.4"))


def test_weights_within_a_thousandth_of_one_are_accepted() -> None:
    assert milestone("90", "90", "90", weights=("0.3333", "0.3333", "0.3333")).score == D("90.0")


@pytest.mark.parametrize(
    ("criteria", "pass_at", "escalate_at", "message"),
    [
        ([], 85, 70, "at least one criterion"),
        ([Criterion("a", "A", D("0.5"), None), Criterion("a", "A", D("0.5"), None)], 85, 70, "unique"),
        ([Criterion("a", "A", D(1), None)], 70, 85, "cannot be above the pass threshold"),
        ([Criterion("a", "A", D(1), None)], 101, 70, "Pass threshold cannot be above 100"),
    ],
)
def test_impossible_milestones_are_refused(
    criteria: list[Criterion], pass_at: int, escalate_at: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        score_milestone(criteria, D(pass_at), D(escalate_at), DUE, BEFORE_DUE)


def test_a_criterion_score_above_100_is_refused() -> None:
    with pytest.raises(ValueError, match="Score cannot be above 100"):
        Criterion("a", "A", D(1), D("100.1"))


RECOVERY = {
    "technical_review": ActionText("Re-review {criterion}", "Scored {score}; book a second review."),
    "security_audit": ActionText("Fix findings for {criterion}", "Weight {weight}; milestone at {milestone_score}."),
}
ESCALATION = (
    ActionText("Escalate to the CSM's lead", "Milestone scored {milestone_score} < {escalation_threshold}."),
    ActionText("Inform the customer's executive", "Agree a recovery plan."),
)
METHODS_OF = {"c1": "technical_review", "c2": "security_audit"}


def actions_for(result: MilestoneResult, **kwargs: object):
    return recovery_actions(result, METHODS_OF, RECOVERY, ESCALATION, **kwargs)


def test_at_risk_milestone_gets_recovery_actions_for_its_weakest_criteria() -> None:
    actions = actions_for(milestone("90", "75"))
    assert [(a.criterion_key, a.title) for a in actions] == [
        ("c2", "Fix findings for Criterion 2"),
        ("c1", "Re-review Criterion 1"),
    ]
    assert actions[0].detail == "Weight 0.5; milestone at 82.5."


def test_failed_milestone_escalates_first_then_recovers() -> None:
    actions = actions_for(milestone(None, "60", as_of=AFTER_DUE))
    assert [(a.criterion_key, a.title) for a in actions] == [
        (None, "Escalate to the CSM's lead"),
        (None, "Inform the customer's executive"),
        ("c1", "Re-review Criterion 1"),
        ("c2", "Fix findings for Criterion 2"),
    ]
    assert actions[0].detail == "Milestone scored 30.0 < 70."
    assert actions[2].detail == "Scored no evidence; book a second review."


def test_recovery_can_be_limited_to_the_weakest_few() -> None:
    assert [a.criterion_key for a in actions_for(milestone("90", "75"), limit=1)] == ["c2"]


@pytest.mark.parametrize("scores", [("90", "90"), ("90", None)])
def test_successful_or_pending_milestones_need_no_actions(scores: tuple[str | None, ...]) -> None:
    assert actions_for(milestone(*scores)) == ()


def test_recovery_without_configured_text_for_a_method_is_refused() -> None:
    with pytest.raises(ValueError, match="No recovery text configured for validation method 'security_audit'"):
        recovery_actions(milestone("90", "75"), METHODS_OF, {}, ESCALATION)


def test_recovery_text_with_an_unknown_placeholder_is_refused() -> None:
    broken = {"technical_review": ActionText("{nope}", ""), "security_audit": ActionText("{nope}", "")}
    with pytest.raises(ValueError, match="unknown placeholder"):
        recovery_actions(milestone("90", "75"), METHODS_OF, broken, ESCALATION)


def mvp_final(milestones: str = "90", coverage: str | None = "96", satisfaction: str | None = "9.2", **kw):
    criteria = [
        FinalCriterion("milestones", "Weekly milestones", D("0.4"), D(100), D(milestones), source="mean of 4"),
        FinalCriterion("coverage", "Test coverage", D("0.3"), D(95), coverage and D(coverage)),
        FinalCriterion("satisfaction", "Satisfaction", D("0.3"), D("8.5"), satisfaction and D(satisfaction)),
    ]
    rules = {"satisfaction_key": "satisfaction", "case_study_score": D(95), "case_study_satisfaction": D(9)}
    return final_validation(criteria, kw.pop("threshold", D(85)), **(rules | kw))


def test_final_validation_caps_each_achievement_at_100() -> None:
    result = mvp_final()
    assert [r.achievement for r in result.criteria] == [D(90), D(100), D(100)]
    assert result.criteria[1].reason == "96 against target 95: 100.0% achieved, capped at 100"
    assert (result.score, result.outcome) == (D("96.0"), FinalOutcome.SUCCEEDED)


def test_final_validation_treats_missing_data_as_zero() -> None:
    result = mvp_final(coverage=None)
    assert (result.criteria[1].achievement, result.criteria[1].reason) == (D(0), "no data")
    assert (result.score, result.outcome) == (D("66.0"), FinalOutcome.CLAIM_ELIGIBLE)


@pytest.mark.parametrize(
    ("milestones", "outcome"), [("62.5", FinalOutcome.SUCCEEDED), ("62.25", FinalOutcome.CLAIM_ELIGIBLE)]
)
def test_final_outcome_at_and_just_below_the_threshold(milestones: str, outcome: FinalOutcome) -> None:
    # 0.4 x 62.5 + 30 + 30 = 85.0 exactly; 62.25 gives 84.9.
    assert mvp_final(milestones).outcome is outcome


@pytest.mark.parametrize(("actual", "achievement"), [("250", D(80)), ("200", D(100)), ("100", D(100)), ("0", D(100))])
def test_lower_is_better_inverts_the_ratio(actual: str, achievement: Decimal) -> None:
    criterion = FinalCriterion("latency", "Latency", D(1), D(200), D(actual), lower_is_better=True)
    result = final_validation([criterion], D(85), satisfaction_key="x", case_study_score=95, case_study_satisfaction=9)
    assert result.criteria[0].achievement == achievement


def test_a_regression_floors_its_achievement_at_zero() -> None:
    criterion = FinalCriterion("perf", "Performance improvement", D(1), D(50), D(-10))
    result = final_validation([criterion], D(85), satisfaction_key="x", case_study_score=95, case_study_satisfaction=9)
    assert result.score == D("0.0")
    assert result.criteria[0].reason.endswith("floored at 0")


def test_achievements_list_criteria_that_beat_their_target_with_the_margin() -> None:
    criteria = [
        FinalCriterion("coverage", "Coverage", D("0.5"), D(95), D("97.5")),
        FinalCriterion("latency", "Latency", D("0.25"), D(200), D(150), lower_is_better=True),
        FinalCriterion("satisfaction", "Satisfaction", D("0.25"), D("8.5"), D("8.5")),
    ]
    result = final_validation(
        criteria, D(85), satisfaction_key="satisfaction", case_study_score=95, case_study_satisfaction=9
    )
    assert [(a.key, a.margin) for a in result.achievements] == [("coverage", D("2.5")), ("latency", D(50))]


@pytest.mark.parametrize(
    ("milestones", "satisfaction", "candidate"),
    [("90", "9.0", True), ("90", "8.9", False), ("87.25", "9.5", False), ("90", None, False)],
)
def test_case_study_needs_a_high_score_and_high_satisfaction(
    milestones: str, satisfaction: str | None, candidate: bool
) -> None:
    # 87.25 x 0.4 + 60 = 94.9: just below the case-study score.
    assert mvp_final(milestones, satisfaction=satisfaction).case_study_candidate is candidate


def test_final_weights_not_summing_to_one_are_rejected() -> None:
    criterion = FinalCriterion("a", "A", D("0.9"), D(1), D(1))
    with pytest.raises(ValueError, match="Final criterion weights must sum to 1"):
        final_validation([criterion], D(85), satisfaction_key="a", case_study_score=95, case_study_satisfaction=9)


def test_final_criterion_needs_a_positive_target() -> None:
    with pytest.raises(ValueError, match="Target of A must be above 0"):
        FinalCriterion("a", "A", D(1), D(0), D(1))


def test_vulnerability_reduction_is_the_share_removed_from_the_baseline() -> None:
    assert vulnerability_reduction_percent(20, 2) == D(90)
    assert vulnerability_reduction_percent(10, 15) == D(-50)


@pytest.mark.parametrize(("current", "expected"), [(0, D(100)), (1, D(0)), (7, D(0))])
def test_a_baseline_of_zero_is_fully_achieved_while_none_appear_and_not_at_all_once_one_does(current, expected) -> None:
    assert vulnerability_reduction_percent(0, current) == expected


def test_mean_milestone_score_averages_exactly_or_says_none() -> None:
    assert mean_milestone_score([D("80.0"), D("90.0"), D("85.0"), D("95.5")]) == D("87.625")
    assert mean_milestone_score([]) is None


def test_digest_is_stable_under_key_order_and_item_order() -> None:
    first = [{"kind": "review", "score": D("8.5"), "on": date(2026, 3, 2)}, {"a": 1, "b": [1, 2]}]
    second = [{"b": [1, 2], "a": 1}, {"on": date(2026, 3, 2), "score": D("8.5"), "kind": "review"}]
    assert evidence_digest(first) == evidence_digest(second)


def test_digest_is_sha256_of_compact_sorted_json_with_decimals_as_strings() -> None:
    expected = hashlib.sha256(b'[{"a":"2.50","b":true}]').hexdigest()
    assert evidence_digest([{"b": True, "a": D("2.50")}]) == expected


def test_digest_changes_when_the_evidence_changes() -> None:
    assert evidence_digest([{"score": D("8.5")}]) != evidence_digest([{"score": D("8.6")}])
    assert evidence_digest([{"checks": [1, 2]}]) != evidence_digest([{"checks": [2, 1]}])


def test_digest_accepts_evidence_dataclasses() -> None:
    evidence = TechnicalReviewEvidence("Ana", D("8.5"), "ok")
    assert evidence_digest([evidence]) == evidence_digest([{"notes": "ok", "reviewer": "Ana", "score": "8.5"}])


def test_digest_refuses_values_it_cannot_encode_canonically() -> None:
    with pytest.raises(TypeError, match="cannot encode"):
        evidence_digest([{"files": {1, 2}}])


def test_week_one_can_always_be_signed_off() -> None:
    assert can_sign_off(1, previous_weeks_closed=False) is None


def test_a_week_cannot_be_signed_off_before_the_previous_week_closes() -> None:
    assert can_sign_off(2, previous_weeks_closed=False) == "Week 2 cannot be signed off before week 1 is closed."
    assert can_sign_off(4, previous_weeks_closed=True) is None


def test_week_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="Week number"):
        can_sign_off(0, previous_weeks_closed=True)
