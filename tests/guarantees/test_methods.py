"""The 15 validation methods: each rule at its edges, invalid evidence refused, the registry's shape.

Pure tests: no database marker, so an accidental query fails.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from apps.guarantees.methods import METHODS, MethodSettings, score_evidence
from apps.guarantees.methods.automated_testing import AutomatedTestingEvidence
from apps.guarantees.methods.automated_verification import AutomatedVerificationEvidence
from apps.guarantees.methods.performance_testing import PerformanceTestingEvidence
from apps.guarantees.methods.security_audit import SecurityAuditEvidence
from apps.guarantees.methods.technical_review import TechnicalReviewEvidence

D = Decimal
SETTINGS = MethodSettings.domain_defaults()


def score_of(key: str, **fields: object) -> Decimal:
    spec = METHODS[key]
    return spec.score(spec.evidence_class(**fields), SETTINGS).score


def parts_of(key: str, **fields: object) -> dict[str, Decimal]:
    spec = METHODS[key]
    return {part.label: part.value for part in spec.score(spec.evidence_class(**fields), SETTINGS).parts}


def test_registry_holds_the_fifteen_methods_of_the_domain() -> None:
    assert set(METHODS) == {
        "stakeholder_sign_off",
        "technical_review",
        "automated_verification",
        "stakeholder_feedback",
        "automated_testing",
        "integration_testing",
        "security_audit",
        "stakeholder_demo",
        "automated_quality_checks",
        "performance_testing",
        "user_testing",
        "deployment_verification",
        "documentation_review",
        "training_completion",
        "satisfaction_survey",
    }
    for key, spec in METHODS.items():
        assert spec.key == key
        assert dataclasses.is_dataclass(spec.evidence_class)
        assert spec.evidence_class.__dataclass_params__.frozen


def test_registry_says_who_supplies_evidence() -> None:
    assert METHODS["stakeholder_sign_off"].stakeholder_supplied
    assert METHODS["satisfaction_survey"].stakeholder_supplied
    assert not METHODS["technical_review"].stakeholder_supplied
    assert METHODS["automated_verification"].machine_allowed
    assert METHODS["automated_quality_checks"].machine_allowed
    assert not METHODS["stakeholder_feedback"].machine_allowed


@pytest.mark.parametrize(
    ("key", "fields", "expected"),
    [
        ("stakeholder_sign_off", {"approved": 4, "required": 4}, "100.0"),
        ("stakeholder_sign_off", {"approved": 2, "required": 3}, "66.7"),
        ("stakeholder_sign_off", {"approved": 0, "required": 3}, "0.0"),
        ("technical_review", {"reviewer": "Ana", "score": D("8.5"), "notes": "solid"}, "85.0"),
        ("technical_review", {"reviewer": "Ana", "score": 10}, "100.0"),
        ("technical_review", {"reviewer": "Ana", "score": 0}, "0.0"),
        ("automated_verification", {"checks": (("ci", True), ("lint", True), ("deploy", False))}, "66.7"),
        ("automated_verification", {"checks": (("ci", True),)}, "100.0"),
        ("stakeholder_feedback", {"ratings": (8, 9)}, "85.0"),
        ("stakeholder_feedback", {"ratings": (10, 10)}, "100.0"),
        ("stakeholder_feedback", {"ratings": (1,)}, "10.0"),
        ("automated_testing", {"coverage_percent": 80, "tests_passed": 45, "tests_total": 50}, "84.0"),
        ("automated_testing", {"coverage_percent": 100, "tests_passed": 10, "tests_total": 10}, "100.0"),
        ("automated_testing", {"coverage_percent": 0, "tests_passed": 0, "tests_total": 10}, "0.0"),
        (
            "integration_testing",
            {"endpoints_passing": 9, "endpoints_total": 10, "docs_published": True},
            "90.0",
        ),
        (
            "integration_testing",
            {"endpoints_passing": 9, "endpoints_total": 10, "docs_published": False},
            "81.0",
        ),
        (
            "integration_testing",
            {"endpoints_passing": 4, "endpoints_total": 4, "docs_published": False},
            "90.0",
        ),
        ("security_audit", {"critical": 0, "high": 0, "medium": 0, "low": 9}, "100.0"),
        ("security_audit", {"critical": 0, "high": 1, "medium": 2, "low": 3}, "65.0"),
        ("security_audit", {"critical": 1, "high": 2, "medium": 0, "low": 0}, "0.0"),
        (
            "stakeholder_demo",
            {"features_demonstrated": 3, "features_planned": 4, "confirmed_by": "Bo"},
            "75.0",
        ),
        (
            "stakeholder_demo",
            {"features_demonstrated": 5, "features_planned": 5, "confirmed_by": "Bo"},
            "100.0",
        ),
        ("automated_quality_checks", {"gates_passed": 7, "gates_total": 8}, "87.5"),
        ("automated_quality_checks", {"gates_passed": 0, "gates_total": 8}, "0.0"),
        ("user_testing", {"participants_approving": 9, "participants_total": 10}, "90.0"),
        ("documentation_review", {"checklist_done": 8, "checklist_total": 10}, "80.0"),
        ("documentation_review", {"checklist_done": 10, "checklist_total": 10}, "100.0"),
        (
            "training_completion",
            {"sessions_held": 4, "sessions_planned": 4, "attendance_percent": 90},
            "90.0",
        ),
        (
            "training_completion",
            {"sessions_held": 2, "sessions_planned": 4, "attendance_percent": 80},
            "40.0",
        ),
        (
            "training_completion",
            {"sessions_held": 6, "sessions_planned": 4, "attendance_percent": 100},
            "100.0",
        ),
        ("satisfaction_survey", {"score": 9, "response_rate_percent": 80}, "90.0"),
        ("satisfaction_survey", {"score": 9, "response_rate_percent": 100}, "90.0"),
        ("satisfaction_survey", {"score": 10, "response_rate_percent": 0}, "0.0"),
    ],
)
def test_each_method_scores_by_its_rule(key: str, fields: dict[str, object], expected: str) -> None:
    assert score_of(key, **fields) == D(expected)


def test_every_score_has_one_decimal_and_explains_itself() -> None:
    result = METHODS["stakeholder_sign_off"].score(METHODS["stakeholder_sign_off"].evidence_class(2, 3), SETTINGS)
    assert result.score.as_tuple().exponent == -1
    assert result.parts[-1] == ("Score", D("66.7"), "2 / 3 x 100")
    assert result.reason == "2 of 3 required approvers approved: 66.7."


def test_security_audit_with_two_critical_findings_scores_zero() -> None:
    assert score_of("security_audit", critical=2, high=0, medium=0, low=0) == D("0.0")


def test_security_audit_floors_at_zero_and_says_so() -> None:
    result = METHODS["security_audit"].score(SecurityAuditEvidence(3, 1, 4, 0), SETTINGS)
    assert result.score == D("0.0")
    assert result.parts[-1].note == "100 - 195, floored at 0"


def test_performance_faster_than_target_gives_every_part_full_marks() -> None:
    parts = parts_of(
        "performance_testing",
        avg_response_ms=120,
        target_response_ms=200,
        requests_per_second=900,
        target_rps=500,
        error_rate_percent=0,
        max_error_rate_percent=1,
    )
    assert (parts["Response"], parts["Throughput"], parts["Errors"], parts["Score"]) == (D(100),) * 4


def test_performance_exactly_at_every_target_scores_full_marks() -> None:
    fields = {
        "avg_response_ms": 200,
        "target_response_ms": 200,
        "requests_per_second": 500,
        "target_rps": 500,
    }
    assert score_of("performance_testing", **fields, error_rate_percent=1, max_error_rate_percent=1) == D("100.0")


def test_performance_halfway_short_on_each_target_scores_half() -> None:
    score = score_of(
        "performance_testing",
        avg_response_ms=300,
        target_response_ms=200,
        requests_per_second=250,
        target_rps=500,
        error_rate_percent=D("1.5"),
        max_error_rate_percent=1,
    )
    assert score == D("50.0")


def test_performance_response_twice_as_slow_as_target_floors_that_part_at_zero() -> None:
    parts = parts_of(
        "performance_testing",
        avg_response_ms=900,
        target_response_ms=200,
        requests_per_second=500,
        target_rps=500,
        error_rate_percent=5,
        max_error_rate_percent=1,
    )
    assert (parts["Response"], parts["Errors"], parts["Score"]) == (D(0), D(0), D("30.0"))


@pytest.mark.parametrize(("errors", "expected"), [(D(0), D(100)), (D("0.1"), D(0))])
def test_performance_with_zero_error_tolerance_is_all_or_nothing(errors: Decimal, expected: Decimal) -> None:
    evidence = PerformanceTestingEvidence(200, 200, 500, 500, errors, 0)
    parts = {p.label: p.value for p in METHODS["performance_testing"].score(evidence, SETTINGS).parts}
    assert parts["Errors"] == expected


@pytest.mark.parametrize(
    ("uptime", "done", "expected"),
    [
        # At or above the target the uptime part is 1 (capped), and the checklist share still applies.
        ("99.9", 10, "100.0"),
        ("100", 10, "100.0"),
        ("99.9", 0, "0.0"),
        ("99.95", 1, "10.0"),
        ("100", 9, "90.0"),
        # Under the target: 99.8 / 99.9 = 0.998998..., x 100 x share.
        ("99.8", 5, "49.9"),
        ("99.8", 10, "99.9"),
        ("0", 10, "0.0"),
    ],
)
def test_deployment_is_capped_uptime_ratio_times_checklist_share(uptime: str, done: int, expected: str) -> None:
    fields = {"target_uptime_percent": D("99.9"), "checklist_done": done, "checklist_total": 10}
    assert score_of("deployment_verification", uptime_percent=D(uptime), **fields) == D(expected)


def test_survey_with_40_percent_response_rate_halves_the_score() -> None:
    assert score_of("satisfaction_survey", score=D("8.6"), response_rate_percent=40) == D("43.0")


def test_survey_full_response_rate_comes_from_settings() -> None:
    settings = dataclasses.replace(SETTINGS, survey_full_response_rate_percent=D(50))
    spec = METHODS["satisfaction_survey"]
    assert spec.score(spec.evidence_class(score=8, response_rate_percent=50), settings).score == D("80.0")


def test_testing_weights_come_from_settings() -> None:
    settings = dataclasses.replace(SETTINGS, testing_coverage_weight=D(1), testing_pass_rate_weight=D(0))
    evidence = AutomatedTestingEvidence(coverage_percent=D("72.5"), tests_passed=0, tests_total=3)
    assert score_evidence("automated_testing", evidence, settings).score == D("72.5")


def test_automated_verification_names_the_failed_checks() -> None:
    evidence = AutomatedVerificationEvidence(checks=[["ci", True], ["migrations", False]])
    result = score_evidence("automated_verification", evidence, SETTINGS)
    assert evidence.checks == (("ci", True), ("migrations", False))
    assert result.reason == "1 of 2 checks passed (failed: migrations): 50.0."
    assert result.parts[1] == ("migrations", D(0), "failed")


def test_evidence_numbers_arrive_as_decimals_whatever_the_input_type() -> None:
    evidence = TechnicalReviewEvidence(reviewer="Ana", score="7.25")
    assert evidence.score == D("7.25")
    assert isinstance(AutomatedTestingEvidence(82.5, 1, 1).coverage_percent, Decimal)
    assert score_evidence("technical_review", evidence, SETTINGS).score == D("72.5")


def test_evidence_is_frozen() -> None:
    evidence = SecurityAuditEvidence(0, 0, 0, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.critical = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("key", "fields", "message"),
    [
        ("stakeholder_sign_off", {"approved": 5, "required": 4}, "Approved (5) cannot exceed required (4)"),
        ("stakeholder_sign_off", {"approved": 0, "required": 0}, "Required must be at least 1"),
        ("stakeholder_sign_off", {"approved": -1, "required": 2}, "Approved cannot be negative"),
        ("technical_review", {"reviewer": "Ana", "score": D("10.5")}, "Score cannot be above 10"),
        ("technical_review", {"reviewer": " ", "score": 5}, "Reviewer is required"),
        ("technical_review", {"reviewer": "Ana", "score": "high"}, "Score must be a number"),
        ("technical_review", {"reviewer": "Ana", "score": float("nan")}, "Score must be a finite number"),
        ("automated_verification", {"checks": ()}, "At least one named check"),
        ("automated_verification", {"checks": (("ci", "false"),)}, "must be passed true or false"),
        ("automated_verification", {"checks": (("ci", True), ("ci", False))}, "repeated: ci"),
        ("stakeholder_feedback", {"ratings": ()}, "At least one rating"),
        ("stakeholder_feedback", {"ratings": (8, 11)}, "Rating 2 must be a number from 1 to 10"),
        ("stakeholder_feedback", {"ratings": (0,)}, "Rating 1 must be a number from 1 to 10"),
        ("automated_testing", {"coverage_percent": 101, "tests_passed": 1, "tests_total": 1}, "above 100"),
        ("automated_testing", {"coverage_percent": 5, "tests_passed": 11, "tests_total": 10}, "exceed"),
        ("automated_testing", {"coverage_percent": 50, "tests_passed": 0, "tests_total": 0}, "at least 1"),
        ("automated_testing", {"coverage_percent": 5, "tests_passed": 1.5, "tests_total": 2}, "whole number"),
        (
            "integration_testing",
            {"endpoints_passing": 1, "endpoints_total": 1, "docs_published": "yes"},
            "Docs published must be true or false",
        ),
        ("security_audit", {"critical": -1, "high": 0, "medium": 0, "low": 0}, "Critical cannot be negative"),
        (
            "stakeholder_demo",
            {"features_demonstrated": 1, "features_planned": 1, "confirmed_by": ""},
            "Confirmed by is required",
        ),
        ("automated_quality_checks", {"gates_passed": 3, "gates_total": 2}, "cannot exceed gates total"),
        (
            "stakeholder_demo",
            {"features_demonstrated": 9, "features_planned": 7, "confirmed_by": "Bo"},
            "Features demonstrated (9) cannot exceed features planned (7)",
        ),
        (
            "performance_testing",
            {
                "avg_response_ms": 100,
                "target_response_ms": 0,
                "requests_per_second": 1,
                "target_rps": 1,
                "error_rate_percent": 0,
                "max_error_rate_percent": 1,
            },
            "Target response ms must be above 0",
        ),
        (
            "performance_testing",
            {
                "avg_response_ms": -1,
                "target_response_ms": 1,
                "requests_per_second": 1,
                "target_rps": 1,
                "error_rate_percent": 0,
                "max_error_rate_percent": 1,
            },
            "Avg response ms cannot be below 0",
        ),
        ("user_testing", {"participants_approving": 3, "participants_total": 2}, "cannot exceed"),
        (
            "deployment_verification",
            {"uptime_percent": 100.1, "target_uptime_percent": 99.9, "checklist_done": 1, "checklist_total": 1},
            "Uptime percent cannot be above 100",
        ),
        ("documentation_review", {"checklist_done": 0, "checklist_total": 0}, "Checklist total must be at least 1"),
        (
            "training_completion",
            {"sessions_held": 1, "sessions_planned": 1, "attendance_percent": 120},
            "Attendance percent cannot be above 100",
        ),
        ("satisfaction_survey", {"score": D("0.5"), "response_rate_percent": 50}, "Score cannot be below 1"),
        ("satisfaction_survey", {"score": 8, "response_rate_percent": -5}, "Response rate percent cannot be below 0"),
    ],
)
def test_impossible_evidence_is_refused_with_a_clear_message(key: str, fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        METHODS[key].evidence_class(**fields)


def test_scoring_refuses_evidence_of_another_method() -> None:
    with pytest.raises(ValueError, match="Security audit needs SecurityAuditEvidence"):
        score_evidence("security_audit", TechnicalReviewEvidence("Ana", 5), SETTINGS)


def test_scoring_refuses_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="Unknown validation method 'vibes'"):
        score_evidence("vibes", TechnicalReviewEvidence("Ana", 5), SETTINGS)


def test_settings_whose_weights_do_not_sum_to_one_are_refused() -> None:
    with pytest.raises(ValueError, match="Performance testing weights must sum to 1"):
        dataclasses.replace(SETTINGS, performance_error_weight=D("0.5"))


def test_settings_refuse_a_zero_full_response_rate() -> None:
    with pytest.raises(ValueError, match="above 0%"):
        dataclasses.replace(SETTINGS, survey_full_response_rate_percent=D(0))
