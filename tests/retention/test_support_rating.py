"""Health's support rating part: the mean CSAT x 10 of the support surveys answered in 90 days (weight 0.2 of
satisfaction), left out with its weight shared when there is none."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.retention.health import compute_health
from apps.retention.models import HealthScore
from apps.retention.surveys import answer_survey
from tests.customers.factories import StakeholderFactory
from tests.retention.factories import make_survey

pytestmark = pytest.mark.django_db


def _satisfaction(customer):
    health = HealthScore.objects.get(customer=customer)
    component = next(c for c in health.components if c["key"] == "satisfaction")
    return component, {p["key"]: p for p in component["parts"]}


def _num(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))


@pytest.fixture
def answered_survey(company_a, stakeholder_a):
    survey = make_survey(company_a, [stakeholder_a])
    answer_survey(invitation=survey.invitations.get(), nps=9, csat=8, via="link")
    return survey


def _support(customer, stakeholders, scores, *, days_ago=0):
    survey = make_survey(customer, stakeholders, purpose="support", questions=("csat",))
    when = timezone.now() - timedelta(days=days_ago)
    for invitation, score in zip(survey.invitations.order_by("pk"), scores, strict=True):
        answer_survey(invitation=invitation, nps=None, csat=score, via="link", now=when)
    return survey


def test_without_a_support_answer_the_part_is_left_out_and_its_weight_shared(company_a, answered_survey):
    compute_health([company_a.pk])
    component, parts = _satisfaction(company_a)
    assert parts["support_rating"]["value"] is None
    assert _num(parts["support_rating"]["effective_weight"]) == 0
    assert parts["support_rating"]["reason"] == "No support rating yet (asked when a recovery action or claim closes)."
    # CSAT 0.4 and NPS 0.3 share the satisfaction component (no review: no sentiment).
    assert _num(parts["csat"]["effective_weight"]) == _num(Decimal("0.4") / Decimal("0.7"))
    assert _num(parts["nps"]["effective_weight"]) == _num(Decimal("0.3") / Decimal("0.7"))
    # (0.4 x 80 + 0.3 x 100) / 0.7
    assert _num(component["score"]) == _num(Decimal(62) / Decimal("0.7"))


def test_support_answers_make_the_part_and_take_their_weight(company_a, stakeholder_a, answered_survey):
    colleague = StakeholderFactory(customer=company_a, name="Cora Colleague", email="cora@a.example")
    _support(company_a, [stakeholder_a, colleague], [6, 9])
    compute_health([company_a.pk])
    component, parts = _satisfaction(company_a)
    assert _num(parts["support_rating"]["value"]) == 75  # mean CSAT 7.5 x 10
    assert parts["support_rating"]["reason"] == "Mean support CSAT 7.5 of 2 answer(s) x 10."
    # The support answers are not mixed into the 90-day CSAT part (still the one answer of 8).
    assert _num(parts["csat"]["value"]) == 80
    assert _num(parts["support_rating"]["effective_weight"]) == _num(Decimal("0.2") / Decimal("0.9"))
    assert _num(parts["csat"]["effective_weight"]) == _num(Decimal("0.4") / Decimal("0.9"))
    # (0.4 x 80 + 0.3 x 100 + 0.2 x 75) / 0.9
    assert _num(component["score"]) == _num(Decimal(77) / Decimal("0.9"))


def test_support_answers_alone_make_the_satisfaction_component(company_a, stakeholder_a):
    _support(company_a, [stakeholder_a], [4])
    compute_health([company_a.pk])
    component, parts = _satisfaction(company_a)
    assert _num(parts["support_rating"]["effective_weight"]) == 1
    assert _num(component["score"]) == 40


def test_support_answers_older_than_90_days_no_longer_count(company_a, stakeholder_a, answered_survey):
    _support(company_a, [stakeholder_a], [2], days_ago=91)
    compute_health([company_a.pk])
    _, parts = _satisfaction(company_a)
    assert parts["support_rating"]["value"] is None
