"""The week's header agrees with its criteria table, and says "recomputing" while new evidence waits to be scored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.guarantees.models import Milestone
from tests.guarantees.factories import give_evidence, make_guarantee, week

pytestmark = pytest.mark.django_db


@pytest.fixture
def recomputing(company_a, csm, stakeholder_a, committed):
    """Week 1 scored once on low evidence; then better evidence arrives and its recompute has not run yet."""
    milestone = week(make_guarantee(customer=company_a, actor=csm), 1)
    with committed():
        give_evidence(milestone, 50)
    milestone.refresh_from_db()
    stale = (milestone.score, milestone.status_reason)
    give_evidence(milestone, 100)  # the recompute task is queued on commit, never run here
    milestone.refresh_from_db()
    assert (milestone.score, milestone.status_reason) == stale
    return milestone


@pytest.mark.parametrize(
    ("face", "url_name"), [("staff", "guarantees:milestone"), ("client", "client_guarantees:milestone")]
)
def test_while_a_recompute_is_pending_the_header_shows_the_tables_score_and_says_recomputing(
    face, url_name, recomputing, client, csm, customer_a
):
    client.force_login(csm if face == "staff" else customer_a)
    body = client.get(reverse(url_name, args=[recomputing.pk])).content.decode()
    header = body[body.index('id="milestone-body"') : body.index("criteria-h")]

    assert '<span class="badge ms-pending">Recomputing</span>' in header
    assert '<strong class="fs-4">100.0</strong>' in header
    assert f'<strong class="fs-4">{recomputing.score}</strong>' not in header
    assert recomputing.status_reason not in header
    assert "Recomputing the score with the latest evidence" in header
    assert "<strong>100.0</strong>" in body  # the table's milestone score


def test_once_scored_the_header_shows_the_stored_score_and_its_status(company_a, csm, csm_client, committed):
    milestone = week(make_guarantee(customer=company_a, actor=csm), 1)
    with committed():
        give_evidence(milestone, 100)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SUCCESS
    body = csm_client.get(reverse("guarantees:milestone", args=[milestone.pk])).content.decode()

    assert "Recomputing" not in body
    assert f'<strong class="fs-4">{milestone.score}</strong>' in body
    assert '<span class="badge ms-success">Success</span>' in body
