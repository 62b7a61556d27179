"""The batched rescore stores exactly what scoring one lead stores, with a query count that does not grow."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.leads.models import Lead, LeadScore, QualificationLevel, RescoreRun, ScoringSettings
from apps.leads.scoring import versions
from apps.leads.scoring.record import HEADLINE_FIELDS
from apps.leads.scoring.run import new_score, run_rescore
from tests.leads.factories import LeadFactory

pytestmark = pytest.mark.django_db

VARIED = [
    {},
    {"weak": True},
    {"team_size": 0, "complexity": "very_high", "timeline_weeks": 2, "business_criticality": "critical"},
    {"technology_preferences": ["Rust", "alpha build"], "compliance_requirements": ["HIPAA", "SOX"]},
    {"answers": {"contract_timeline_weeks": 6, "stakeholder_alignment": "fair"}, "budget_usd": Decimal("55000.50")},
    {"requirements": [f"Requirement {i}" for i in range(30)], "required_integrations": ["A", "B", "C", "D", "E"]},
    {"technology_preferences": ["Zürich ML – beta"], "team_size": 1, "service_type": "team_augmentation"},
    {"answers": {}, "technology_preferences": [], "service_type": "legacy_modernization"},
]


def _leads(count: int) -> list[Lead]:
    return [LeadFactory(**VARIED[n % len(VARIED)]) for n in range(count)]


def _publish(admin_user: object) -> RescoreRun:
    versions.current_version()
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(65))
    ScoringSettings.objects.update(compliance_deduction=Decimal(15))
    return versions.publish_config(actor=admin_user)[1]


def test_the_batched_rescore_stores_what_scoring_one_lead_stores(admin_user):
    leads = _leads(len(VARIED) * 2)
    run = _publish(admin_user)
    run_rescore(run_id=run.pk)
    config = versions.config_for(run.version)
    for lead in Lead.objects.select_related("latest_score").filter(pk__in=[lead.pk for lead in leads]):
        stored = lead.latest_score
        expected = new_score(lead, lead.facts(), run.version, config, lead.inputs_hash)
        assert stored.config_version_id == run.version.pk
        assert stored.inputs_hash == expected.inputs_hash
        for name in (*HEADLINE_FIELDS, "disqualifiers", "blocked_service_types", "stops"):
            assert getattr(stored, name) == getattr(expected, name), name
        assert (stored.qualification, stored.feasibility) == (expected.qualification, expected.feasibility)
        assert lead.probability_band == expected.probability_band


def test_the_stored_json_is_the_text_django_would_write(admin_user):
    lead = _leads(3)[2]
    run = _publish(admin_user)
    run_rescore(run_id=run.pk)
    score = LeadScore.objects.get(lead=lead, config_version=run.version)
    with connection.cursor() as cursor:
        cursor.execute("SELECT qualification FROM leads_leadscore WHERE id = %s", [score.pk])
        (raw,) = cursor.fetchone()
    assert (json.loads(raw) if isinstance(raw, str) else raw) == score.qualification
    if connection.vendor == "sqlite":  # PostgreSQL keeps jsonb, which has no text of its own
        assert raw == json.dumps(score.qualification)


def test_a_rescore_batch_takes_the_same_number_of_queries_for_more_leads(admin_user):
    def queries_for(count: int) -> int:
        Lead.objects.all().delete()
        _leads(count)
        run = RescoreRun.objects.create(version=versions.current_version(), total=count)
        with CaptureQueriesContext(connection) as captured:
            run_rescore(run_id=run.pk)
        return len(captured)

    assert queries_for(4) == queries_for(40)
