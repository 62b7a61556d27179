"""The rescore's FactsReader builds exactly the LeadFacts that facts_from builds, and refuses what it refuses."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from apps.leads.scoring.facts import FACT_FIELDS, JSON_FACTS, FactsReader, facts_from

PLAIN = {
    "service_type": "legacy_modernization",
    "timeline_weeks": 8,
    "complexity": "high",
    "budget_usd": Decimal("55000.50"),
    "team_size": 2,
    "business_criticality": "critical",
    "has_ui_requirements": True,
    "has_fallback_plan": False,
}
JSON_VALUES = [
    {
        "requirements": ["A", "B"],
        "technology_preferences": ["Zürich ML – beta", 'quote " and \\ backslash'],
        "compliance_requirements": ["HIPAA"],
        "required_integrations": [],
        "answers": {"budget_status": "approved", "contract_timeline_weeks": 3, "high_priority": False},
    },
    {
        "requirements": [],
        "technology_preferences": [],
        "compliance_requirements": [],
        "required_integrations": ["S1"],
        "answers": {},
    },
    {
        "requirements": None,
        "technology_preferences": None,
        "compliance_requirements": None,
        "required_integrations": None,
        "answers": None,
    },
]


@pytest.mark.parametrize("values", JSON_VALUES)
def test_the_reader_builds_what_facts_from_builds(values):
    reader = FactsReader()
    texts = {name: json.dumps(values[name]) for name in JSON_FACTS}
    expected = facts_from({**PLAIN, **values})
    assert set(FACT_FIELDS) == set(PLAIN) | set(JSON_FACTS)
    assert reader.facts(PLAIN, texts) == expected
    # Read again, the texts come from the memo: still the same facts, sharing the same answers object.
    again = reader.facts(PLAIN, texts)
    assert again == expected
    assert again.answers is reader.facts(PLAIN, texts).answers


def test_a_missing_json_column_reads_as_empty():
    facts = FactsReader().facts(PLAIN, dict.fromkeys(JSON_FACTS))
    assert facts == facts_from({**PLAIN, **dict.fromkeys(JSON_FACTS)})


def test_a_refused_answer_is_refused_every_time():
    reader = FactsReader()
    texts = {**{name: "[]" for name in JSON_FACTS}, "answers": json.dumps({"budget_status": "maybe"})}
    for _ in range(2):
        with pytest.raises(ValueError, match="budget_status"):
            reader.facts(PLAIN, texts)
