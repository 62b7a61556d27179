"""The retention API answers exactly the documented shape, with numbers as JSON numbers with one decimal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.api.services import create_api_key
from apps.retention.health import compute_health
from apps.retention.models import SurveyInvitation
from tests.retention.factories import ReviewFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    _, raw = create_api_key(name="CRM")
    return {"Authorization": f"Bearer {raw}"}


def test_the_customer_list_carries_status_and_health(client, bearer, company_a, company_b):
    ReviewFactory(customer=company_a, sentiment=9, roi_achieved=90, business_impact=90, goals_met=90)
    compute_health([company_a.pk])
    rows = client.get(reverse("api:list_customers"), headers=bearer).json()
    assert rows[0] == {
        "id": company_a.pk,
        "name": "Acme A",
        "status": "onboarding",
        "health_score": 90.0,
        "health_band": "excellent",
    }
    assert rows[1]["health_score"] is None


def test_health_has_exactly_the_documented_shape(client, bearer, company_a, stakeholder_a):
    ReviewFactory(customer=company_a, sentiment=7, roi_achieved=80, business_impact=70, goals_met=60)
    TouchpointFactory(customer=company_a)
    body = client.get(reverse("api:customer_health", args=[company_a.pk]), headers=bearer).json()
    assert set(body) == {
        "customer_id",
        "score",
        "band",
        "components_with_data",
        "components",
        "trend_30d",
        "trend_90d",
        "churn_risk",
        "strategy",
        "config_version",
        "computed_at",
    }
    assert [c["key"] for c in body["components"]] == [
        "satisfaction",
        "engagement",
        "project_success",
        "business_outcomes",
        "relationship",
    ]
    satisfaction = body["components"][0]
    assert set(satisfaction) == {"key", "weight", "effective_weight", "score", "parts"}
    assert [p["key"] for p in satisfaction["parts"]] == ["csat", "nps", "support_rating", "sentiment"]
    assert set(satisfaction["parts"][0]) == {"key", "weight", "effective_weight", "value", "source"}
    assert satisfaction["weight"] == 0.25
    assert satisfaction["parts"][3] == {
        "key": "sentiment",
        "weight": 0.1,
        "effective_weight": 1.0,
        "value": 70.0,
        "source": f"Review of {company_a.reviews.get().reviewed_on:%-d %b %Y}",
    }
    assert satisfaction["parts"][0]["value"] is None
    assert [f["key"] for f in body["churn_risk"]["factors"]] == [
        "low_health",
        "falling_trend",
        "open_escalation",
        "detractor",
        "inactive",
    ]
    assert isinstance(body["score"], float)
    assert body["score"] == round(body["score"], 1)
    assert body["components_with_data"] == 4
    assert body["trend_30d"] is None
    assert body["config_version"] == 1


def test_health_of_an_unknown_customer_is_a_404(client, bearer):
    assert client.get(reverse("api:customer_health", args=[999999]), headers=bearer).status_code == 404


def test_posting_a_survey_invites_the_listed_stakeholders(client, bearer, company_a, stakeholder_a):
    url = reverse("api:post_survey", args=[company_a.pk])
    response = client.post(
        url,
        {"stakeholder_ids": [stakeholder_a.pk], "questions": ["nps"]},
        content_type="application/json",
        headers=bearer,
    )
    assert response.status_code == 201
    body = response.json()
    invitation = SurveyInvitation.objects.get()
    assert body["invitations"][0]["id"] == invitation.pk
    assert body["invitations"][0]["stakeholder_id"] == stakeholder_a.pk
    assert "/s/" in body["invitations"][0]["link"]
    assert invitation.survey.questions == ["nps"]


def test_posting_a_survey_for_another_companys_stakeholder_is_a_422(client, bearer, company_a, stakeholder_b):
    url = reverse("api:post_survey", args=[company_a.pk])
    response = client.post(
        url, {"stakeholder_ids": [stakeholder_b.pk]}, content_type="application/json", headers=bearer
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stakeholder_ids"
    assert not SurveyInvitation.objects.exists()
