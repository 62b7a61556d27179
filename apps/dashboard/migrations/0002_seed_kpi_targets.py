"""DOMAIN.md section 7's KPI targets, as the defaults admins then edit."""

from decimal import Decimal

from django.db import migrations

TARGETS = {
    "lead_conversion": "25",
    "qualification_accuracy": "90",
    "time_to_onboarding": "48",
    "project_success_rate": "95",
    "milestone_timeline_adherence": "90",
    "quality_gate_pass_rate": "98",
    "satisfaction": "8.5",
    "nps": "70",
    "claim_rate": "2",
    "customer_retention": "90",
    "expansion_revenue": "40",
    "case_study_rate": "30",
}


def seed(apps, schema_editor):
    KpiTarget = apps.get_model("dashboard", "KpiTarget")
    for key, target in TARGETS.items():
        KpiTarget.objects.get_or_create(key=key, defaults={"target": Decimal(target)})


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_kpis")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
