"""Seed DOMAIN.md section 4 (final validation and claims): criteria per service type, the case-study bar,
the continued-development extension, and the migration-assistance steps (DOMAIN.md names the remedy, not its steps;
these defaults are the usual hand-over checklist, and admins edit them)."""

from decimal import Decimal as D

from django.db import migrations

MILESTONES = (
    "weekly-milestones",
    "Weekly milestones (mean milestone score)",
    "100",
    "points",
    "milestone_mean",
    "",
    "",
)
SATISFACTION = ("satisfaction", "Customer satisfaction", "8.5", "/10", "evidence", "satisfaction_survey", "score")

# service type: [(key, label, weight, target, unit, source, evidence method, evidence field, input help)]
CRITERIA = {
    "mvp_development": [
        (*MILESTONES[:2], "0.4", *MILESTONES[2:], ""),
        ("test-coverage", "Test coverage", "0.3", "95", "%", "evidence", "automated_testing", "coverage_percent", ""),
        (*SATISFACTION[:2], "0.3", *SATISFACTION[2:], ""),
    ],
    "legacy_modernization": [
        (
            "performance-improvement",
            "Performance improvement",
            "0.4",
            "50",
            "%",
            "csm_value",
            "",
            "",
            "Improvement over the legacy baseline in %, from the performance test report.",
        ),
        (
            "vulnerability-reduction",
            "Vulnerability reduction",
            "0.3",
            "90",
            "%",
            "csm_reduction",
            "",
            "",
            "Vulnerabilities found in the legacy system (baseline) and in the modernized one (current).",
        ),
        (*SATISFACTION[:2], "0.3", *SATISFACTION[2:], ""),
    ],
    "team_augmentation": [
        (
            "velocity-improvement",
            "Velocity improvement",
            "0.5",
            "40",
            "%",
            "csm_value",
            "",
            "",
            "Sprint velocity improvement in %, from the customer's tracker (baseline sprint vs last sprint).",
        ),
        (*MILESTONES[:2], "0.2", *MILESTONES[2:], ""),
        (*SATISFACTION[:2], "0.3", *SATISFACTION[2:], ""),
    ],
}

MIGRATION_TASKS = [
    (
        "Hand over source code and repositories",
        "Transfer every repository, with history, to the customer's account.",
        3,
    ),
    ("Hand over environments and credentials", "Infrastructure, CI and deployment access moved to the customer.", 5),
    ("Export data and migration scripts", "Data exports with the scripts and instructions to reload them.", 7),
    ("Deliver documentation and runbooks", "Architecture, operations and known-issues documentation.", 7),
    ("Knowledge-transfer sessions with the new team", "Walkthroughs for the team taking the work over.", 10),
    ("Transition support period", "Answer the new team's questions until the hand-over is confirmed.", 14),
]


def seed(apps, schema_editor):
    settings_model = apps.get_model("outcomes", "OutcomeSettings")
    settings_model.objects.update_or_create(
        pk=1, defaults={"case_study_min_score": D("95"), "case_study_min_satisfaction": D("9"), "extension_weeks": 2}
    )
    criterion = apps.get_model("outcomes", "FinalCriterionConfig")
    for service_type, rows in CRITERIA.items():
        for position, row in enumerate(rows):
            key, label, weight, target, unit, source, method, field, help_text = row
            criterion.objects.update_or_create(
                service_type=service_type,
                key=key,
                defaults={
                    "position": position,
                    "label": label,
                    "weight": D(weight),
                    "target": D(target),
                    "unit": unit,
                    "source": source,
                    "evidence_method": method,
                    "evidence_field": field,
                    "is_satisfaction": key == "satisfaction",
                    "input_help": help_text,
                },
            )
    task = apps.get_model("outcomes", "MigrationTaskTemplate")
    for position, (title, detail, days) in enumerate(MIGRATION_TASKS):
        task.objects.update_or_create(title=title, defaults={"position": position, "detail": detail, "due_days": days})


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
