"""Stored recommendations: computed from the lead's score with the seeded tiers, kept with their version."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.api.services import create_api_key
from apps.leads import services as lead_services
from apps.leads.models import Lead
from apps.tiers import services
from apps.tiers.models import Recommendation, Tier, TierSettings
from apps.tiers.tasks import refresh_recommendations
from tests.leads.factories import LeadFactory, lead_input
from tests.pages import assert_api_refused
from tests.tiers.factories import scored_lead

pytestmark = pytest.mark.django_db


def test_a_scored_lead_gets_every_active_tier_evaluated_best_first_with_its_parts():
    lead = scored_lead()
    recommendation = Recommendation.objects.get(lead=lead)
    slugs = [r["tier"] for r in recommendation.results]
    assert slugs[:2] == ["startup-mvp", "team-augmentation"]
    assert sorted(slugs) == sorted(Tier.objects.values_list("slug", flat=True))
    best = recommendation.results[0]
    assert best["compatibility"] == "1.00"
    assert [c["key"] for c in best["criteria"]] == ["service_type", "budget", "team", "complexity", "compliance"]
    assert sum(Decimal(line["amount"]) for line in best["breakdown"]) == Decimal(best["price"])
    assert best["spec"]["price_min"] == "75000.00"


def test_the_recommendation_keeps_both_configuration_versions():
    lead = scored_lead()
    recommendation = Recommendation.objects.get(lead=lead)
    assert recommendation.config_version == TierSettings.current().version
    assert recommendation.lead_config_version == lead.config_version_number


def test_the_price_and_timeline_come_from_the_leads_feasibility_estimate():
    lead = scored_lead(requirements=[f"Feature {n}" for n in range(12)], required_integrations=["Stripe", "Slack"])
    best = Recommendation.objects.get(lead=lead).result_for("startup-mvp")
    # 4 + 0.5 x 12 = 10 weeks, x 1.2 above ten requirements = 12, clamped to the tier's 8.
    assert best["timeline_weeks"] == 8
    # 75k + 0.45 x 75k + 2 x 2% x 75k + 2 x 3% x 75k = 116,250 -> 116,000.
    assert best["price"] == "116000.00"


def test_recomputing_with_nothing_changed_writes_nothing():
    lead = scored_lead()
    before = Recommendation.objects.get(lead=lead).computed_at
    assert services.refresh_recommendations(lead=lead) is False
    assert Recommendation.objects.get(lead=lead).computed_at == before


def test_a_settings_change_is_picked_up_with_the_new_version_on_recompute():
    lead = scored_lead()
    TierSettings.objects.filter(pk=1).update(recommend_cut=Decimal("0.75"), version=7)
    assert services.refresh_recommendations(lead=lead) is True
    recommendation = Recommendation.objects.get(lead=lead)
    assert recommendation.config_version == 7
    assert [r["tier"] for r in recommendation.recommended] == ["startup-mvp"]


def test_a_retired_tier_is_never_evaluated():
    Tier.objects.filter(slug="team-augmentation").update(retired=True)
    lead = scored_lead()
    assert Recommendation.objects.get(lead=lead).result_for("team-augmentation") is None


def test_a_tier_blocked_by_a_disqualifier_is_not_recommended_however_compatible():
    answers = {"stakeholder_alignment": "poor", "requirements_clarity": "very_clear", "budget_status": "approved"}
    lead = scored_lead(answers=answers)
    startup = Recommendation.objects.get(lead=lead).result_for("startup-mvp")
    assert startup["blocked"] is True
    assert startup["recommended"] is False
    assert "disqualifier" in startup["verdict_reason"]


def test_a_lead_whose_scoring_is_pending_has_no_recommendation_and_loses_a_stale_one():
    lead = scored_lead()
    Lead.objects.filter(pk=lead.pk).update(inputs_hash="changed")
    assert services.refresh_recommendations(lead=Lead.objects.with_scores().get(pk=lead.pk)) is True
    assert not Recommendation.objects.filter(lead=lead).exists()


def test_the_task_takes_an_id_and_ignores_a_lead_that_is_gone():
    lead = LeadFactory()
    lead_services.score_lead(lead_id=lead.pk)
    assert refresh_recommendations(lead.pk) is True
    assert refresh_recommendations(lead.pk) is False
    assert refresh_recommendations(999_999) is False


def test_scoring_a_new_lead_refreshes_its_recommendation_through_the_task(csm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lead = lead_services.create_lead(actor=csm, data={**lead_input(), "owner": csm})
    assert Recommendation.objects.filter(lead=lead).exists()


# The API


@pytest.fixture
def api_headers():
    _, raw = create_api_key(name="crm")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_lists_the_recommended_tiers_best_first_in_the_documented_shape(client, api_headers):
    lead = scored_lead()
    response = client.get(f"/api/v1/leads/{lead.pk}/recommendations", headers=api_headers)
    assert response.status_code == 200
    body = response.json()
    assert [item["tier"] for item in body] == ["startup-mvp", "team-augmentation"]
    first = body[0]
    assert set(first) == {
        "tier",
        "name",
        "compatibility",
        "criteria",
        "price_usd",
        "price_breakdown",
        "timeline_weeks",
        "alternative",
        "reasoning",
    }
    assert first["compatibility"] == 1.0
    assert first["criteria"][0] == {"key": "service_type", "met": True, "text": first["criteria"][0]["text"]}
    assert first["price_usd"] == 111000
    assert sum(line["amount"] for line in first["price_breakdown"]) == first["price_usd"]
    assert body[1]["alternative"] is True
    assert body[1]["compatibility"] == 0.7
    assert "alternative" in body[1]["reasoning"]


def test_the_api_answers_409_while_a_lead_has_no_recommendation(client, api_headers):
    lead = LeadFactory()
    response = client.get(f"/api/v1/leads/{lead.pk}/recommendations", headers=api_headers)
    assert response.status_code == 409
    assert "scored" in response.json()["detail"]


def test_the_api_answers_404_for_an_unknown_lead_and_401_without_a_key(client, api_headers):
    assert_api_refused(client.get("/api/v1/leads/999999/recommendations", headers=api_headers), 404, "Not Found")
    assert_api_refused(client.get("/api/v1/leads/1/recommendations"), 401, "Unauthorized")
