"""Seed the team template of each service type with DOMAIN.md section 5's roles (admins edit them later)."""

from datetime import time
from decimal import Decimal

from django.db import migrations

# title, allocation (FTE), from the tier's developer pool, condition
ROLES = [
    ("Requirements analyst", Decimal("1"), False, "always"),
    ("Solution architect", Decimal("1"), False, "always"),
    ("Developer", Decimal("0"), True, "always"),
    ("QA engineer", Decimal("1"), False, "always"),
    ("DevOps engineer", Decimal("1"), False, "always"),
    ("UI/UX designer", Decimal("0.5"), False, "ui_requirements"),
    ("Security specialist", Decimal("0.5"), False, "compliance_requirements"),
]
SERVICE_TYPES = ["mvp_development", "legacy_modernization", "team_augmentation"]


def seed(apps, schema_editor):
    TeamTemplate = apps.get_model("projects", "TeamTemplate")
    TeamTemplateRole = apps.get_model("projects", "TeamTemplateRole")
    for service_type in SERVICE_TYPES:
        template, _ = TeamTemplate.objects.get_or_create(
            service_type=service_type, defaults={"default_standup_time": time(9, 30)}
        )
        for position, (title, allocation, pool, condition) in enumerate(ROLES, 1):
            TeamTemplateRole.objects.get_or_create(
                template=template,
                title=title,
                defaults={
                    "position": position,
                    "allocation": allocation,
                    "from_developer_pool": pool,
                    "condition": condition,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
