"""The rescore stores exactly the rows it stored before the hot path was restructured (issue 15).

A fixed, varied set of leads is scored with version 1 and rescored after a configuration change, as the bench
does. Every stored value of every score (headline columns, lists, both explanation JSON documents, config version)
and every lead outcome is hashed per lead and compared with `rescore_stored_rows.json`, recorded from the code
before the change. The JSON is hashed as parsed values with sorted keys, which is the same on SQLite and
PostgreSQL; the raw column text, key order included, is hashed per vendor too (PostgreSQL's jsonb prints keys in
its own order, so each vendor has its own raw digest).

To re-record after an intended change of the stored numbers: RECORD_STORED_ROWS=1 pytest this file, on SQLite and
on PostgreSQL, and say in the commit why the numbers changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from apps.leads.models import Lead, LeadScore, QualificationLevel, RescoreRun, ScoringSettings
from apps.leads.scoring import versions
from apps.leads.scoring.facts import facts_hash
from apps.leads.scoring.run import run_rescore
from tests.customers.factories import UserFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).with_name("rescore_stored_rows.json")
LEADS = 150
COMPLEXITIES = ["low", "medium", "high", "very_high"]
SERVICES = ["mvp_development", "legacy_modernization", "team_augmentation"]
CHOICES = {  # best answer first
    "project_documentation": ["comprehensive", "partial", "none"],
    "requirements_clarity": ["very_clear", "mostly_clear", "somewhat_clear", "vague"],
    "timeline_urgency": ["urgent", "moderate", "flexible"],
    "stakeholder_alignment": ["excellent", "good", "fair", "poor"],
    "budget_status": ["approved", "preliminary", "undefined"],
    "decision_authority": ["full", "partial", "none"],
    "change_readiness": ["enthusiastic", "open", "cautious", "resistant"],
    "team_availability": ["full", "partial", "limited"],
    "communication_structure": ["excellent", "good", "fair", "poor"],
}
BOOLEANS = [
    "existing_codebase",
    "infrastructure_plan",
    "success_criteria_defined",
    "change_management_experience",
    "payment_terms_acceptable",
    "high_priority",
]
TECHNOLOGIES = [[], ["Django"], ["Rust", "alpha build"], ["Zürich ML – beta"], ["Go", "Elm", 'Nightly "x" \\ y']]
COMPLIANCE = [[], ["HIPAA"], ["HIPAA", "ISO 27001"], ["sox", "PCI-DSS", "GDPR"]]
BUDGETS = ["0", "49999.99", "50000", "55000.50", "150000", "149999.01", "1000000"]


def _answers(n: int) -> dict[str, Any]:
    """Answers whose strength varies with n; some leads leave some unanswered."""
    strength = n % 4
    answers: dict[str, Any] = {
        key: values[min(len(values) - 1, max(0, strength + (n * (i + 7)) % 3 - 1))]
        for i, (key, values) in enumerate(CHOICES.items())
    }
    answers.update({key: (n * (i + 5)) % 4 >= strength for i, key in enumerate(BOOLEANS)})
    answers["contract_timeline_weeks"] = [1, 3, 6, 12, 0][n % 5]
    if n % 7 == 3:  # a partial questionnaire
        answers = {key: value for i, (key, value) in enumerate(answers.items()) if (i + n) % 3}
    if n % 29 == 5:
        answers = {}
    return answers


def _lead(n: int, owner: Any) -> Lead:
    budget = Decimal(BUDGETS[n % len(BUDGETS)]) if n % 3 == 0 else Decimal(5_000 + (n * 7919) % 250_000)
    lead = Lead(
        organization_name=f"Stored rows prospect {n:03d}",
        contact_name="Rows",
        contact_email=f"rows{n}@example.com",
        service_type=SERVICES[n % 3],
        timeline_weeks=1 + (n * 5) % 30,
        complexity=COMPLEXITIES[n % 4],
        requirements=[f"Requirement {i}" for i in range((n * 3) % 32)],
        technology_preferences=TECHNOLOGIES[n % len(TECHNOLOGIES)],
        compliance_requirements=COMPLIANCE[n % len(COMPLIANCE)],
        required_integrations=[f"S{i}" for i in range(n % 9)],
        budget_usd=budget,
        business_criticality=["low", "medium", "high", "critical"][n % 4],
        team_size=n % 7,
        has_ui_requirements=n % 2 == 1,
        has_fallback_plan=n % 5 != 0,
        answers=_answers(n),
        owner=owner,
    )
    lead.inputs_hash = facts_hash(lead.facts())
    return lead


SCORE_COLUMNS = (
    "config_version__number",
    "inputs_hash",
    "qualification_score",
    "qualification_level",
    "feasibility_score",
    "feasibility_level",
    "estimated_weeks",
    "disqualifiers",
    "blocked_service_types",
    "combined_score",
    "probability_band",
    "probability_percent",
    "stops",
    "qualification",
    "feasibility",
)


def _stored() -> tuple[dict[str, str], str]:
    """Per lead, a hash of its scores and outcome; and one hash of the raw JSON text of every score."""
    digests: dict[str, Any] = {}
    rows = LeadScore.objects.order_by("lead__organization_name", "config_version__number").values_list(
        "lead__organization_name", *SCORE_COLUMNS
    )
    for name, *values in rows:
        digests.setdefault(name, hashlib.sha256()).update(json.dumps(values, sort_keys=True, default=str).encode())
    leads = Lead.objects.values_list(
        "organization_name", "status", "probability_band", "inputs_hash", "latest_score__config_version__number"
    )
    for name, *values in leads:
        digests.setdefault(name, hashlib.sha256()).update(json.dumps(values).encode())
    raw = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.organization_name, v.number, s.disqualifiers, s.blocked_service_types, s.stops, "
            "s.qualification, s.feasibility FROM leads_leadscore s JOIN leads_lead l ON l.id = s.lead_id "
            "JOIN leads_scoringconfigversion v ON v.id = s.config_version_id ORDER BY l.organization_name, v.number"
        )
        for row in cursor.fetchall():
            raw.update(repr(row).encode())
    return {name: digest.hexdigest()[:16] for name, digest in sorted(digests.items())}, raw.hexdigest()[:16]


def test_a_fixed_set_of_leads_is_stored_as_before_the_rescore_was_restructured():
    owner = UserFactory(email="rows@portal.example")
    Lead.objects.bulk_create([_lead(n, owner) for n in range(LEADS)])
    first = RescoreRun.objects.create(version=versions.current_version(), total=LEADS)
    run_rescore(run_id=first.pk)
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(65))
    ScoringSettings.objects.update(compliance_deduction=Decimal(15), integration_deduction=Decimal("2.5"))
    _, second = versions.publish_config(actor=owner, note="stored rows")
    run_rescore(run_id=second.pk)
    assert LeadScore.objects.count() == 2 * LEADS

    per_lead, raw = _stored()
    golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {"leads": {}, "raw": {}}
    if os.environ.get("RECORD_STORED_ROWS"):
        golden["leads"] = per_lead
        golden["raw"][connection.vendor] = raw
        GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    differing = [name for name in per_lead if per_lead[name] != golden["leads"].get(name)]
    assert not differing, f"{len(differing)} leads stored differently, first {differing[:5]}"
    assert len(per_lead) == len(golden["leads"]) == LEADS
    assert raw == golden["raw"][connection.vendor], "the raw JSON text differs (key order or spacing)"
