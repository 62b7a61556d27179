"""Webhook events emitted by the existing services: a real receiver gets and verifies them."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from apps.notifications import webhooks
from apps.projects.services_progress import post_progress_update
from tests.guarantees.factories import give_evidence, make_guarantee, week
from tests.notifications.receiver import running_receiver
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(settings, company_a):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with running_receiver() as receiver:
        _, receiver.secret = webhooks.register_endpoint(actor=None, customer=company_a, url=receiver.url, events=[])
        yield receiver


def _events(receiver) -> list[dict]:
    return [Webhook(receiver.secret).verify(r.body, r.headers) for r in receiver.requests]


def test_a_progress_update_is_sent_to_the_companys_endpoints(committed, hook, company_a, csm):
    project = make_project(customer=company_a, accepted_at=timezone.now() - timedelta(days=21))
    with committed():
        update = post_progress_update(
            actor=csm,
            project=project,
            percent_complete=Decimal("40"),
            achievements=["SSO"],
            blockers=[],
            upcoming=[],
            risk_level="high",
        )

    (event,) = _events(hook)
    assert event["type"] == "progress_update.created"
    assert event["data"]["id"] == update.pk
    assert (event["data"]["schedule_status"], event["data"]["percent_complete"]) == ("at_risk", "40.0")
    assert event["data"]["achievements"] == ["SSO"]


def test_a_week_at_risk_sends_milestone_and_guarantee_status_changes(committed, hook, company_a, csm, stakeholder_a):
    guarantee = make_guarantee(customer=company_a, actor=csm)
    hook.requests.clear()
    with committed():
        give_evidence(week(guarantee, 1), 50)

    events = _events(hook)
    milestone_changes = [e["data"] for e in events if e["type"] == "milestone.status_changed"]
    guarantee_changes = [e["data"] for e in events if e["type"] == "guarantee.status_changed"]
    assert milestone_changes[-1]["week"] == 1
    assert milestone_changes[-1]["to"] in ("at_risk", "failed")
    assert guarantee_changes[-1]["from"] == "active"
    assert json.loads(hook.requests[0].body)["type"] in {"milestone.status_changed", "guarantee.status_changed"}
