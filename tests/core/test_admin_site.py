"""The admin reads as a product: branded, grouped into sections, list fields with proper widgets, errors in words."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse

from apps.core.admin_site import OTHER, SECTIONS
from apps.customers.models import Stakeholder
from apps.education.models import ContentItem
from apps.tiers.models import Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _form(obj) -> dict:
    return {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}


def test_the_admin_is_branded(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert "Success Portal · administration" in html
    assert "<title>Configuration and records | Success Portal admin</title>" in html
    assert "Django administration" not in html


def test_admin_pages_name_the_portal_icon_so_the_browser_asks_for_no_missing_favicon(admin_client):
    for url in (reverse("admin:index"), reverse("admin:retention_playbook_changelist")):
        html = admin_client.get(url).content.decode()
        assert '<link rel="icon" href="/static/favicon' in html, url


def test_the_admin_index_groups_every_model_into_named_sections_in_order(admin_client):
    response = admin_client.get(reverse("admin:index"))

    sections = response.context["app_list"]
    names = [section["name"] for section in sections]
    unplaced = [model["object_name"] for section in sections if section["name"] == OTHER for model in section["models"]]
    assert not unplaced, f"add {unplaced} to a section in apps/core/admin_site.py SECTIONS"
    assert names == [title for title, _models in SECTIONS]
    listed = [model["model"] for section in sections for model in section["models"]]
    assert sorted(listed, key=str) == sorted(admin.site._registry, key=str)
    assert len(listed) == len(set(listed))
    leads = sections[0]
    assert leads["name"] == "Leads & scoring"
    assert [model["object_name"] for model in leads["models"]][:2] == ["ScoringSettings", "Criterion"]
    html = response.content.decode()
    assert html.index("Leads &amp; scoring") < html.index("Tiers &amp; proposals") < html.index("Guarantees")


def test_a_model_no_section_names_still_shows_under_other(admin_client, monkeypatch):
    monkeypatch.setattr("apps.core.admin_site.SECTIONS", [title_models for title_models in SECTIONS[1:]])

    sections = admin_client.get(reverse("admin:index")).context["app_list"]

    other = sections[-1]
    assert other["name"] == OTHER
    assert "Lead" in [model["object_name"] for model in other["models"]]


def test_a_constraint_violation_in_the_admin_reads_as_a_sentence(admin_client):
    tier = Tier.objects.get(slug="startup-mvp")
    data = {**_form(tier), "price_min": "90000", "price_max": "10000"}

    response = admin_client.post(reverse("admin:tiers_tier_change", args=[tier.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The lowest price must not be above the highest price." in html
    assert "tier_price_range_ordered" not in html


def test_tier_complexities_are_ticked_boxes_not_json(admin_client):
    tier = Tier.objects.get(slug="startup-mvp")

    html = admin_client.get(reverse("admin:tiers_tier_change", args=[tier.pk])).content.decode()
    response = admin_client.post(
        reverse("admin:tiers_tier_change", args=[tier.pk]), {**_form(tier), "complexities": ["low", "very_high"]}
    )

    assert 'type="checkbox" name="complexities" value="very_high"' in html
    assert "Very high" in html
    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.complexities == ["low", "very_high"]


def test_content_item_lists_take_boxes_and_one_item_per_line(admin_client):
    item = ContentItem.objects.filter(active=True).first()
    data = {
        **_form(item),
        "roles": ["executive", "technical_lead"],
        "service_types": ["mvp_development"],
        "interactive_elements": "Demo video\r\n\r\n  Milestone tracker  \r\n",
    }

    page = admin_client.get(reverse("admin:education_contentitem_change", args=[item.pk])).content.decode()
    response = admin_client.post(reverse("admin:education_contentitem_change", args=[item.pk]), data)

    assert re.search(r'<textarea name="interactive_elements"', page)
    assert 'type="checkbox" name="roles" value="executive"' in page
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.roles == ["executive", "technical_lead"]
    assert item.service_types == ["mvp_development"]
    assert item.interactive_elements == ["Demo video", "Milestone tracker"]


def test_stakeholder_channels_keep_their_order_and_refuse_unknown_ones(admin_client, stakeholder_a):
    url = reverse("admin:customers_stakeholder_change", args=[stakeholder_a.pk])
    data = {**_form(stakeholder_a), "user": stakeholder_a.user_id or ""}

    refused = admin_client.post(url, {**data, "channels": "Slack\nfax"})
    accepted = admin_client.post(url, {**data, "channels": "Client view\nemail"})

    assert "“fax” is not one of: Email, Slack, Microsoft Teams" in refused.content.decode()
    assert accepted.status_code == 302
    assert Stakeholder.objects.get(pk=stakeholder_a.pk).channels == ["in_app", "email"]
    page = admin_client.get(url).content.decode()
    assert "Client view\nEmail</textarea>" in page
