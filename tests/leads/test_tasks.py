"""The leads app's background tasks and the fast JSON shape of scoring results."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from apps.leads import tasks
from apps.leads.models import Lead
from apps.leads.scoring.feasibility import score_feasibility
from apps.leads.scoring.jsonable import to_jsonable
from apps.leads.scoring.qualification import score_qualification
from tests.leads.factories import lead_input
from tests.leads.scoring_defaults import default_config

CALLS: list[int] = []


def record_refresh(lead_id: int) -> None:
    """Stands in for the tiers app's refresh: fails for lead 2, records the others."""
    if lead_id == 2:
        raise RuntimeError("tiers failed")
    CALLS.append(lead_id)


def _walk(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_walk(item) for item in value]
    return str(value) if isinstance(value, Decimal) else value


def test_the_compiled_json_shape_equals_a_plain_walk_of_every_field():
    facts = Lead(**lead_input(team_size=0, answers={"existing_codebase": True})).facts()
    config = default_config()
    qualification = score_qualification(facts, config.qualification)
    feasibility = score_feasibility(facts, config.feasibility, qualification.disqualifiers)
    for value in (facts, qualification, feasibility, config):
        assert to_jsonable(value) == _walk(value)


def test_the_batch_tiers_refresh_calls_every_lead_and_survives_a_failure(monkeypatch):
    monkeypatch.setattr(tasks, "TIERS_REFRESH", "tests.leads.test_tasks.record_refresh")
    CALLS.clear()
    assert tasks.refresh_tiers([1, 2, 3]) == "refreshed 2 of 3 leads"
    assert CALLS == [1, 3]


@pytest.mark.django_db
def test_scoring_a_lead_that_was_deleted_does_nothing():
    assert tasks.score_lead(987654) == "lead 987654: gone"
