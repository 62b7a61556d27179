"""The lead and the accepted proposal become real foreign keys now that their apps exist (same column names)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_project_tier"),
        ("leads", "0001_initial"),
        ("tiers", "0003_proposal_proposalstakeholder_recommendation_and_more"),
    ]

    operations = [
        migrations.RenameField("project", "source_lead_id", "source_lead"),
        migrations.AlterField(
            model_name="project",
            name="source_lead",
            field=models.ForeignKey(
                blank=True,
                help_text="The lead this came from.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="projects",
                to="leads.lead",
            ),
        ),
        migrations.RenameField("project", "source_proposal_id", "source_proposal"),
        migrations.AlterField(
            model_name="project",
            name="source_proposal",
            field=models.OneToOneField(
                blank=True,
                help_text="The accepted proposal; one project per proposal.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="project",
                to="tiers.proposal",
            ),
        ),
    ]
