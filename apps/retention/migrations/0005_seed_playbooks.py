"""DOMAIN.md section 6's playbooks: one per retention strategy, with its actions and days; the outcome rule's numbers.

Owner role, priority, expected impact and cost are not given by DOMAIN.md; the seeded values are a starting point
admins edit (the executive call of a critical account is the team lead's, everything else the CSM's).
"""

from django.db import migrations

PLAYBOOKS = [
    (
        "critical_intervention",
        "Critical intervention",
        "Health under 45 or churn risk at 80 or more: stop the slide this week. Starts itself when a customer enters it.",
        [
            ("Executive call", "team_lead", "high", "high", "medium", 2),
            ("Written recovery plan", "csm", "high", "high", "medium", 5),
            ("Twice-weekly check-ins for 2 weeks", "csm", "high", "medium", "high", 14),
        ],
    ),
    (
        "at_risk_recovery",
        "At-risk recovery",
        "Health under 65 or two open escalations: find the cause and fix it.",
        [
            ("Health review call", "csm", "high", "medium", "low", 3),
            ("Fix the weakest component's top issue", "csm", "high", "high", "medium", 7),
            ("Follow-up survey", "csm", "medium", "low", "low", 14),
        ],
    ),
    (
        "improvement",
        "Improvement",
        "Health under 85: lift the account from fair to good.",
        [
            ("Success-plan review", "csm", "medium", "medium", "low", 14),
            ("Training offer", "csm", "medium", "medium", "medium", 21),
        ],
    ),
    (
        "expansion",
        "Expansion",
        "Expansion potential at 70 or more and satisfaction at 85 or more: grow the account.",
        [
            ("Expansion discovery call", "csm", "medium", "high", "low", 7),
            ("Proposal for the best opportunity", "csm", "medium", "high", "medium", 14),
        ],
    ),
    (
        "nurture",
        "Nurture",
        "Healthy: keep it so.",
        [
            ("Quarterly business review", "csm", "low", "medium", "low", 30),
            ("Reference or case study ask", "csm", "low", "medium", "low", 30),
        ],
    ),
]


def seed(apps, schema_editor):
    Playbook = apps.get_model("retention", "Playbook")
    PlaybookAction = apps.get_model("retention", "PlaybookAction")
    PlaybookSettings = apps.get_model("retention", "PlaybookSettings")
    if not PlaybookSettings.objects.exists():
        PlaybookSettings.objects.create(outcome_after_days=30, worked_delta=5)
    for strategy, name, description, actions in PLAYBOOKS:
        playbook, created = Playbook.objects.get_or_create(
            strategy=strategy, defaults={"name": name, "description": description}
        )
        if not created:
            continue
        for position, (title, owner_role, priority, impact, cost, days) in enumerate(actions):
            PlaybookAction.objects.create(
                playbook=playbook,
                position=position,
                title=title,
                owner_role=owner_role,
                priority=priority,
                expected_impact=impact,
                cost=cost,
                due_in_days=days,
            )


class Migration(migrations.Migration):
    dependencies = [("retention", "0004_playbooks")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
