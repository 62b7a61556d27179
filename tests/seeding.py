"""Keep the configuration the data migrations seed (tiers, scoring weights, templates, the Finance group).

A transactional test (the live server of the browser journeys, the PostgreSQL race tests) ends with a flush that
empties every table, seeded rows included. `tests/conftest.py` calls `ensure_seeded()` before each transactional
test and once at the start and end of the session, so every test, and the next `--reuse-db` run, finds them.
Seeds are re-run only where their sentinel model is empty, by the migration's own (idempotent) function.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import migrations

# Each seed migration, with a model that is empty exactly when that seed is missing.
SEED_MIGRATIONS: dict[str, str] = {
    "apps.accounts.migrations.0002_finance_group": "auth.Group",
    "apps.leads.migrations.0002_seed_scoring_defaults": "leads.ScoringSettings",
    "apps.tiers.migrations.0002_seed_defaults": "tiers.TierSettings",
    "apps.education.migrations.0002_seed_defaults": "education.EducationSettings",
    "apps.projects.migrations.0002_seed_team_templates": "projects.TeamTemplate",
    "apps.projects.migrations.0006_seed_quality_gates": "projects.QualityGateSettings",
    "apps.projects.migrations.0006_seed_progress_settings": "projects.ProgressSettings",
    "apps.guarantees.migrations.0002_seed_configuration": "guarantees.GuaranteeTemplate",
    "apps.outcomes.migrations.0002_seed_configuration": "outcomes.OutcomeSettings",
    "apps.dashboard.migrations.0002_seed_kpi_targets": "dashboard.KpiTarget",
    "apps.retention.migrations.0002_seed_configuration": "retention.HealthSettings",
    "apps.retention.migrations.0005_seed_playbooks": "retention.Playbook",
}


def ensure_seeded() -> None:
    for module, sentinel in SEED_MIGRATIONS.items():
        if apps.get_model(sentinel).objects.exists():
            continue
        for operation in importlib.import_module(module).Migration.operations:
            if isinstance(operation, migrations.RunPython):
                operation.code(apps, None)
