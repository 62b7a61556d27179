"""Quality gates, pure rules: every gate at its boundary, the weight sharing, the escalation, the process measures."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal as D

import pytest

from apps.projects import quality
from apps.projects.quality import DueWeek, Escalation, GateConfig, GateRule, Request

SEED = importlib.import_module("apps.projects.migrations.0006_seed_quality_gates")


def config(**overrides) -> GateConfig:
    """The seeded defaults (DOMAIN section 5), built from the seed migration itself."""
    values = {
        "gates": tuple(GateRule(key, D(t), direction, text) for key, direction, t, text in SEED.GATES),
        "weights": {"code": D("0.4"), "delivery": D("0.3"), "process": D("0.3")},
        "escalate_below": D(80),
        "escalate_failed_over": 2,
        "version": 7,
    }
    values.update(overrides)
    return GateConfig(**values)


PASSING = {
    "coverage_percent": D(100),
    "cyclomatic_complexity": D(1),
    "maintainability": D(10),
    "high_critical_vulnerabilities": D(0),
    "performance_p95_score": D(100),
    "requirements_traceability": D(100),
    "acceptance_criteria_coverage": D(100),
    "stakeholder_approval": D(100),
    "documentation": D(100),
    "milestone_adherence": D(100),
    "responsiveness": D(100),
    "escalation_resolution_hours": D(1),
    "satisfaction": D(10),
}
# gate, threshold (exactly at it passes), just past it (fails)
BOUNDARIES = [
    ("coverage_percent", "95", "94.99"),
    ("cyclomatic_complexity", "10", "10.01"),
    ("maintainability", "8.5", "8.49"),
    ("high_critical_vulnerabilities", "0", "1"),
    ("performance_p95_score", "95", "94.99"),
    ("requirements_traceability", "100", "99.99"),
    ("acceptance_criteria_coverage", "100", "99.99"),
    ("stakeholder_approval", "85", "84.99"),
    ("documentation", "90", "89.99"),
    ("milestone_adherence", "90", "89.9"),
    ("responsiveness", "95", "94.9"),
    ("escalation_resolution_hours", "24", "24.1"),
    ("satisfaction", "8.0", "7.9"),
]


def gate(result: quality.RunResult, key: str) -> quality.GateResult:
    return next(g for g in result.gates if g.key == key)


def test_the_seed_declares_every_gate_of_domain_section_5_once():
    assert [row[0] for row in SEED.GATES] == list(quality.METRICS)
    assert {row[0]: (row[1], D(row[2])) for row in SEED.GATES}["high_critical_vulnerabilities"] == ("at_most", D(0))


@pytest.mark.parametrize(("key", "at", "past"), BOUNDARIES)
def test_every_gate_passes_exactly_at_its_threshold_and_fails_just_past_it(key, at, past):
    at_result = quality.evaluate(config(), {key: D(at)})
    past_result = quality.evaluate(config(), {key: D(past)})

    assert gate(at_result, key).passed is True
    assert gate(past_result, key).passed is False
    assert gate(past_result, key).threshold == D(at)
    assert past_result.recommendations[0][0] == key
    assert at_result.recommendations == ()


def test_a_gate_without_its_metric_is_not_checked_and_a_family_without_gates_has_no_score():
    result = quality.evaluate(config(), {"coverage_percent": D(96)})

    assert gate(result, "maintainability").passed is None
    code, delivery, process = result.families
    assert (code.score, code.checked, code.passed) == (D(100), 1, 1)
    assert delivery.score is None
    assert process.score is None
    assert result.checked == 1


def test_a_family_with_nothing_checked_shares_its_weight_with_the_others_in_proportion():
    # code 1 of 2 = 50, delivery 1 of 1 = 100, process nothing checked: weights 0.4 and 0.3 become 4/7 and 3/7
    values = {"coverage_percent": D(96), "maintainability": D(1), "documentation": D(95)}
    result = quality.evaluate(config(), values)

    code, delivery, process = result.families
    assert code.share == D("0.4") / D("0.7")
    assert delivery.share == D("0.3") / D("0.7")
    assert process.share is None
    assert result.comprehensive == D("71.4")  # (0.4 x 50 + 0.3 x 100) / 0.7 = 71.43


def test_only_one_family_checked_carries_the_whole_weight():
    result = quality.evaluate(config(), {"documentation": D(95), "stakeholder_approval": D(10)})

    assert result.comprehensive == D("50.0")
    assert result.families[1].share == 1


def test_comprehensive_weighs_all_three_families():
    values = {**PASSING, "coverage_percent": D(90), "documentation": D(50)}
    result = quality.evaluate(config(escalate_failed_over=5), values)

    # code 4/5 = 80, delivery 3/4 = 75, process 4/4 = 100 -> 0.4 x 80 + 0.3 x 75 + 0.3 x 100
    assert [f.score for f in result.families] == [D("80.0"), D("75.0"), D("100.0")]
    assert result.comprehensive == D("84.5")
    assert result.escalate is False
    assert [key for key, _ in result.recommendations] == ["coverage_percent", "documentation"]


def test_nothing_checked_gives_no_score_and_no_escalation():
    result = quality.evaluate(config(), {})

    assert result.comprehensive is None
    assert result.escalate is False
    assert result.checked == 0


def test_a_comprehensive_score_of_exactly_80_does_not_escalate_and_just_under_does():
    # code alone: 4 of 5 = 80.0 (one gate failed)
    at_80 = {**{k: PASSING[k] for k in quality.INPUT_METRICS[:5]}, "coverage_percent": D(1)}
    result = quality.evaluate(config(), at_80)
    assert (result.comprehensive, result.escalate) == (D("80.0"), False)

    # the same run against a floor of 80.1 escalates: the rounded score is compared, strictly below
    under = quality.evaluate(config(escalate_below=D("80.1")), at_80)
    assert under.escalate is True
    assert under.reasons == ("Comprehensive score 80.0 is under 80.1.",)


def test_a_comprehensive_score_under_80_escalates():
    values = {"coverage_percent": D(1), "maintainability": D(10), "cyclomatic_complexity": D(1), "documentation": D(95)}
    result = quality.evaluate(config(), values)

    # code 2/3 = 66.67, delivery 1/1 = 100: (0.4 x 66.67 + 0.3 x 100) / 0.7 = 80.95 -> no
    assert result.comprehensive == D("81.0")
    assert result.escalate is False
    result = quality.evaluate(config(), {**values, "documentation": D(1)})
    assert result.comprehensive == D("38.1")
    assert result.escalate is True


def test_two_failed_gates_do_not_escalate_by_count_and_three_do():
    lenient = config(escalate_below=D(0))
    two = {**PASSING, "coverage_percent": D(1), "documentation": D(1)}
    three = {**two, "satisfaction": D(1)}

    assert quality.evaluate(lenient, two).escalate is False
    result = quality.evaluate(lenient, three)
    assert result.escalate is True
    assert result.failed == 3
    assert result.reasons == ("3 gates failed (more than 2).",)
    assert [key for key, _ in result.recommendations] == ["coverage_percent", "documentation", "satisfaction"]


def test_recommendations_carry_the_configured_text():
    result = quality.evaluate(config(), {"cyclomatic_complexity": D(11)})

    assert result.recommendations == (
        ("cyclomatic_complexity", dict((r[0], r[3]) for r in SEED.GATES)["cyclomatic_complexity"]),
    )
    assert result.version == 7


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("coverage_percent", "100.01", "Enter a number from 0 to 100."),
        ("coverage_percent", "-1", "Enter a number from 0 to 100."),
        ("maintainability", "11", "Enter a number from 0 to 10."),
        ("high_critical_vulnerabilities", "1.5", "Enter a whole number."),
        ("documentation", "NaN", "Enter a finite number."),
        ("coverage_percent", "100", ""),
        ("cyclomatic_complexity", "0", ""),
    ],
)
def test_each_metric_refuses_values_out_of_its_range(key, value, message):
    assert quality.check_metric(key, D(value)) == message


def test_milestone_adherence_counts_weeks_past_due_signed_off_on_or_before_the_due_date():
    today = date(2026, 3, 30)
    weeks = [
        DueWeek("Week 1", date(2026, 3, 7), date(2026, 3, 7)),  # on the due date: on time
        DueWeek("Week 2", date(2026, 3, 14), date(2026, 3, 15)),  # a day late
        DueWeek("Week 3", date(2026, 3, 21), None),  # never signed off
        DueWeek("Week 4", date(2026, 3, 30), None),  # due today: not yet counted
    ]
    measure = quality.milestone_adherence(weeks, today)

    assert (measure.value, measure.numerator, measure.denominator) == (D("33.3"), D(1), 3)
    assert measure.records[0] == "Week 1: due 07 Mar 2026, signed off 07 Mar 2026 (on time)"
    assert "not signed off (late)" in measure.records[2]
    assert quality.milestone_adherence(weeks[3:], today).value is None


def test_responsiveness_counts_answered_and_overdue_requests_and_waits_for_pending_ones():
    today = date(2026, 3, 20)
    requests = [
        Request("Sign-off of week 1", date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 9)),  # at the deadline
        Request("Escalation of week 2", date(2026, 3, 15), date(2026, 3, 17), date(2026, 3, 18)),  # late
        Request("Sign-off of week 2", date(2026, 3, 10), date(2026, 3, 12), None),  # overdue, unanswered
        Request("Sign-off of week 3", date(2026, 3, 19), date(2026, 3, 23), None),  # pending: not counted
    ]
    measure = quality.responsiveness(requests, today)

    assert (measure.value, measure.denominator) == (D("33.3"), 3)
    assert len(measure.records) == 3


def test_escalation_resolution_is_the_mean_of_resolved_escalations():
    measure = quality.escalation_resolution(
        [Escalation("Week 2", D(10)), Escalation("Week 3", D("30.5")), Escalation("Week 4", None)]
    )

    assert measure.value == D("20.3")  # (10 + 30.5) / 2 = 20.25, rounded half-up
    assert measure.records[-1] == "Week 4: open"
    assert quality.escalation_resolution([Escalation("Week 4", None)]).value is None


def test_satisfaction_is_the_mean_survey_result_and_none_without_a_survey():
    assert quality.satisfaction([("Week 4", D("8.5")), ("Ext", D("7"))]).value == D("7.8")
    assert quality.satisfaction([]).value is None
