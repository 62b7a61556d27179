"""Seed the quality gates with DOMAIN.md section 5's thresholds, weights and escalation rule (admins edit them)."""

from decimal import Decimal

from django.db import migrations

# key, direction, threshold, recommendation when it fails
GATES = [
    (
        "coverage_percent",
        "at_least",
        "95",
        "Raise test coverage: add tests for the untested modules the coverage "
        "report lists, starting with the code changed this week.",
    ),
    (
        "cyclomatic_complexity",
        "at_most",
        "10",
        "Split the functions above the complexity limit into smaller ones and cover each branch with a test.",
    ),
    (
        "maintainability",
        "at_least",
        "8.5",
        "Refactor the files with the lowest maintainability rating: remove "
        "duplication, shorten long functions, name things plainly.",
    ),
    (
        "high_critical_vulnerabilities",
        "at_most",
        "0",
        "Fix or mitigate every high and critical finding of the "
        "security scan before the next release; record accepted risks with a reason.",
    ),
    (
        "performance_p95_score",
        "at_least",
        "95",
        "Profile the slowest endpoints at p95 and fix the top offenders "
        "(queries, caching, payload size); re-run the load test.",
    ),
    (
        "requirements_traceability",
        "at_least",
        "100",
        "Link every requirement to the code and tests that deliver "
        "it; raise the ones without a home with the product owner.",
    ),
    (
        "acceptance_criteria_coverage",
        "at_least",
        "100",
        "Write an automated test for each acceptance criterion still without one.",
    ),
    (
        "stakeholder_approval",
        "at_least",
        "85",
        "Walk the stakeholders through the items they have not approved and agree the changes they need.",
    ),
    (
        "documentation",
        "at_least",
        "90",
        "Complete the missing items of the documentation checklist (setup, architecture, runbooks, API).",
    ),
    (
        "milestone_adherence",
        "at_least",
        "90",
        "Bring the overdue weeks to sign-off: finish their evidence, validate them and follow up with the approvers.",
    ),
    (
        "responsiveness",
        "at_least",
        "95",
        "Answer sign-off requests and escalations within their deadline: review the open ones today and set reminders.",
    ),
    (
        "escalation_resolution_hours",
        "at_most",
        "24",
        "Resolve escalations within a day: assign an owner at once and report progress to the team lead.",
    ),
    (
        "satisfaction",
        "at_least",
        "8.0",
        "Call the stakeholders who scored low, agree what would change their view, and follow up with a short survey.",
    ),
]


def seed(apps, schema_editor):
    Settings = apps.get_model("projects", "QualityGateSettings")
    Gate = apps.get_model("projects", "QualityGate")
    settings, _ = Settings.objects.get_or_create(
        pk=1,
        defaults={
            "code_weight": Decimal("0.4"),
            "delivery_weight": Decimal("0.3"),
            "process_weight": Decimal("0.3"),
            "escalate_below": Decimal("80"),
            "escalate_failed_over": 2,
            "signoff_grace_days": 2,
        },
    )
    for position, (key, direction, threshold, recommendation) in enumerate(GATES, 1):
        Gate.objects.get_or_create(
            key=key,
            defaults={
                "gate_settings": settings,
                "position": position,
                "direction": direction,
                "threshold": Decimal(threshold),
                "recommendation": recommendation,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_quality_gates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
