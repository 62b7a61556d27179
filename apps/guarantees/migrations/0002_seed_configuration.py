"""Seed DOMAIN.md section 4: the three milestone templates, the method numbers and the action wording."""

from decimal import Decimal as D

from django.db import migrations

# service type: template name, then weeks: (title, pass, escalate, [(key, name, weight, method)])
TEMPLATES = {
    "mvp_development": (
        "MVP development guarantee",
        [
            (
                "Foundation & Architecture",
                85,
                70,
                [
                    ("requirements-analysis", "Requirements analysis complete", "0.3", "stakeholder_sign_off"),
                    ("system-architecture", "System architecture designed", "0.4", "technical_review"),
                    ("development-environment", "Development environment set up", "0.2", "automated_verification"),
                    ("team-communication", "Team communication established", "0.1", "stakeholder_feedback"),
                ],
            ),
            (
                "Core Development Sprint",
                80,
                65,
                [
                    ("core-features", "Core features", "0.5", "automated_testing"),
                    ("api-integration", "API development & integration", "0.3", "integration_testing"),
                    ("security-implementation", "Security implementation", "0.2", "security_audit"),
                ],
            ),
            (
                "Feature Completion & QA",
                85,
                70,
                [
                    ("all-features", "All features implemented", "0.4", "stakeholder_demo"),
                    ("quality-gates", "Quality gates passed", "0.3", "automated_quality_checks"),
                    ("performance-benchmarks", "Performance benchmarks met", "0.2", "performance_testing"),
                    ("user-acceptance", "User acceptance testing", "0.1", "user_testing"),
                ],
            ),
            (
                "Delivery & Knowledge Transfer",
                90,
                75,
                [
                    ("production-deployment", "Production deployment", "0.3", "deployment_verification"),
                    ("documentation", "Documentation complete", "0.2", "documentation_review"),
                    ("knowledge-transfer", "Knowledge transfer", "0.2", "training_completion"),
                    ("satisfaction-survey", "Customer satisfaction survey", "0.3", "satisfaction_survey"),
                ],
            ),
        ],
    ),
    "legacy_modernization": (
        "Legacy modernization guarantee",
        [
            (
                "Legacy Analysis & Modernization Plan",
                85,
                70,
                [
                    ("legacy-analysis", "Legacy system analysis", "0.4", "technical_review"),
                    ("modernization-strategy", "Modernization strategy approved", "0.3", "stakeholder_sign_off"),
                    ("risk-assessment", "Risk assessment complete", "0.2", "technical_review"),
                    ("modernization-environment", "Modernization environment set up", "0.1", "automated_verification"),
                ],
            ),
            (
                "Incremental Migration",
                80,
                65,
                [
                    ("modules-migrated", "First modules migrated with parity tests", "0.5", "automated_testing"),
                    ("data-migration", "Data migration verified", "0.3", "automated_verification"),
                    ("security-hardening", "Security hardening", "0.2", "security_audit"),
                ],
            ),
            (
                "Parity, Performance & QA",
                85,
                70,
                [
                    ("functional-parity", "Functional parity demonstrated", "0.4", "stakeholder_demo"),
                    ("performance-baseline", "Performance vs legacy baseline", "0.3", "performance_testing"),
                    ("quality-gates", "Quality gates", "0.2", "automated_quality_checks"),
                    ("user-acceptance", "UAT", "0.1", "user_testing"),
                ],
            ),
            (
                "Cutover & Knowledge Transfer",
                90,
                75,
                [
                    ("production-cutover", "Production cutover", "0.3", "deployment_verification"),
                    ("runbooks", "Runbooks and documentation", "0.2", "documentation_review"),
                    ("knowledge-transfer", "Knowledge transfer", "0.2", "training_completion"),
                    ("satisfaction-survey", "Satisfaction survey", "0.3", "satisfaction_survey"),
                ],
            ),
        ],
    ),
    "team_augmentation": (
        "Team augmentation guarantee",
        [
            (
                "Onboarding & Integration",
                85,
                70,
                [
                    ("team-integrated", "Team integrated in customer workflow", "0.3", "stakeholder_sign_off"),
                    ("access-environments", "Access and environments ready", "0.3", "automated_verification"),
                    ("codebase-review", "Codebase review", "0.2", "technical_review"),
                    ("communication-cadence", "Communication cadence", "0.2", "stakeholder_feedback"),
                ],
            ),
            (
                "First Contributions",
                80,
                65,
                [
                    ("merged-work-ci", "Merged work passes CI", "0.5", "automated_testing"),
                    ("code-review-quality", "Code review quality", "0.3", "technical_review"),
                    ("secure-practices", "Secure practices", "0.2", "security_audit"),
                ],
            ),
            (
                "Velocity Ramp",
                85,
                70,
                [
                    ("sprint-goals", "Sprint goals demonstrated", "0.4", "stakeholder_demo"),
                    ("quality-gates", "Quality gates", "0.3", "automated_quality_checks"),
                    ("integration-tests", "Integration tests", "0.3", "integration_testing"),
                ],
            ),
            (
                "Sustained Delivery",
                90,
                75,
                [
                    ("stakeholder-feedback", "Stakeholder feedback", "0.3", "stakeholder_feedback"),
                    ("documentation", "Documentation", "0.2", "documentation_review"),
                    ("knowledge-sharing", "Knowledge sharing", "0.2", "training_completion"),
                    ("satisfaction-survey", "Satisfaction survey", "0.3", "satisfaction_survey"),
                ],
            ),
        ],
    ),
}
DUE_DAYS = [7, 14, 21, 28]

SETTINGS = {
    "testing_coverage_weight": D("0.6"),
    "testing_pass_rate_weight": D("0.4"),
    "integration_undocumented_factor": D("0.9"),
    "security_critical_penalty": D(50),
    "security_high_penalty": D(25),
    "security_medium_penalty": D(5),
    "security_low_penalty": D(0),
    "performance_response_weight": D("0.4"),
    "performance_throughput_weight": D("0.3"),
    "performance_error_weight": D("0.3"),
    "survey_full_response_rate_percent": D(80),
    "target_uptime_percent": D("99.9"),
    "complete_at": D(80),
    "recovery_action_limit": 3,
    "action_due_days": 2,
    "reminder_days_before": 1,
    "reminder_days_after": 2,
}

RECOVERY = {
    "stakeholder_sign_off": (
        "Get {criterion} approved",
        "Walk the missing approvers through {criterion} and collect their approval ({score} so far, weight {weight}).",
    ),
    "technical_review": (
        "Rework and re-review {criterion}",
        "Address the reviewer's notes on {criterion} and book a second review ({score} so far).",
    ),
    "automated_verification": (
        "Fix the failing checks for {criterion}",
        "Make every automated check of {criterion} pass and re-run the verification ({score} so far).",
    ),
    "stakeholder_feedback": (
        "Follow up on feedback about {criterion}",
        "Meet the stakeholders who rated {criterion} low and agree concrete improvements ({score} so far).",
    ),
    "automated_testing": (
        "Raise coverage and fix failing tests for {criterion}",
        "Add tests and fix failures until {criterion} passes in CI ({score} so far).",
    ),
    "integration_testing": (
        "Fix failing endpoints of {criterion}",
        "Repair the failing endpoints and publish the API docs for {criterion} ({score} so far).",
    ),
    "security_audit": (
        "Remediate security findings in {criterion}",
        "Fix critical and high findings first, then re-run the audit of {criterion} ({score} so far).",
    ),
    "stakeholder_demo": (
        "Demonstrate the remaining features of {criterion}",
        "Schedule a follow-up demo covering the planned features not yet shown ({score} so far).",
    ),
    "automated_quality_checks": (
        "Get the failing quality gates of {criterion} green",
        "Fix what each failing gate reports and re-run the quality checks ({score} so far).",
    ),
    "performance_testing": (
        "Tune performance for {criterion}",
        "Profile the slowest paths, fix them and re-run the load test against the targets ({score} so far).",
    ),
    "user_testing": (
        "Resolve UAT objections on {criterion}",
        "Collect the reasons of participants who did not approve and fix them before a UAT re-run ({score} so far).",
    ),
    "deployment_verification": (
        "Stabilise the deployment for {criterion}",
        "Finish the deployment checklist and restore uptime to target ({score} so far).",
    ),
    "documentation_review": (
        "Complete the documentation for {criterion}",
        "Write the missing checklist items of {criterion} and have them reviewed ({score} so far).",
    ),
    "training_completion": (
        "Hold the missing training for {criterion}",
        "Schedule the remaining sessions and follow up with people who missed them ({score} so far).",
    ),
    "satisfaction_survey": (
        "Act on the satisfaction survey ({criterion})",
        "Call the respondents, agree fixes and raise the response rate ({score} so far).",
    ),
}

ESCALATIONS = [
    (
        "Escalate week to the CSM's lead",
        "The week scored {milestone_score}, below the escalation threshold {escalation_threshold}: review the recovery plan with the CSM's lead within one working day.",
    ),
    (
        "Brief the customer's executive",
        "Share the failed week ({milestone_score} against a pass threshold of {pass_threshold}) and the recovery plan with the customer's executive sponsor.",
    ),
]


def seed(apps, schema_editor):
    GuaranteeTemplate = apps.get_model("guarantees", "GuaranteeTemplate")
    TemplateMilestone = apps.get_model("guarantees", "TemplateMilestone")
    TemplateCriterion = apps.get_model("guarantees", "TemplateCriterion")
    MethodSettings = apps.get_model("guarantees", "MethodSettings")
    RecoveryText = apps.get_model("guarantees", "RecoveryText")
    EscalationText = apps.get_model("guarantees", "EscalationText")
    for service_type, (name, weeks) in TEMPLATES.items():
        template, _ = GuaranteeTemplate.objects.get_or_create(
            service_type=service_type, defaults={"name": name, "duration_days": 30}
        )
        for week, (title, pass_at, escalate_at, criteria) in enumerate(weeks, 1):
            milestone, _ = TemplateMilestone.objects.get_or_create(
                template=template,
                week=week,
                defaults={
                    "title": title,
                    "due_day": DUE_DAYS[week - 1],
                    "pass_threshold": D(pass_at),
                    "escalation_threshold": D(escalate_at),
                },
            )
            for position, (key, label, weight, method) in enumerate(criteria, 1):
                TemplateCriterion.objects.get_or_create(
                    milestone=milestone,
                    key=key,
                    defaults={"position": position, "name": label, "weight": D(weight), "method": method},
                )
    MethodSettings.objects.get_or_create(pk=1, defaults=SETTINGS)
    for method, (title, detail) in RECOVERY.items():
        RecoveryText.objects.get_or_create(method=method, defaults={"title": title, "detail": detail})
    if not EscalationText.objects.exists():
        for position, (title, detail) in enumerate(ESCALATIONS, 1):
            EscalationText.objects.create(position=position, title=title, detail=detail)


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
