"""Admins edit tiers and settings in the Django admin; each change moves the version on and refreshes open leads."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.leads.models import Lead
from apps.tiers.models import Recommendation, Tier, TierSettings
from apps.tiers.selectors import lead_profile
from tests.pages import visible_text
from tests.tiers.factories import scored_lead

pytestmark = pytest.mark.django_db


def _form(obj) -> dict:
    # Lists post as ticked boxes (one value each), as the admin's checkbox widget sends them.
    return {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}


def test_the_admin_pages_for_tiers_settings_and_content_open(client, admin_user):
    client.force_login(admin_user)
    pages = {
        "/admin/tiers/tier/": "Startup MVP",
        "/admin/tiers/tiersettings/1/change/": "Change tier and proposal settings",
        "/admin/tiers/proposal/": "Select proposal to change",
        "/admin/education/contentitem/": "How our delivery works",
        "/admin/education/educationsettings/1/change/": "Change education settings",
    }
    for url, words in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert words in visible_text(response), url


def test_retiring_a_tier_in_the_admin_moves_the_version_and_drops_it_from_open_leads(
    client, admin_user, django_capture_on_commit_callbacks
):
    lead = scored_lead()
    tier = Tier.objects.get(slug="team-augmentation")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:tiers_tier_change", args=[tier.pk]), {**_form(tier), "retired": "on"})
    assert response.status_code == 302
    assert TierSettings.current().version == 2
    assert AuditEvent.objects.filter(action="tiers.config_changed").exists()
    recommendation = Recommendation.objects.get(lead=lead)
    assert recommendation.config_version == 2
    assert recommendation.result_for("team-augmentation") is None


def test_a_tier_cannot_be_deleted_only_retired(client, admin_user):
    client.force_login(admin_user)
    tier = Tier.objects.get(slug="startup-mvp")
    assert client.get(reverse("admin:tiers_tier_delete", args=[tier.pk])).status_code == 403
    assert client.post(reverse("admin:tiers_tier_delete", args=[tier.pk]), {"post": "yes"}).status_code == 403
    assert Tier.objects.filter(pk=tier.pk).exists()


def test_the_lead_profile_reads_the_lead_and_its_score():
    lead = scored_lead(
        compliance_requirements=["GDPR"],
        required_integrations=["Stripe", "Slack"],
        team_size=0,
        answers={"stakeholder_alignment": "excellent", "communication_structure": "good"},
    )
    profile = lead_profile(Lead.objects.with_scores().get(pk=lead.pk))
    assert profile.compliance_regimes == ("GDPR",)
    assert (profile.requirements_count, profile.integrations_count, profile.team_size) == (3, 2, 0)
    assert profile.estimated_weeks == lead.estimated_weeks
    assert profile.blocked_service_types == {"legacy_modernization", "team_augmentation"}
