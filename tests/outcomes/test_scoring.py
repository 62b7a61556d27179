"""Pure glue between the configuration and the final-validation rule: no database."""

from __future__ import annotations

from decimal import Decimal as D

from apps.outcomes import final_record as scoring
from apps.outcomes.final_record import Actual, CriterionConfig, Settings

MVP = [
    CriterionConfig("weekly-milestones", "Weekly milestones", D("0.4"), D("100"), scoring.MILESTONE_MEAN, "points"),
    CriterionConfig(
        "test-coverage", "Test coverage", D("0.3"), D("95"), scoring.EVIDENCE, "%", False, "automated_testing", "c"
    ),
    CriterionConfig(
        "satisfaction", "Satisfaction", D("0.3"), D("8.5"), scoring.EVIDENCE, "/10", False, "survey", "score", True
    ),
]
SETTINGS = Settings(version=3, case_study_min_score=D("95"), case_study_min_satisfaction=D("9"))


def _actuals(milestones=D("92"), coverage=D("96"), satisfaction=D("9.2")) -> list[Actual]:
    return [
        Actual("weekly-milestones", milestones, "mean"),
        Actual("test-coverage", coverage, "W2 evidence v1", {"evidence_id": 7, "version": 1}),
        Actual("satisfaction", satisfaction, "W4 evidence v2", {"evidence_id": 9, "version": 2}),
    ]


def test_the_mean_of_weekly_scores_counts_a_week_never_scored_as_zero():
    actual = scoring.milestone_mean_actual("weekly-milestones", [(1, D("90")), (2, D("80")), (3, None), (4, D("70"))])
    assert actual.value == D("60")
    assert "W3 not scored (0)" in actual.source
    assert actual.evidence["weeks"][2] == {"week": 3, "score": None}


def test_a_guarantee_without_weeks_has_no_milestone_figure():
    assert scoring.milestone_mean_actual("weekly-milestones", []).value is None


def test_mvp_above_the_threshold_succeeds_and_lists_what_beat_the_target():
    result = scoring.evaluate(MVP, _actuals(), D("80"), SETTINGS)
    assert result.outcome.value == "succeeded"
    # 0.4 x 92 + 0.3 x 100 (capped) + 0.3 x 100 (capped) = 96.8
    assert result.score == D("96.8")
    parts = scoring.achievements_parts(MVP, result)
    assert [(p["key"], p["margin"], p["unit"]) for p in parts] == [
        ("test-coverage", "1.0", "%"),
        ("satisfaction", "0.7", "/10"),
    ]
    assert result.case_study_candidate is True


def test_a_low_score_is_claim_eligible_and_never_a_case_study():
    result = scoring.evaluate(MVP, _actuals(milestones=D("50"), coverage=D("60")), D("80"), SETTINGS)
    assert result.outcome.value == "claim_eligible"
    assert result.case_study_candidate is False


def test_a_missing_figure_scores_zero_and_says_no_data():
    actuals = [a for a in _actuals() if a.key != "test-coverage"]
    result = scoring.evaluate(MVP, actuals, D("80"), SETTINGS)
    parts = scoring.criteria_parts(MVP, actuals, result)
    coverage = next(p for p in parts if p["key"] == "test-coverage")
    assert coverage["actual"] is None
    assert coverage["achievement"] == "0.0"
    assert coverage["reason"] == "no data"


def test_stored_parts_keep_target_actual_achievement_and_the_evidence_reference():
    actuals = _actuals()
    result = scoring.evaluate(MVP, actuals, D("80"), SETTINGS)
    part = scoring.criteria_parts(MVP, actuals, result)[1]
    assert part == {
        "key": "test-coverage",
        "label": "Test coverage",
        "weight": "0.3",
        "target": "95",
        "unit": "%",
        "source_kind": "evidence",
        "lower_is_better": False,
        "actual": "96.0",
        "achievement": "100.0",
        "contribution": "30.0",
        "reason": part["reason"],
        "source": "W2 evidence v1",
        "evidence": {"evidence_id": 7, "version": 1},
    }


def test_the_inputs_hash_is_stable_for_the_same_inputs_and_changes_with_any_of_them():
    def digest(actuals, threshold=D("80"), settings=SETTINGS):
        return scoring.inputs_hash(round_number=1, threshold=threshold, configs=MVP, actuals=actuals, settings=settings)

    base = digest(_actuals())
    assert base == digest(list(reversed(_actuals())))
    assert base != digest(_actuals(coverage=D("96.5")))
    assert base != digest(_actuals(), threshold=D("85"))
    moved = [*_actuals()[:2], Actual("satisfaction", D("9.2"), "W4 evidence v3", {"evidence_id": 10, "version": 3})]
    assert base != digest(moved)


def test_missing_inputs_names_only_the_figures_the_csm_enters():
    configs = [
        CriterionConfig("perf", "Performance improvement", D("0.4"), D("50"), scoring.CSM_VALUE),
        CriterionConfig("vuln", "Vulnerability reduction", D("0.3"), D("90"), scoring.CSM_REDUCTION),
        CriterionConfig("satisfaction", "Satisfaction", D("0.3"), D("8.5"), scoring.EVIDENCE),
    ]
    actuals = [Actual("perf", D("55"), "report"), Actual("vuln", None, "not entered"), Actual("satisfaction", None, "")]
    assert scoring.missing_inputs(configs, actuals) == ["Vulnerability reduction"]
