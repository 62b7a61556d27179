"""DOMAIN.md's default scoring configuration (sections 1 and 2), built as dataclasses for pure tests.

The data migration seeds the same numbers into the models; tests elsewhere can import `default_config()` and
compare it with what the models convert to.
"""

from __future__ import annotations

from decimal import Decimal as D

from apps.leads.scoring.config import (
    AnswerChoice,
    ApproachConfig,
    Band,
    ComplexityDeduction,
    CriterionConfig,
    DisqualifierConfig,
    FeasibilityConfig,
    LevelBand,
    ProbabilityBand,
    ProbabilityConfig,
    QualificationConfig,
    RequirementMultiplier,
    ScoringConfig,
    ServiceTypeConfig,
    TeamScore,
    TimelineLimit,
)

YES_NO = (AnswerChoice("yes", D(1), "Yes"), AnswerChoice("no", D(0), "No"))


def _choices(*items: tuple[str, str, str]) -> tuple[AnswerChoice, ...]:
    return tuple(AnswerChoice(value, D(fraction), label) for value, fraction, label in items)


def _choice(key: str, dimension: str, label: str, points: int, source: str, *choices: AnswerChoice) -> CriterionConfig:
    return CriterionConfig(key, dimension, label, D(points), source, "choice", choices=choices)


def default_criteria() -> tuple[CriterionConfig, ...]:
    return (
        _choice("existing_codebase", "technical", "Existing codebase", 25, "existing_codebase", *YES_NO),
        CriterionConfig(
            "development_team",
            "technical",
            "Development team",
            D(20),
            "team_size",
            "at_least",
            bands=(Band(D(3), D(1)), Band(D(1), D("0.6"))),
            fallback_fraction=D(0),
            answer_template="Team of {answer} developers",
        ),
        _choice(
            "project_documentation",
            "technical",
            "Project documentation",
            15,
            "project_documentation",
            *_choices(("comprehensive", "1", "Comprehensive"), ("partial", "0.6", "Partial"), ("none", "0", "None")),
        ),
        CriterionConfig(
            "technical_stack_clarity",
            "technical",
            "Technical stack clarity",
            D(10),
            "technology_preferences",
            "non_empty",
            choices=(AnswerChoice("yes", D(1), "Named"), AnswerChoice("no", D(0), "None named")),
            answer_template="Technologies: {answer}",
        ),
        _choice(
            "infrastructure_readiness", "technical", "Infrastructure readiness", 10, "infrastructure_plan", *YES_NO
        ),
        _choice(
            "clear_requirements",
            "business",
            "Clear requirements",
            30,
            "requirements_clarity",
            *_choices(
                ("very_clear", "1", "Very clear"),
                ("mostly_clear", "0.8", "Mostly clear"),
                ("somewhat_clear", "0.5", "Somewhat clear"),
                ("vague", "0", "Vague"),
            ),
        ),
        _choice(
            "defined_timeline",
            "business",
            "Defined timeline",
            20,
            "timeline_urgency",
            *_choices(("urgent", "1", "Urgent"), ("moderate", "0.7", "Moderate"), ("flexible", "0", "Flexible")),
        ),
        _choice(
            "stakeholder_alignment",
            "business",
            "Stakeholder alignment",
            15,
            "stakeholder_alignment",
            *_choices(
                ("excellent", "1", "Excellent"), ("good", "0.8", "Good"), ("fair", "0.5", "Fair"), ("poor", "0", "Poor")
            ),
        ),
        _choice("success_criteria", "business", "Success criteria", 10, "success_criteria_defined", *YES_NO),
        _choice(
            "change_management_experience",
            "business",
            "Change management experience",
            5,
            "change_management_experience",
            *YES_NO,
        ),
        _choice(
            "budget_defined",
            "financial",
            "Budget defined",
            25,
            "budget_status",
            *_choices(
                ("approved", "1", "Approved"), ("preliminary", "0.6", "Preliminary"), ("undefined", "0", "Undefined")
            ),
        ),
        _choice(
            "decision_authority",
            "financial",
            "Decision authority",
            20,
            "decision_authority",
            *_choices(("full", "1", "Full"), ("partial", "0.6", "Partial"), ("none", "0", "None")),
        ),
        CriterionConfig(
            "contract_timeline",
            "financial",
            "Contract timeline",
            D(10),
            "contract_timeline_weeks",
            "at_most",
            bands=(Band(D(2), D(1)), Band(D(4), D("0.7")), Band(D(8), D("0.4"))),
            fallback_fraction=D(0),
            answer_template="Can sign within {answer} weeks",
        ),
        _choice("payment_terms", "financial", "Payment terms", 5, "payment_terms_acceptable", *YES_NO),
        _choice(
            "change_readiness",
            "organizational",
            "Change readiness",
            15,
            "change_readiness",
            *_choices(
                ("enthusiastic", "1", "Enthusiastic"),
                ("open", "0.8", "Open"),
                ("cautious", "0.5", "Cautious"),
                ("resistant", "0", "Resistant"),
            ),
        ),
        _choice(
            "team_availability",
            "organizational",
            "Team availability",
            10,
            "team_availability",
            *_choices(("full", "1", "Full"), ("partial", "0.6", "Partial"), ("limited", "0", "Limited")),
        ),
        _choice(
            "communication_structure",
            "organizational",
            "Communication structure",
            10,
            "communication_structure",
            *_choices(
                ("excellent", "1", "Excellent"), ("good", "0.8", "Good"), ("fair", "0.5", "Fair"), ("poor", "0", "Poor")
            ),
        ),
        _choice("project_priority", "organizational", "Project priority", 5, "high_priority", *YES_NO),
    )


def default_qualification_levels() -> tuple[LevelBand, ...]:
    return (
        LevelBand(
            "highly_qualified",
            D(80),
            "Highly qualified",
            ("Architecture review", "Tier recommendation", "Education", "Guarantee proposal"),
        ),
        LevelBand(
            "qualified",
            D(60),
            "Qualified",
            ("Requirements clarification", "Feasibility", "Stakeholder alignment session", "Preliminary proposal"),
        ),
        LevelBand(
            "moderately_qualified",
            D(40),
            "Moderately qualified",
            ("Close the named gaps", "Education content", "Discovery workshop", "Re-evaluate"),
        ),
        LevelBand(
            "unqualified",
            D(0),
            "Unqualified",
            ("Education resources", "Preparatory steps", "Follow-up in 3-6 months", "Consultation offer"),
        ),
    )


def default_qualification() -> QualificationConfig:
    return QualificationConfig(
        criteria=default_criteria(),
        levels=default_qualification_levels(),
        biggest_gaps_count=3,
        disqualifiers=(
            DisqualifierConfig("no_stakeholder_alignment", "Stakeholders are not aligned"),
            DisqualifierConfig("unrealistic_timeline", "The timeline is unrealistic for the complexity"),
            DisqualifierConfig("no_existing_team", "There is no existing team"),
            DisqualifierConfig("no_technical_team", "There is no technical team"),
            DisqualifierConfig("business_critical_without_fallback", "Business-critical without a fallback plan"),
            DisqualifierConfig("poor_communication_structure", "The communication structure is poor"),
        ),
        timeline_limits=(
            TimelineLimit("medium", 4),
            TimelineLimit("high", 8),
            TimelineLimit("very_high", 12),
        ),
        service_types=(
            ServiceTypeConfig(
                "mvp_development",
                D(60),
                D(70),
                ("clear_requirements", "defined_timeline", "budget_defined"),
                ("no_stakeholder_alignment", "unrealistic_timeline"),
            ),
            ServiceTypeConfig(
                "legacy_modernization",
                D(65),
                D(75),
                ("existing_codebase", "project_documentation", "change_readiness"),
                ("no_technical_team", "business_critical_without_fallback", "unrealistic_timeline"),
            ),
            ServiceTypeConfig(
                "team_augmentation",
                D(55),
                D(65),
                ("development_team", "clear_requirements", "communication_structure"),
                ("no_existing_team", "poor_communication_structure"),
            ),
        ),
        key_gap_fraction=D("0.5"),
    )


def default_feasibility() -> FeasibilityConfig:
    return FeasibilityConfig(
        complexity_deductions=(
            ComplexityDeduction("low", D(0)),
            ComplexityDeduction("medium", D(10)),
            ComplexityDeduction("high", D(20)),
            ComplexityDeduction("very_high", D(30)),
        ),
        risky_technology_keywords=("experimental", "alpha", "bleeding"),
        risky_technology_deduction=D(15),
        integration_deduction=D(5),
        integration_deduction_cap=D(25),
        compliance_keywords=("hipaa", "sox", "pci", "gdpr"),
        compliance_deduction=D(10),
        estimate_base_weeks=D(4),
        estimate_weeks_per_requirement=D("0.5"),
        estimate_multipliers=(RequirementMultiplier(20, D("1.3")), RequirementMultiplier(10, D("1.2"))),
        budget_low_usd=D(50_000),
        budget_low_score=D(80),
        budget_high_usd=D(150_000),
        budget_high_score=D(100),
        team_scores=(TeamScore(3, D(100)), TeamScore(1, D(70)), TeamScore(0, D(0))),
        technical_weight=D("0.4"),
        timeline_weight=D("0.3"),
        resource_weight=D("0.3"),
        levels=(
            LevelBand("highly_feasible", D(85), "Highly feasible"),
            LevelBand("feasible", D(70), "Feasible"),
            LevelBand("marginal", D(55), "Marginal"),
            LevelBand("infeasible", D(0), "Infeasible"),
        ),
        blocker_threshold=D(70),
        approaches=(
            ApproachConfig("technical", "Run a technical spike or prototype first"),
            ApproachConfig("timeline", "Phased delivery: ship the core first, the rest in later phases"),
            ApproachConfig("resource", "Reduce the scope or choose a smaller tier"),
        ),
    )


def default_probability() -> ProbabilityConfig:
    return ProbabilityConfig(
        feasibility_weight=D("0.6"),
        qualification_weight=D("0.4"),
        bands=(
            ProbabilityBand("very_high", D(85), D(95), "Very high"),
            ProbabilityBand("high", D(75), D(85), "High"),
            ProbabilityBand("good", D(65), D(75), "Good"),
            ProbabilityBand("moderate", D(55), D(60), "Moderate"),
            ProbabilityBand("low", D(0), D(40), "Low"),
        ),
        min_observed_sample=20,
    )


def default_config() -> ScoringConfig:
    """The whole default configuration, exactly as DOMAIN.md sections 1 and 2 give it."""
    return ScoringConfig(default_qualification(), default_feasibility(), default_probability())
