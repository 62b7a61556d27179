"""Seed the lead-scoring configuration with DOMAIN.md's defaults (sections 0-2).

Idempotent: rows that already exist (matched by their key) are left as an admin may have edited them.
"""

from decimal import Decimal as D

from django.db import migrations

YES_NO = [("yes", "1", "Yes"), ("no", "0", "No")]
ALIGNMENT = [("excellent", "1", "Excellent"), ("good", "0.8", "Good"), ("fair", "0.5", "Fair"), ("poor", "0", "Poor")]

# key, dimension, label, points, source, kind, choices (value, fraction, label), bands (limit, fraction), template
CRITERIA = [
    ("existing_codebase", "technical", "Existing codebase", 25, "existing_codebase", "choice", YES_NO, [], None),
    (
        "development_team",
        "technical",
        "Development team",
        20,
        "team_size",
        "at_least",
        [],
        [("3", "1"), ("1", "0.6")],
        "Team of {answer} developers",
    ),
    (
        "project_documentation",
        "technical",
        "Project documentation",
        15,
        "project_documentation",
        "choice",
        [("comprehensive", "1", "Comprehensive"), ("partial", "0.6", "Partial"), ("none", "0", "None")],
        [],
        None,
    ),
    (
        "technical_stack_clarity",
        "technical",
        "Technical stack clarity",
        10,
        "technology_preferences",
        "non_empty",
        [("yes", "1", "Named"), ("no", "0", "None named")],
        [],
        "Technologies: {answer}",
    ),
    (
        "infrastructure_readiness",
        "technical",
        "Infrastructure readiness",
        10,
        "infrastructure_plan",
        "choice",
        YES_NO,
        [],
        None,
    ),
    (
        "clear_requirements",
        "business",
        "Clear requirements",
        30,
        "requirements_clarity",
        "choice",
        [
            ("very_clear", "1", "Very clear"),
            ("mostly_clear", "0.8", "Mostly clear"),
            ("somewhat_clear", "0.5", "Somewhat clear"),
            ("vague", "0", "Vague"),
        ],
        [],
        None,
    ),
    (
        "defined_timeline",
        "business",
        "Defined timeline",
        20,
        "timeline_urgency",
        "choice",
        [("urgent", "1", "Urgent"), ("moderate", "0.7", "Moderate"), ("flexible", "0", "Flexible")],
        [],
        None,
    ),
    (
        "stakeholder_alignment",
        "business",
        "Stakeholder alignment",
        15,
        "stakeholder_alignment",
        "choice",
        ALIGNMENT,
        [],
        None,
    ),
    ("success_criteria", "business", "Success criteria", 10, "success_criteria_defined", "choice", YES_NO, [], None),
    (
        "change_management_experience",
        "business",
        "Change management experience",
        5,
        "change_management_experience",
        "choice",
        YES_NO,
        [],
        None,
    ),
    (
        "budget_defined",
        "financial",
        "Budget defined",
        25,
        "budget_status",
        "choice",
        [("approved", "1", "Approved"), ("preliminary", "0.6", "Preliminary"), ("undefined", "0", "Undefined")],
        [],
        None,
    ),
    (
        "decision_authority",
        "financial",
        "Decision authority",
        20,
        "decision_authority",
        "choice",
        [("full", "1", "Full"), ("partial", "0.6", "Partial"), ("none", "0", "None")],
        [],
        None,
    ),
    (
        "contract_timeline",
        "financial",
        "Contract timeline",
        10,
        "contract_timeline_weeks",
        "at_most",
        [],
        [("2", "1"), ("4", "0.7"), ("8", "0.4")],
        "Can sign within {answer} weeks",
    ),
    ("payment_terms", "financial", "Payment terms", 5, "payment_terms_acceptable", "choice", YES_NO, [], None),
    (
        "change_readiness",
        "organizational",
        "Change readiness",
        15,
        "change_readiness",
        "choice",
        [
            ("enthusiastic", "1", "Enthusiastic"),
            ("open", "0.8", "Open"),
            ("cautious", "0.5", "Cautious"),
            ("resistant", "0", "Resistant"),
        ],
        [],
        None,
    ),
    (
        "team_availability",
        "organizational",
        "Team availability",
        10,
        "team_availability",
        "choice",
        [("full", "1", "Full"), ("partial", "0.6", "Partial"), ("limited", "0", "Limited")],
        [],
        None,
    ),
    (
        "communication_structure",
        "organizational",
        "Communication structure",
        10,
        "communication_structure",
        "choice",
        ALIGNMENT,
        [],
        None,
    ),
    ("project_priority", "organizational", "Project priority", 5, "high_priority", "choice", YES_NO, [], None),
]

QUALIFICATION_LEVELS = [
    (
        "highly_qualified",
        "80",
        "Highly qualified",
        ["Architecture review", "Tier recommendation", "Education", "Guarantee proposal"],
    ),
    (
        "qualified",
        "60",
        "Qualified",
        ["Requirements clarification", "Feasibility", "Stakeholder alignment session", "Preliminary proposal"],
    ),
    (
        "moderately_qualified",
        "40",
        "Moderately qualified",
        ["Close the named gaps", "Education content", "Discovery workshop", "Re-evaluate"],
    ),
    (
        "unqualified",
        "0",
        "Unqualified",
        ["Education resources", "Preparatory steps", "Follow-up in 3-6 months", "Consultation offer"],
    ),
]

DISQUALIFIERS = [
    ("no_stakeholder_alignment", "Stakeholders are not aligned"),
    ("unrealistic_timeline", "The timeline is unrealistic for the complexity"),
    ("no_existing_team", "There is no existing team"),
    ("no_technical_team", "There is no technical team"),
    ("business_critical_without_fallback", "Business-critical without a fallback plan"),
    ("poor_communication_structure", "The communication structure is poor"),
]

TIMELINE_LIMITS = [("medium", 4), ("high", 8), ("very_high", 12)]

SERVICE_TYPES = [
    (
        "mvp_development",
        "60",
        "70",
        ["clear_requirements", "defined_timeline", "budget_defined"],
        ["no_stakeholder_alignment", "unrealistic_timeline"],
    ),
    (
        "legacy_modernization",
        "65",
        "75",
        ["existing_codebase", "project_documentation", "change_readiness"],
        ["no_technical_team", "business_critical_without_fallback", "unrealistic_timeline"],
    ),
    (
        "team_augmentation",
        "55",
        "65",
        ["development_team", "clear_requirements", "communication_structure"],
        ["no_existing_team", "poor_communication_structure"],
    ),
]

SETTINGS = {
    "biggest_gaps_count": 3,
    "key_gap_fraction": D("0.5"),
    "qualification_stop_below": D("60"),
    "feasibility_stop_below": D("70"),
    "risky_technology_keywords": "experimental, alpha, bleeding",
    "risky_technology_deduction": D("15"),
    "integration_deduction": D("5"),
    "integration_deduction_cap": D("25"),
    "compliance_keywords": "hipaa, sox, pci, gdpr",
    "compliance_deduction": D("10"),
    "estimate_base_weeks": D("4"),
    "estimate_weeks_per_requirement": D("0.5"),
    "budget_low_usd": D("50000"),
    "budget_low_score": D("80"),
    "budget_high_usd": D("150000"),
    "budget_high_score": D("100"),
    "technical_weight": D("0.4"),
    "timeline_weight": D("0.3"),
    "resource_weight": D("0.3"),
    "blocker_threshold": D("70"),
    "feasibility_weight": D("0.6"),
    "qualification_weight": D("0.4"),
    "min_observed_sample": 20,
}

COMPLEXITY_DEDUCTIONS = [("low", "0"), ("medium", "10"), ("high", "20"), ("very_high", "30")]
MULTIPLIERS = [(10, "1.2"), (20, "1.3")]
TEAM_SCORES = [(0, "0"), (1, "70"), (3, "100")]
FEASIBILITY_LEVELS = [
    ("highly_feasible", "85", "Highly feasible"),
    ("feasible", "70", "Feasible"),
    ("marginal", "55", "Marginal"),
    ("infeasible", "0", "Infeasible"),
]
APPROACHES = [
    ("technical", 0, "Run a technical spike or prototype first"),
    ("timeline", 1, "Phased delivery: ship the core first, the rest in later phases"),
    ("resource", 2, "Reduce the scope or choose a smaller tier"),
]
PROBABILITY_BANDS = [
    ("very_high", "85", "95", "Very high"),
    ("high", "75", "85", "High"),
    ("good", "65", "75", "Good"),
    ("moderate", "55", "60", "Moderate"),
    ("low", "0", "40", "Low"),
]


def _seed_criteria(apps):
    Criterion = apps.get_model("leads", "Criterion")
    for position, (key, dimension, label, points, source, kind, choices, bands, template) in enumerate(CRITERIA):
        criterion, created = Criterion.objects.get_or_create(
            key=key,
            defaults={
                "position": position,
                "dimension": dimension,
                "label": label,
                "points": D(points),
                "source": source,
                "kind": kind,
                "fallback_fraction": D(0),
                "answer_template": template or "{label}: {answer}",
            },
        )
        if not created:
            continue
        for index, (value, fraction, choice_label) in enumerate(choices):
            criterion.choices.create(position=index, value=value, fraction=D(fraction), label=choice_label)
        for limit, fraction in bands:
            criterion.bands.create(limit=D(limit), fraction=D(fraction))


def _seed_qualification(apps):
    QualificationLevel = apps.get_model("leads", "QualificationLevel")
    for key, minimum, label, steps in QUALIFICATION_LEVELS:
        QualificationLevel.objects.get_or_create(
            key=key, defaults={"minimum": D(minimum), "label": label, "next_steps": "\n".join(steps)}
        )
    DisqualifierLabel = apps.get_model("leads", "DisqualifierLabel")
    for code, label in DISQUALIFIERS:
        DisqualifierLabel.objects.get_or_create(code=code, defaults={"label": label})
    TimelineLimit = apps.get_model("leads", "TimelineLimit")
    for complexity, weeks in TIMELINE_LIMITS:
        TimelineLimit.objects.get_or_create(complexity=complexity, defaults={"minimum_weeks": weeks})
    ServiceTypeSetting = apps.get_model("leads", "ServiceTypeSetting")
    Criterion = apps.get_model("leads", "Criterion")
    for service_type, minimum, ideal, factors, codes in SERVICE_TYPES:
        setting, created = ServiceTypeSetting.objects.get_or_create(
            service_type=service_type,
            defaults={"minimum": D(minimum), "ideal": D(ideal), "blocking_codes": codes},
        )
        if created:
            setting.key_factors.set(Criterion.objects.filter(key__in=factors))


def _seed_feasibility(apps):
    ScoringSettings = apps.get_model("leads", "ScoringSettings")
    if not ScoringSettings.objects.exists():
        ScoringSettings.objects.create(pk=1, **SETTINGS)
    for model, key, rows in [
        ("ComplexityDeduction", ("complexity", "points"), COMPLEXITY_DEDUCTIONS),
        ("RequirementMultiplier", ("more_than", "multiplier"), MULTIPLIERS),
        ("TeamScore", ("minimum", "score"), TEAM_SCORES),
    ]:
        Model = apps.get_model("leads", model)
        for first, second in rows:
            Model.objects.get_or_create(**{key[0]: first}, defaults={key[1]: D(second)})
    FeasibilityLevel = apps.get_model("leads", "FeasibilityLevel")
    for key, minimum, label in FEASIBILITY_LEVELS:
        FeasibilityLevel.objects.get_or_create(key=key, defaults={"minimum": D(minimum), "label": label})
    Approach = apps.get_model("leads", "Approach")
    for sub_score, position, text in APPROACHES:
        Approach.objects.get_or_create(sub_score=sub_score, defaults={"position": position, "text": text})
    ProbabilityBand = apps.get_model("leads", "ProbabilityBand")
    for key, minimum, percent, label in PROBABILITY_BANDS:
        ProbabilityBand.objects.get_or_create(
            key=key, defaults={"minimum": D(minimum), "percent": D(percent), "label": label}
        )


def seed(apps, schema_editor):
    _seed_criteria(apps)
    _seed_qualification(apps)
    _seed_feasibility(apps)


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
