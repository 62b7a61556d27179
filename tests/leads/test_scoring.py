"""Pure tests of the lead-scoring rules (DOMAIN.md sections 1 and 2). No database: no django_db mark."""

from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from apps.leads.scoring.config import (
    AnswerChoice,
    ApproachConfig,
    CriterionConfig,
    QualificationConfig,
    ServiceTypeConfig,
)
from apps.leads.scoring.facts import Answers, LeadFacts
from apps.leads.scoring.feasibility import (
    FeasibilityResult,
    budget_score,
    estimate_weeks,
    score_feasibility,
    team_score,
    timeline_score,
)
from apps.leads.scoring.probability import ObservedOutcomes, combined_score, probability_band, success_probability
from apps.leads.scoring.qualification import CriterionPart, Disqualifier, score_qualification
from tests.leads.scoring_defaults import (
    default_config,
    default_feasibility,
    default_probability,
    default_qualification,
)

QUALIFICATION = default_qualification()
FEASIBILITY = default_feasibility()
PROBABILITY = default_probability()

BEST_ANSWERS: dict[str, Any] = {
    "existing_codebase": True,
    "project_documentation": "comprehensive",
    "infrastructure_plan": True,
    "requirements_clarity": "very_clear",
    "timeline_urgency": "urgent",
    "stakeholder_alignment": "excellent",
    "success_criteria_defined": True,
    "change_management_experience": True,
    "budget_status": "approved",
    "decision_authority": "full",
    "contract_timeline_weeks": 1,
    "payment_terms_acceptable": True,
    "change_readiness": "enthusiastic",
    "team_availability": "full",
    "communication_structure": "excellent",
    "high_priority": True,
}


def lead(answers: dict[str, Any] | None = None, **facts: Any) -> LeadFacts:
    """A lead that is fine on every count unless told otherwise; `answers` replaces the answers entirely."""
    values: dict[str, Any] = {
        "service_type": "mvp_development",
        "timeline_weeks": 12,
        "complexity": "low",
        "budget_usd": D(150_000),
        "team_size": 3,
        "business_criticality": "medium",
        "technology_preferences": ("Django",),
        "answers": Answers(**(BEST_ANSWERS if answers is None else answers)),
    }
    values.update(facts)
    return LeadFacts(**values)


def best(**overrides: Any) -> dict[str, Any]:
    """The best answers with a few changed (None makes one unanswered)."""
    return {**BEST_ANSWERS, **overrides}


def part(facts: LeadFacts, key: str) -> CriterionPart:
    return next(p for p in score_qualification(facts, QUALIFICATION).parts if p.key == key)


def probe_config(
    fraction: str, *criteria: CriterionConfig, service_types: tuple[ServiceTypeConfig, ...] | None = None
) -> QualificationConfig:
    """One 100-point criterion earning `fraction` when requirements are very clear: score = fraction x 100.

    Service types default to mvp_development alone (minimum 60, ideal 70, no key factors, no blocks).
    """
    probe = CriterionConfig(
        "probe",
        "technical",
        "Probe",
        D(100),
        "requirements_clarity",
        "choice",
        choices=(AnswerChoice("very_clear", D(fraction), "Very clear"),),
    )
    return dataclasses.replace(
        QUALIFICATION,
        criteria=criteria or (probe,),
        service_types=service_types or (ServiceTypeConfig("mvp_development", D(60), D(70), (), ()),),
    )


# ------------------------------------------------------------------------------------------- the defaults


def test_default_config_has_eighteen_criteria_worth_260_points() -> None:
    config = default_config().qualification
    assert len(config.criteria) == 18
    assert sum(c.points for c in config.criteria) == D(260)


def test_default_config_dimensions_hold_80_80_60_40_points() -> None:
    totals: dict[str, D] = {}
    for criterion in QUALIFICATION.criteria:
        totals[criterion.dimension] = totals.get(criterion.dimension, D(0)) + criterion.points
    assert totals == {"technical": 80, "business": 80, "financial": 60, "organizational": 40}


# ------------------------------------------------------------------------------------------- qualification


def test_best_answers_score_one_hundred_and_are_highly_qualified() -> None:
    result = score_qualification(lead(), QUALIFICATION)
    assert result.score == D("100.0")
    assert result.level == "highly_qualified"
    assert result.points_earned == result.points_available == D(260)
    assert result.unanswered == ()
    assert result.biggest_gaps == ()


def test_nothing_answered_scores_zero_and_lists_every_answer_criterion_as_unanswered() -> None:
    result = score_qualification(lead(answers={}, team_size=0, technology_preferences=()), QUALIFICATION)
    assert result.score == D("0.0")
    assert result.level == "unqualified"
    assert result.points_available == D(260)
    # Team size and technology preferences are always known, so those two criteria count as answered.
    assert "development_team" not in result.unanswered
    assert "technical_stack_clarity" not in result.unanswered
    assert len(result.unanswered) == 16


def test_unanswered_criterion_earns_zero_but_still_counts_in_points_available() -> None:
    result = score_qualification(lead(answers=best(existing_codebase=None)), QUALIFICATION)
    assert result.unanswered == ("existing_codebase",)
    assert result.points_earned == D(235)
    assert result.points_available == D(260)
    assert result.score == D("90.4")  # 235 / 260 = 90.38...


def test_unanswered_criterion_has_no_answer_and_says_so() -> None:
    existing = part(lead(answers=best(existing_codebase=None)), "existing_codebase")
    assert existing.answered is False
    assert existing.answer is None
    assert existing.points == 0
    assert existing.reason == "Existing codebase: not answered, 0 of 25 points"


ANSWER_FRACTIONS = [
    ("existing_codebase", "existing_codebase", True, "1"),
    ("existing_codebase", "existing_codebase", False, "0"),
    ("project_documentation", "project_documentation", "comprehensive", "1"),
    ("project_documentation", "project_documentation", "partial", "0.6"),
    ("project_documentation", "project_documentation", "none", "0"),
    ("infrastructure_readiness", "infrastructure_plan", True, "1"),
    ("infrastructure_readiness", "infrastructure_plan", False, "0"),
    ("clear_requirements", "requirements_clarity", "very_clear", "1"),
    ("clear_requirements", "requirements_clarity", "mostly_clear", "0.8"),
    ("clear_requirements", "requirements_clarity", "somewhat_clear", "0.5"),
    ("clear_requirements", "requirements_clarity", "vague", "0"),
    ("defined_timeline", "timeline_urgency", "urgent", "1"),
    ("defined_timeline", "timeline_urgency", "moderate", "0.7"),
    ("defined_timeline", "timeline_urgency", "flexible", "0"),
    ("stakeholder_alignment", "stakeholder_alignment", "excellent", "1"),
    ("stakeholder_alignment", "stakeholder_alignment", "good", "0.8"),
    ("stakeholder_alignment", "stakeholder_alignment", "fair", "0.5"),
    ("stakeholder_alignment", "stakeholder_alignment", "poor", "0"),
    ("success_criteria", "success_criteria_defined", True, "1"),
    ("success_criteria", "success_criteria_defined", False, "0"),
    ("change_management_experience", "change_management_experience", True, "1"),
    ("change_management_experience", "change_management_experience", False, "0"),
    ("budget_defined", "budget_status", "approved", "1"),
    ("budget_defined", "budget_status", "preliminary", "0.6"),
    ("budget_defined", "budget_status", "undefined", "0"),
    ("decision_authority", "decision_authority", "full", "1"),
    ("decision_authority", "decision_authority", "partial", "0.6"),
    ("decision_authority", "decision_authority", "none", "0"),
    ("contract_timeline", "contract_timeline_weeks", 0, "1"),
    ("contract_timeline", "contract_timeline_weeks", 2, "1"),
    ("contract_timeline", "contract_timeline_weeks", 3, "0.7"),
    ("contract_timeline", "contract_timeline_weeks", 4, "0.7"),
    ("contract_timeline", "contract_timeline_weeks", 5, "0.4"),
    ("contract_timeline", "contract_timeline_weeks", 8, "0.4"),
    ("contract_timeline", "contract_timeline_weeks", 9, "0"),
    ("payment_terms", "payment_terms_acceptable", True, "1"),
    ("payment_terms", "payment_terms_acceptable", False, "0"),
    ("change_readiness", "change_readiness", "enthusiastic", "1"),
    ("change_readiness", "change_readiness", "open", "0.8"),
    ("change_readiness", "change_readiness", "cautious", "0.5"),
    ("change_readiness", "change_readiness", "resistant", "0"),
    ("team_availability", "team_availability", "full", "1"),
    ("team_availability", "team_availability", "partial", "0.6"),
    ("team_availability", "team_availability", "limited", "0"),
    ("communication_structure", "communication_structure", "excellent", "1"),
    ("communication_structure", "communication_structure", "good", "0.8"),
    ("communication_structure", "communication_structure", "fair", "0.5"),
    ("communication_structure", "communication_structure", "poor", "0"),
    ("project_priority", "high_priority", True, "1"),
    ("project_priority", "high_priority", False, "0"),
]


@pytest.mark.parametrize(("key", "answer_key", "value", "fraction"), ANSWER_FRACTIONS)
def test_each_answer_earns_its_configured_fraction_of_the_criterion_points(
    key: str, answer_key: str, value: Any, fraction: str
) -> None:
    scored = part(lead(answers=best(**{answer_key: value})), key)
    assert scored.answered is True
    assert scored.fraction == D(fraction)
    assert scored.points == scored.max_points * D(fraction)


@pytest.mark.parametrize(("team_size", "fraction"), [(0, "0"), (1, "0.6"), (2, "0.6"), (3, "1"), (12, "1")])
def test_development_team_fraction_follows_team_size(team_size: int, fraction: str) -> None:
    scored = part(lead(team_size=team_size), "development_team")
    assert scored.answered is True
    assert scored.fraction == D(fraction)


def test_team_of_two_earns_sixty_percent_of_development_team_points() -> None:
    scored = part(lead(team_size=2), "development_team")
    assert scored.points == D(12)
    assert scored.answer == "2"
    assert scored.reason == "Team of 2 developers: 60% of 20 points"


def test_named_technologies_earn_all_stack_clarity_points_and_none_earn_nothing() -> None:
    named = part(lead(technology_preferences=("React", "Django")), "technical_stack_clarity")
    empty = part(lead(technology_preferences=()), "technical_stack_clarity")
    assert (named.fraction, named.answer) == (D(1), "React, Django")
    assert named.reason == "Technologies: React, Django: 100% of 10 points"
    assert (empty.answered, empty.fraction, empty.answer) == (True, D(0), "None named")


def test_choice_reason_names_the_answer_label_and_share() -> None:
    scored = part(lead(answers=best(requirements_clarity="mostly_clear")), "clear_requirements")
    assert scored.answer == "Mostly clear"
    assert scored.reason == "Clear requirements: Mostly clear: 80% of 30 points"


def test_boolean_answer_reads_yes_or_no() -> None:
    scored = part(lead(answers=best(existing_codebase=False)), "existing_codebase")
    assert scored.answer == "No"
    assert scored.reason == "Existing codebase: No: 0% of 25 points"


def test_contract_timeline_reason_names_the_weeks() -> None:
    scored = part(lead(answers=best(contract_timeline_weeks=3)), "contract_timeline")
    assert scored.reason == "Can sign within 3 weeks: 70% of 10 points"


def test_an_answer_missing_from_the_config_earns_nothing_but_counts_as_answered() -> None:
    config = probe_config("1")
    result = score_qualification(lead(answers=best(requirements_clarity="vague")), config)
    assert result.parts[0].answered is True
    assert result.parts[0].points == 0


def test_points_stay_exact_and_are_also_given_rounded() -> None:
    scored = part(lead(answers=best(contract_timeline_weeks=3), team_size=2), "contract_timeline")
    assert scored.points == D("7.0")
    config = probe_config("0.345")
    probe = score_qualification(lead(), config).parts[0]
    assert probe.points == D("34.500")
    assert probe.points_rounded == D("34.5")


def test_dimension_percentages_are_each_dimensions_own_share() -> None:
    answers = best(
        project_documentation="partial",
        infrastructure_plan=None,
        timeline_urgency="moderate",
        stakeholder_alignment="good",
        success_criteria_defined=False,
        budget_status="preliminary",
        decision_authority="partial",
        contract_timeline_weeks=3,
        change_readiness="open",
        team_availability="partial",
        communication_structure="fair",
        high_priority=None,
    )
    result = score_qualification(lead(answers=answers, team_size=2, technology_preferences=()), QUALIFICATION)
    # technical 25+12+9+0+0 = 46/80; business 30+14+12+0+5 = 61/80; financial 15+12+7+5 = 39/60;
    # organizational 12+6+5+0 = 23/40.
    assert [(d.name, d.points, d.max_points, d.percent) for d in result.dimensions] == [
        ("technical", D(46), D(80), D("57.5")),
        ("business", D(61), D(80), D("76.3")),
        ("financial", D(39), D(60), D("65.0")),
        ("organizational", D(23), D(40), D("57.5")),
    ]
    assert result.dimension("business").percent == D("76.3")  # 76.25 rounds half-up
    assert result.points_earned == D(169)
    assert result.score == D("65.0")
    assert result.level == "qualified"


@pytest.mark.parametrize(
    ("fraction", "score", "level"),
    [
        ("0.8", "80.0", "highly_qualified"),
        ("0.7995", "80.0", "highly_qualified"),  # 79.95 shows as 80.0, so it is 80.0
        ("0.7994", "79.9", "qualified"),
        ("0.799", "79.9", "qualified"),
        ("0.6", "60.0", "qualified"),
        ("0.5995", "60.0", "qualified"),
        ("0.599", "59.9", "moderately_qualified"),
        ("0.4", "40.0", "moderately_qualified"),
        ("0.3995", "40.0", "moderately_qualified"),
        ("0.399", "39.9", "unqualified"),
        ("0", "0.0", "unqualified"),
    ],
)
def test_qualification_level_compares_the_rounded_score(fraction: str, score: str, level: str) -> None:
    result = score_qualification(lead(), probe_config(fraction))
    assert result.score == D(score)
    assert result.level == level


def test_sixty_percent_of_the_default_points_is_exactly_qualified() -> None:
    # 260 - 25 (codebase) - 10 (infrastructure) - 30 (vague) - 25 (budget) - 5 - 5 - 4 (availability) = 156.
    answers = best(
        existing_codebase=False,
        infrastructure_plan=False,
        requirements_clarity="vague",
        budget_status="undefined",
        high_priority=False,
        change_management_experience=False,
        team_availability="partial",
    )
    qualified = score_qualification(lead(answers=answers), QUALIFICATION)
    assert qualified.points_earned == D(156)
    assert (qualified.score, qualified.level) == (D("60.0"), "qualified")
    below = score_qualification(lead(answers={**answers, "contract_timeline_weeks": 3}), QUALIFICATION)
    assert below.points_earned == D(153)
    assert (below.score, below.level) == (D("58.8"), "moderately_qualified")


def test_rounding_is_half_up_not_to_even() -> None:
    assert score_qualification(lead(), probe_config("0.5985")).score == D("59.9")  # half-even would give 59.8
    assert score_qualification(lead(), probe_config("0.5975")).score == D("59.8")


def test_rounding_happens_once_on_the_total_not_on_each_part() -> None:
    criteria = tuple(
        CriterionConfig(
            f"c{n}",
            "technical",
            f"C{n}",
            D(10),
            "requirements_clarity",
            "choice",
            choices=(AnswerChoice("very_clear", D("0.345"), "Very clear"),),
        )
        for n in range(3)
    )
    result = score_qualification(lead(), probe_config("1", *criteria))
    # Each part earns 3.45 (shown 3.5); 10.35 / 30 = 34.5 exactly, where rounded parts would give 35.0.
    assert [p.points_rounded for p in result.parts] == [D("3.5")] * 3
    assert result.score == D("34.5")


def test_next_steps_are_the_levels_configured_list() -> None:
    for fraction, level in [("0.9", 0), ("0.7", 1), ("0.5", 2), ("0.1", 3)]:
        result = score_qualification(lead(), probe_config(fraction))
        assert result.next_steps == QUALIFICATION.levels[level].next_steps
        assert result.level_label == QUALIFICATION.levels[level].label


def test_biggest_gaps_are_the_three_costliest_criteria_with_ties_in_config_order() -> None:
    answers = best(
        requirements_clarity="vague", budget_status="undefined", existing_codebase=False, decision_authority="none"
    )
    gaps = score_qualification(lead(answers=answers), QUALIFICATION).biggest_gaps
    # Existing codebase and budget both lost 25; existing codebase comes first in the config.
    assert [(g.key, g.points_lost) for g in gaps] == [
        ("clear_requirements", D(30)),
        ("existing_codebase", D(25)),
        ("budget_defined", D(25)),
    ]


def test_biggest_gaps_count_partial_losses_and_list_fewer_when_fewer_lost() -> None:
    answers = best(timeline_urgency="moderate", contract_timeline_weeks=None)
    gaps = score_qualification(lead(answers=answers), QUALIFICATION).biggest_gaps
    assert [(g.key, g.points_lost, g.points_lost_rounded) for g in gaps] == [
        ("contract_timeline", D(10), D("10.0")),
        ("defined_timeline", D("6.0"), D("6.0")),
    ]


def test_biggest_gaps_count_comes_from_the_config() -> None:
    config = dataclasses.replace(QUALIFICATION, biggest_gaps_count=1)
    answers = best(requirements_clarity="vague", budget_status="undefined")
    assert [g.key for g in score_qualification(lead(answers=answers), config).biggest_gaps] == ["clear_requirements"]


# ------------------------------------------------------------------------------------------- disqualifiers


def codes(facts: LeadFacts) -> tuple[str, ...]:
    return tuple(d.code for d in score_qualification(facts, QUALIFICATION).all_disqualifiers)


def test_a_well_prepared_lead_has_no_disqualifiers() -> None:
    assert codes(lead()) == ()


@pytest.mark.parametrize(("alignment", "holds"), [("poor", True), (None, True), ("fair", False), ("excellent", False)])
def test_no_stakeholder_alignment_holds_when_alignment_is_poor_or_unanswered(
    alignment: str | None, holds: bool
) -> None:
    assert ("no_stakeholder_alignment" in codes(lead(answers=best(stakeholder_alignment=alignment)))) is holds


@pytest.mark.parametrize(
    ("complexity", "weeks", "holds"),
    [
        ("low", 1, False),
        ("medium", 3, True),
        ("medium", 4, False),
        ("high", 7, True),
        ("high", 8, False),
        ("very_high", 11, True),
        ("very_high", 12, False),
    ],
)
def test_unrealistic_timeline_holds_below_each_complexitys_minimum_weeks(
    complexity: str, weeks: int, holds: bool
) -> None:
    assert ("unrealistic_timeline" in codes(lead(complexity=complexity, timeline_weeks=weeks))) is holds


def test_unrealistic_timeline_limits_come_from_the_config() -> None:
    config = dataclasses.replace(QUALIFICATION, timeline_limits=())
    facts = lead(complexity="very_high", timeline_weeks=1)
    assert score_qualification(facts, config).all_disqualifiers == ()


@pytest.mark.parametrize(("team_size", "holds"), [(0, True), (1, False)])
def test_no_existing_team_and_no_technical_team_hold_for_a_team_of_zero(team_size: int, holds: bool) -> None:
    found = codes(lead(team_size=team_size))
    assert ("no_existing_team" in found) is holds
    assert ("no_technical_team" in found) is holds


@pytest.mark.parametrize(
    ("criticality", "fallback", "holds"),
    [("critical", False, True), ("critical", True, False), ("high", False, False)],
)
def test_business_critical_without_fallback_needs_critical_and_no_fallback(
    criticality: str, fallback: bool, holds: bool
) -> None:
    facts = lead(business_criticality=criticality, has_fallback_plan=fallback)
    assert ("business_critical_without_fallback" in codes(facts)) is holds


@pytest.mark.parametrize(("structure", "holds"), [("poor", True), (None, True), ("fair", False), ("good", False)])
def test_poor_communication_structure_holds_when_poor_or_unanswered(structure: str | None, holds: bool) -> None:
    assert ("poor_communication_structure" in codes(lead(answers=best(communication_structure=structure)))) is holds


def test_disqualifiers_list_only_the_codes_of_the_leads_own_service_type() -> None:
    facts = lead(team_size=0, answers=best(stakeholder_alignment="poor"))
    result = score_qualification(facts, QUALIFICATION)
    assert [d.code for d in result.all_disqualifiers] == [
        "no_stakeholder_alignment",
        "no_existing_team",
        "no_technical_team",
    ]
    assert [d.code for d in result.disqualifiers] == ["no_stakeholder_alignment"]
    augmentation = score_qualification(dataclasses.replace(facts, service_type="team_augmentation"), QUALIFICATION)
    assert [d.code for d in augmentation.disqualifiers] == ["no_existing_team"]


def test_disqualifiers_carry_their_configured_label_or_fall_back_to_the_code() -> None:
    facts = lead(answers=best(stakeholder_alignment="poor"))
    assert score_qualification(facts, QUALIFICATION).disqualifiers == (
        Disqualifier("no_stakeholder_alignment", "Stakeholders are not aligned"),
    )
    bare = dataclasses.replace(QUALIFICATION, disqualifiers=())
    assert score_qualification(facts, bare).disqualifiers[0].label == "no_stakeholder_alignment"


def test_disqualifiers_block_the_service_type_but_do_not_change_the_score() -> None:
    clean = score_qualification(lead(), QUALIFICATION)
    late = score_qualification(lead(complexity="very_high", timeline_weeks=2), QUALIFICATION)
    assert late.score == clean.score
    assert late.fit_for("mvp_development").fit == "blocked"


# ------------------------------------------------------------------------------------------- service fit


def test_service_fit_is_computed_for_every_service_type() -> None:
    result = score_qualification(lead(), QUALIFICATION)
    assert [f.service_type for f in result.service_fit] == [
        "mvp_development",
        "legacy_modernization",
        "team_augmentation",
    ]
    assert {f.fit for f in result.service_fit} == {"ideal"}


def test_service_fit_is_blocked_by_a_code_of_that_types_list_only() -> None:
    result = score_qualification(lead(team_size=0), QUALIFICATION)
    assert result.fit_for("mvp_development").fit == "ideal"
    assert result.fit_for("legacy_modernization").blocked_by == ("no_technical_team",)
    assert result.fit_for("legacy_modernization").fit == "blocked"
    assert result.fit_for("team_augmentation").blocked_by == ("no_existing_team",)


@pytest.mark.parametrize(
    ("fraction", "fit"),
    [("0.7", "ideal"), ("0.6995", "ideal"), ("0.699", "fit"), ("0.6", "fit"), ("0.599", "weak")],
)
def test_service_fit_is_ideal_fit_or_weak_by_the_rounded_score(fraction: str, fit: str) -> None:
    assert score_qualification(lead(), probe_config(fraction)).fit_for("mvp_development").fit == fit


@pytest.mark.parametrize(
    ("service_type", "score", "fit"),
    [
        ("legacy_modernization", "75.0", "ideal"),
        ("legacy_modernization", "74.9", "fit"),
        ("legacy_modernization", "65.0", "fit"),
        ("legacy_modernization", "64.9", "weak"),
        ("team_augmentation", "65.0", "ideal"),
        ("team_augmentation", "64.9", "fit"),
        ("team_augmentation", "55.0", "fit"),
        ("team_augmentation", "54.9", "weak"),
    ],
)
def test_default_service_type_minimum_and_ideal_floors(service_type: str, score: str, fit: str) -> None:
    # The default floors, without key factors (the probe config has none of the default criteria).
    floors = tuple(dataclasses.replace(s, key_factors=()) for s in QUALIFICATION.service_types)
    config = probe_config(str(D(score) / 100), service_types=floors)
    assert score_qualification(lead(), config).fit_for(service_type).fit == fit


def test_key_gaps_are_key_factors_earning_under_half_their_points() -> None:
    answers = best(requirements_clarity="somewhat_clear", timeline_urgency="flexible", budget_status="preliminary")
    result = score_qualification(lead(answers=answers), QUALIFICATION)
    # somewhat clear earns exactly half (not under), flexible earns nothing, preliminary earns 60%.
    assert result.fit_for("mvp_development").key_gaps == ("defined_timeline",)
    assert result.fit_for("team_augmentation").key_gaps == ()


def test_unanswered_key_factor_is_a_key_gap_for_every_type_that_names_it() -> None:
    result = score_qualification(lead(answers=best(requirements_clarity=None)), QUALIFICATION)
    assert result.fit_for("mvp_development").key_gaps == ("clear_requirements",)
    assert result.fit_for("team_augmentation").key_gaps == ("clear_requirements",)
    assert result.fit_for("legacy_modernization").key_gaps == ()


def test_key_gaps_of_legacy_and_augmentation_factors() -> None:
    answers = best(existing_codebase=False, project_documentation="partial", change_readiness="cautious")
    result = score_qualification(lead(answers=answers, team_size=0), QUALIFICATION)
    assert result.fit_for("legacy_modernization").key_gaps == ("existing_codebase",)
    assert result.fit_for("team_augmentation").key_gaps == ("development_team",)


def test_a_lead_of_a_service_type_missing_from_the_config_is_refused() -> None:
    with pytest.raises(ValueError, match="no service-type config"):
        score_qualification(lead(service_type="team_augmentation"), probe_config("1"))


# ------------------------------------------------------------------------------------------- validation


def test_config_refuses_an_unknown_criterion_kind() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        CriterionConfig("x", "technical", "X", D(1), "existing_codebase", "sometimes")


def test_config_refuses_key_factors_and_blocking_codes_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="unknown key factors"):
        dataclasses.replace(
            QUALIFICATION, service_types=(ServiceTypeConfig("mvp_development", D(60), D(70), ("nope",), ()),)
        )
    with pytest.raises(ValueError, match="unknown blocking codes"):
        dataclasses.replace(
            QUALIFICATION, service_types=(ServiceTypeConfig("mvp_development", D(60), D(70), (), ("nope",)),)
        )


def test_a_criterion_with_an_unknown_source_fails_loudly() -> None:
    broken = CriterionConfig("x", "technical", "X", D(1), "shoe_size", "at_least")
    with pytest.raises(ValueError, match="unknown criterion source"):
        score_qualification(lead(), probe_config("1", broken))


def test_feasibility_config_needs_an_approach_for_each_sub_score() -> None:
    with pytest.raises(ValueError, match="approaches"):
        dataclasses.replace(FEASIBILITY, approaches=(ApproachConfig("technical", "Spike"),))


@pytest.mark.parametrize(
    "answers",
    [
        {"requirements_clarity": "crystal"},
        {"existing_codebase": "yes"},
        {"contract_timeline_weeks": -1},
        {"contract_timeline_weeks": True},
    ],
)
def test_answers_refuse_values_outside_their_choices(answers: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        Answers(**answers)


@pytest.mark.parametrize(
    "facts",
    [
        {"service_type": "consulting"},
        {"complexity": "extreme"},
        {"business_criticality": "urgent"},
        {"timeline_weeks": 0},
        {"team_size": -1},
        {"budget_usd": 1000.5},
        {"budget_usd": D(-1)},
    ],
)
def test_lead_facts_refuse_invalid_values(facts: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        lead(**facts)


def test_results_are_frozen() -> None:
    result = score_qualification(lead(), QUALIFICATION)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = D(0)  # type: ignore[misc]


# ------------------------------------------------------------------------------------------- feasibility


def feasible(**facts: Any) -> FeasibilityResult:
    """Feasibility of a lead that is fine on every count (low complexity, 12 weeks, 150k, 3 developers)."""
    return score_feasibility(lead(**facts), FEASIBILITY)


def risks(result: FeasibilityResult, code: str) -> list[tuple[D, str]]:
    return [(r.impact, r.text) for r in result.risk_factors if r.code == code]


def test_a_simple_well_funded_lead_is_fully_feasible() -> None:
    result = feasible()
    assert (result.technical, result.timeline, result.resource) == (D("100.0"), D("100.0"), D("100.0"))
    assert (result.overall, result.level, result.level_label) == (D("100.0"), "highly_feasible", "Highly feasible")
    assert result.risk_factors == ()
    assert result.blockers == ()


@pytest.mark.parametrize(
    ("complexity", "technical", "impact"),
    [("low", "100.0", None), ("medium", "90.0", 10), ("high", "80.0", 20), ("very_high", "70.0", 30)],
)
def test_each_complexity_deducts_its_configured_technical_points(
    complexity: str, technical: str, impact: int | None
) -> None:
    result = feasible(complexity=complexity)
    assert result.technical == D(technical)
    assert [i for i, _ in risks(result, "complexity")] == ([] if impact is None else [D(impact)])


def test_complexity_risk_factor_reads_as_a_sentence() -> None:
    assert risks(feasible(complexity="very_high"), "complexity") == [
        (D(30), "Very high complexity: -30 technical points")
    ]


def test_risky_technologies_match_keywords_case_insensitively_and_cost_fifteen_each() -> None:
    result = feasible(technology_preferences=("React-Alpha", "Django", "bleeding-edge CSS", "EXPERIMENTAL db"))
    assert result.technical == D("55.0")
    found = risks(result, "risky_technology")
    assert [impact for impact, _ in found] == [D(15)] * 3
    assert "React-Alpha" in found[0][1]


@pytest.mark.parametrize(
    ("count", "technical", "impact"),
    [(0, "100.0", None), (1, "95.0", 5), (3, "85.0", 15), (5, "75.0", 25), (6, "75.0", 25), (10, "75.0", 25)],
)
def test_integrations_cost_five_each_capped_at_twenty_five(count: int, technical: str, impact: int | None) -> None:
    result = feasible(required_integrations=tuple(f"system {n}" for n in range(count)))
    assert result.technical == D(technical)
    assert [i for i, _ in risks(result, "integrations")] == ([] if impact is None else [D(impact)])


def test_compliance_regimes_match_keywords_case_insensitively_and_cost_ten_each() -> None:
    result = feasible(compliance_requirements=("PCI DSS", "hipaa", "ISO 27001", "GDPR", "Sox"))
    assert result.technical == D("60.0")
    assert [text for _, text in risks(result, "compliance")][0] == "Compliance regime 'PCI DSS': -10 technical points"
    assert len(risks(result, "compliance")) == 4


def test_a_regime_naming_two_keywords_still_costs_ten_once() -> None:
    assert feasible(compliance_requirements=("SOX and PCI",)).technical == D("90.0")


def test_technical_score_never_drops_below_zero() -> None:
    result = feasible(
        complexity="very_high",
        technology_preferences=("alpha1", "alpha2", "alpha3", "alpha4"),
        required_integrations=tuple("abcde"),
        compliance_requirements=("HIPAA", "PCI"),
    )
    # 30 + 60 + 25 + 20 = 135 points of deductions.
    assert result.technical == D("0.0")
    assert sum(r.impact for r in result.risk_factors if r.code != "timeline_shortfall") == D(135)


@pytest.mark.parametrize(
    ("requirements", "weeks", "rounded_up"),
    [(0, "4", 4), (10, "9", 9), (11, "11.4", 12), (20, "16.8", 17), (21, "18.85", 19), (30, "24.7", 25)],
)
def test_estimate_adds_half_a_week_per_requirement_and_a_multiplier_past_ten_and_twenty(
    requirements: int, weeks: str, rounded_up: int
) -> None:
    assert estimate_weeks(requirements, FEASIBILITY) == D(weeks)
    result = feasible(requirements=tuple(f"req {n}" for n in range(requirements)), timeline_weeks=52)
    assert result.estimated_weeks == D(weeks)
    assert result.estimated_weeks_rounded_up == rounded_up


@pytest.mark.parametrize(
    ("requirements", "weeks", "score"),
    [(0, 4, "100.0"), (10, 9, "100.0"), (10, 10, "100.0"), (10, 6, "66.7"), (11, 11, "96.5"), (21, 18, "95.5")],
)
def test_timeline_score_is_full_when_the_weeks_reach_the_estimate_else_their_share(
    requirements: int, weeks: int, score: str
) -> None:
    result = feasible(requirements=tuple(f"req {n}" for n in range(requirements)), timeline_weeks=weeks)
    assert result.timeline == D(score)


def test_timeline_score_is_exact_until_reported() -> None:
    assert timeline_score(6, D(9)) == D(6) / D(9) * 100
    assert timeline_score(9, D(9)) == 100


def test_timeline_shortfall_is_a_risk_factor_with_its_size() -> None:
    result = feasible(requirements=tuple(f"req {n}" for n in range(10)), timeline_weeks=6)
    assert risks(result, "timeline_shortfall") == [
        (D("33.3"), "6 weeks requested, about 9 estimated: timeline score -33.3")
    ]


@pytest.mark.parametrize(
    ("budget", "score"),
    [
        (0, "0"),
        (25_000, "40"),
        (49_999, "79.9984"),
        (50_000, "80"),
        (100_000, "90"),
        (149_999, "99.9998"),
        (150_000, "100"),
        (2_000_000, "100"),
    ],
)
def test_budget_score_is_continuous_across_fifty_and_one_hundred_fifty_thousand(budget: int, score: str) -> None:
    assert budget_score(D(budget), FEASIBILITY) == D(score)


def test_budget_below_one_hundred_fifty_thousand_is_a_risk_factor() -> None:
    assert risks(feasible(budget_usd=D(49_999)), "budget_shortfall") == [
        (D("20.0"), "Budget $49,999 is below $150,000: budget score -20.0")
    ]
    assert risks(feasible(budget_usd=D(150_000)), "budget_shortfall") == []


@pytest.mark.parametrize(("size", "score"), [(0, 0), (1, 70), (2, 70), (3, 100), (50, 100)])
def test_team_score_by_team_size(size: int, score: int) -> None:
    assert team_score(size, FEASIBILITY) == D(score)


def test_small_or_missing_team_is_a_risk_factor() -> None:
    assert risks(feasible(team_size=2), "small_team") == [(D("30.0"), "Team of 2 developer(s): team score -30.0")]
    assert risks(feasible(team_size=0), "no_team") == [(D("100.0"), "No in-house developers: team score -100.0")]
    assert risks(feasible(team_size=3), "small_team") == []


def test_resource_is_the_mean_of_budget_and_team_scores() -> None:
    result = feasible(budget_usd=D(100_000), team_size=2)
    assert (result.budget_score, result.team_score, result.resource) == (D("90.0"), D("70.0"), D("80.0"))


def test_overall_is_weighted_from_the_exact_sub_scores_not_the_rounded_ones() -> None:
    result = feasible(requirements=("one",), timeline_weeks=2, budget_usd=D(3_000), team_size=1)
    # Exact: 0.4 x 100 + 0.3 x 44.44.. + 0.3 x 37.4 = 64.553..; from the rounded 44.4 it would be 64.54 -> 64.5.
    assert (result.technical, result.timeline, result.resource) == (D("100.0"), D("44.4"), D("37.4"))
    assert result.overall == D("64.6")


def test_sub_scores_carry_their_weight() -> None:
    result = feasible()
    assert [(s.key, s.weight) for s in result.sub_scores] == [
        ("technical", D("0.4")),
        ("timeline", D("0.3")),
        ("resource", D("0.3")),
    ]


@pytest.mark.parametrize(
    ("facts", "overall", "level"),
    [
        ({"team_size": 1, "budget_usd": D(18_750)}, "85.0", "highly_feasible"),
        ({"team_size": 1, "budget_usd": D("18541.67")}, "85.0", "highly_feasible"),  # 84.9500008
        ({"team_size": 1, "budget_usd": D("18541.66")}, "84.9", "feasible"),  # 84.9499984
        ({"complexity": "very_high", "team_size": 1, "budget_usd": D(6_250)}, "70.0", "feasible"),
        ({"complexity": "very_high", "team_size": 1, "budget_usd": D("5833.33")}, "69.9", "marginal"),
        (
            {"complexity": "very_high", "technology_preferences": ("alpha",), "team_size": 0, "budget_usd": D(12_500)},
            "55.0",
            "marginal",
        ),
        (
            {
                "complexity": "very_high",
                "technology_preferences": ("alpha",),
                "team_size": 0,
                "budget_usd": D("12083.33"),
            },
            "54.9",
            "infeasible",
        ),
    ],
)
def test_feasibility_level_compares_the_rounded_overall(facts: dict[str, Any], overall: str, level: str) -> None:
    result = feasible(**facts)
    assert (result.overall, result.level) == (D(overall), level)


def test_a_sub_score_under_seventy_is_a_blocker_judged_on_its_rounded_value() -> None:
    weak = feasible(team_size=1, budget_usd=D(43_625))  # resource exactly 69.9
    assert weak.resource == D("69.9")
    assert [(b.code, b.text) for b in weak.blockers] == [("resource", "Resource score 69.9 is under 70")]
    edge = feasible(team_size=1, budget_usd=D("43687.5"))  # resource 69.95 shows as 70.0
    assert edge.resource == D("70.0")
    assert edge.blockers == ()


def test_every_weak_sub_score_and_every_disqualifier_is_a_blocker() -> None:
    facts = lead(complexity="very_high", technology_preferences=("alpha",), timeline_weeks=2, team_size=0)
    dq = (Disqualifier("unrealistic_timeline", "The timeline is unrealistic for the complexity"),)
    result = score_feasibility(facts, FEASIBILITY, dq)
    assert [b.code for b in result.blockers] == ["technical", "timeline", "resource", "unrealistic_timeline"]
    assert result.blockers[-1].text == "The timeline is unrealistic for the complexity"


@pytest.mark.parametrize(
    ("facts", "weakest", "approach"),
    [
        (
            {"requirements": tuple(f"r{n}" for n in range(20)), "timeline_weeks": 4},
            "timeline",
            "Phased delivery: ship the core first, the rest in later phases",
        ),
        ({"budget_usd": D(0), "team_size": 0}, "resource", "Reduce the scope or choose a smaller tier"),
        (
            {"complexity": "very_high", "technology_preferences": ("alpha", "beta-experimental")},
            "technical",
            "Run a technical spike or prototype first",
        ),
    ],
)
def test_recommended_approach_follows_the_weakest_sub_score(facts: dict[str, Any], weakest: str, approach: str) -> None:
    result = feasible(**facts)
    assert (result.weakest, result.recommended_approach) == (weakest, approach)


def test_equally_weak_sub_scores_go_to_the_approach_listed_first() -> None:
    assert feasible().weakest == "technical"
    reordered = dataclasses.replace(FEASIBILITY, approaches=tuple(reversed(FEASIBILITY.approaches)))
    assert score_feasibility(lead(), reordered).weakest == "resource"


# ------------------------------------------------------------------------------------------- success probability


def test_combined_score_is_sixty_percent_feasibility_and_forty_percent_qualification() -> None:
    assert combined_score(D("60.0"), D("80.0"), PROBABILITY) == D("72.0")
    assert success_probability(D("60.0"), D("80.0"), PROBABILITY).combined == D("72.0")


def test_combined_score_is_rounded_once_before_its_band_is_chosen() -> None:
    result = success_probability(D("85.1"), D("84.9"), PROBABILITY)  # 50.94 + 34.04 = 84.98
    assert (result.combined, result.band, result.default_percent) == (D("85.0"), "very_high", D(95))


@pytest.mark.parametrize(
    ("combined", "band", "percent"),
    [
        ("100.0", "very_high", 95),
        ("85.0", "very_high", 95),
        ("84.9", "high", 85),
        ("75.0", "high", 85),
        ("74.9", "good", 75),
        ("65.0", "good", 75),
        ("64.9", "moderate", 60),
        ("55.0", "moderate", 60),
        ("54.9", "low", 40),
        ("0.0", "low", 40),
    ],
)
def test_success_probability_bands_at_their_edges(combined: str, band: str, percent: int) -> None:
    result = success_probability(D(combined), D(combined), PROBABILITY)
    assert (result.combined, result.band, result.default_percent) == (D(combined), band, D(percent))
    assert probability_band(D(combined), PROBABILITY) == band


def test_probability_band_rounds_before_choosing() -> None:
    assert probability_band(D("84.95"), PROBABILITY) == "very_high"
    assert probability_band(D("84.94"), PROBABILITY) == "high"


def test_combined_weights_come_from_the_config() -> None:
    even = dataclasses.replace(PROBABILITY, feasibility_weight=D("0.5"), qualification_weight=D("0.5"))
    assert combined_score(D(60), D(80), even) == D("70.0")


@pytest.mark.parametrize("observed", [None, ObservedOutcomes(19, 19), ObservedOutcomes(0, 0)])
def test_observed_rate_is_hidden_below_twenty_closed_guarantees(observed: ObservedOutcomes | None) -> None:
    result = success_probability(D(90), D(90), PROBABILITY, observed)
    assert (result.observed_percent, result.observed_sample) == (None, None)


@pytest.mark.parametrize(("successes", "total", "percent"), [(17, 20, "85.0"), (20, 30, "66.7"), (0, 20, "0.0")])
def test_observed_rate_appears_from_twenty_closed_guarantees(successes: int, total: int, percent: str) -> None:
    result = success_probability(D(90), D(90), PROBABILITY, ObservedOutcomes(successes, total))
    assert (result.observed_percent, result.observed_sample) == (D(percent), total)
    assert result.default_percent == D(95)


@pytest.mark.parametrize(("observed", "shown"), [(ObservedOutcomes(0, 0), None), (ObservedOutcomes(1, 1), D("100.0"))])
def test_a_minimum_sample_of_zero_never_divides_by_zero(observed: ObservedOutcomes, shown: D | None) -> None:
    no_minimum = dataclasses.replace(PROBABILITY, min_observed_sample=0)
    result = success_probability(D(90), D(90), no_minimum, observed)
    assert result.observed_percent == shown


def test_observed_outcomes_refuse_more_successes_than_guarantees() -> None:
    with pytest.raises(ValueError, match="successes"):
        ObservedOutcomes(21, 20)


# ------------------------------------------------------------------------------------------- purity


# The pure modules of the scoring package; models.py, versions.py, run.py and bulk.py are the database glue.
SCORING_PACKAGE = Path(__file__).resolve().parents[2] / "apps" / "leads" / "scoring"
PURE_MODULES = sorted(p for p in SCORING_PACKAGE.glob("*.py") if p.stem not in {"models", "versions", "run", "bulk"})


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda p: p.name)
def test_scoring_modules_import_no_django_clock_or_randomness(path: Path) -> None:
    tree = ast.parse(path.read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    forbidden = {"django", "datetime", "time", "random", "secrets", "uuid"}
    assert {m.split(".")[0] for m in modules} & forbidden == set()
