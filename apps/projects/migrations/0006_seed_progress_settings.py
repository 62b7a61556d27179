"""Seed the schedule-status thresholds of DOMAIN.md section 5 (admins edit them later).

Progress minus expected: >= +10 ahead; >= -5 on track; >= -15 at risk; else behind. High/critical risk: priority.
"""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    ProgressSettings = apps.get_model("projects", "ProgressSettings")
    ProgressSettings.objects.get_or_create(
        pk=1,
        defaults={
            "ahead_min": Decimal("10"),
            "on_track_min": Decimal("-5"),
            "at_risk_min": Decimal("-15"),
            "priority_risk_levels": ["high", "critical"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_progress_updates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
