"""Leads with stored scores: five per customer index, drawn from a few dozen answer profiles.

Each profile is scored once with the current published configuration (`record.score_record`, what the scoring task
stores), and every lead with that profile points at its own copy of that score, with the same inputs hash.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.core.scale.people import Book
from apps.core.scale.writer import RawJson, insert, next_ids
from apps.leads.models import Lead, LeadScore
from apps.leads.scoring.facts import ANSWER_CHOICES, FACT_FIELDS, facts_from, facts_hash
from apps.leads.scoring.record import HEADLINE_FIELDS, score_record
from apps.leads.scoring.run import status_after
from apps.leads.scoring.versions import config_for, current_version

LEADS_PER_CUSTOMER = 5
PROFILES = 48
SERVICES = ["mvp_development", "legacy_modernization", "team_augmentation"]
COMPLEXITIES = ["low", "medium", "high", "very_high"]
CRITICALITY = ["low", "medium", "high", "critical"]
# Of every 50 leads: 4 became proposals, 3 were won and 3 lost; the rest are still being qualified.
LATER = {0: Lead.Status.PROPOSAL, 1: Lead.Status.PROPOSAL, 2: Lead.Status.WON, 3: Lead.Status.LOST}


def profile(p: int) -> dict[str, Any]:
    """Lead inputs that vary from strong to weak with `p`."""
    answers: dict[str, Any] = {
        name: choices[(p + k) % len(choices)] for k, (name, choices) in enumerate(ANSWER_CHOICES.items())
    }
    answers.update(
        existing_codebase=p % 2 == 0,
        infrastructure_plan=p % 3 != 0,
        success_criteria_defined=p % 4 != 1,
        change_management_experience=p % 5 < 3,
        contract_timeline_weeks=2 + p % 6,
        payment_terms_acceptable=p % 7 != 0,
        high_priority=p % 3 == 0,
    )
    return {
        "service_type": SERVICES[p % 3],
        "timeline_weeks": 6 + (p * 5) % 30,
        "complexity": COMPLEXITIES[p % 4],
        "requirements": ["Sign-up", "Dashboard", "Billing", "Reports"][: 1 + p % 4],
        "technology_preferences": ["Django", "PostgreSQL"] if p % 2 else ["React"],
        "compliance_requirements": ["SOC 2"] if p % 5 == 0 else [],
        "required_integrations": ["Stripe"][: p % 2],
        "budget_usd": Decimal(30_000 + (p * 13_000) % 400_000),
        "business_criticality": CRITICALITY[p % 4],
        "team_size": p % 7,
        "has_ui_requirements": p % 2 == 1,
        "has_fallback_plan": p % 3 == 1,
        "answers": answers,
    }


def _scored_profiles() -> tuple[int, list[tuple[dict[str, Any], str, Any]]]:
    version = current_version()
    config = config_for(version)
    out = []
    for p in range(PROFILES):
        values = profile(p)
        facts = facts_from({name: values[name] for name in FACT_FIELDS})
        out.append((values, facts_hash(facts), score_record(facts, config)))
    return version.pk, out


def build_leads(book: Book) -> dict[str, int]:
    version_id, profiles = _scored_profiles()
    now = timezone.now()
    n = len(book.indexes) * LEADS_PER_CUSTOMER
    lead_ids, score_ids = next_ids(Lead, n), next_ids(LeadScore, n)
    leads, scores = [], []
    for k, (i, j) in enumerate((i, j) for i in book.indexes for j in range(LEADS_PER_CUSTOMER)):
        number = i * LEADS_PER_CUSTOMER + j
        values, inputs_hash, record = profiles[number % PROFILES]
        status = status_after(LATER.get(number % 50, Lead.Status.NEW), record.qualification_level)
        created = now - timedelta(days=number % 365, minutes=number % 1440)
        leads.append(
            {
                **values,
                "id": lead_ids[k],
                "organization_name": f"Scale prospect {number:07d}",
                "contact_name": f"Contact {number}",
                "contact_email": f"lead{number}@prospect.scale.example",
                "contact_phone": "",
                "owner_id": book.csm_ids[number % len(book.csm_ids)],
                "source": Lead.Source.API,
                "status": status,
                "lost_reason": "Chose another vendor." if status == Lead.Status.LOST else "",
                "inputs_hash": inputs_hash,
                "latest_score_id": score_ids[k],
                "probability_band": record.probability_band,
                "overridden_stops": [],
                "overridden_by_id": None,
                "overridden_at": None,
                "created_at": created,
                "updated_at": created,
            }
        )
        scores.append(
            {
                **{name: getattr(record, name) for name in HEADLINE_FIELDS},
                "id": score_ids[k],
                "lead_id": lead_ids[k],
                "config_version_id": version_id,
                "inputs_hash": inputs_hash,
                "created_at": created,
                "disqualifiers": list(record.disqualifiers),
                "blocked_service_types": list(record.blocked_service_types),
                "stops": list(record.stops),
                "qualification": RawJson(record.qualification),
                "feasibility": RawJson(record.feasibility),
            }
        )
    insert(Lead, leads)
    insert(LeadScore, scores)
    return {"leads": n, "lead scores": n}
