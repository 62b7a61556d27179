"""Admins edit the scoring configuration, preview a publish, publish it, and follow the rescore."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.leads import services
from apps.leads.models import Lead, QualificationLevel, RescoreRun, ScoringConfigVersion
from apps.leads.scoring import versions
from apps.leads.scoring.run import run_rescore
from tests.leads.factories import lead_input

pytestmark = pytest.mark.django_db

PUBLISH = "admin:leads_publish_config"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _lead(actor, capture, **overrides):
    with capture(execute=True):
        lead = services.create_lead(actor=actor, data=lead_input(owner=actor, **overrides))
    lead.refresh_from_db()
    return lead


def test_every_config_page_of_the_admin_opens(admin_client):
    for name in [
        "scoringsettings",
        "criterion",
        "qualificationlevel",
        "disqualifierlabel",
        "timelinelimit",
        "servicetypesetting",
        "complexitydeduction",
        "requirementmultiplier",
        "teamscore",
        "feasibilitylevel",
        "approach",
        "probabilityband",
        "scoringconfigversion",
        "rescorerun",
        "lead",
        "leadscore",
        "guaranteeoutcome",
    ]:
        response = admin_client.get(reverse(f"admin:leads_{name}_changelist"), follow=True)
        assert response.status_code == 200, name
        # The model's own page (a one-row settings model opens its change form), under its human name.
        title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL).group(1)
        assert "Log in" not in title, name
        assert "_" not in title, (name, title)


def test_the_preview_counts_the_open_leads_that_would_change_level(
    admin_client, admin_user, csm, django_capture_on_commit_callbacks
):
    # 63.8-ish leads: a strong lead with some answers removed lands between 60 and 80.
    _lead(
        csm,
        django_capture_on_commit_callbacks,
        answers={
            "existing_codebase": True,
            "budget_status": "approved",
            "requirements_clarity": "very_clear",
            "decision_authority": "full",
            "timeline_urgency": "urgent",
            "stakeholder_alignment": "excellent",
            "change_readiness": "enthusiastic",
        },
    )
    _lead(csm, django_capture_on_commit_callbacks)
    versions.current_version()
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(70))
    response = admin_client.get(reverse(PUBLISH))
    preview = response.context["preview"]
    assert preview.open_leads == 2
    assert preview.qualification_changed == 1
    assert dict(preview.qualification_changes) == {("qualified", "moderately_qualified"): 1}
    assert "Publish version 2" in response.content.decode()


def test_publishing_rescores_the_open_leads_and_shows_progress(admin_client, csm, django_capture_on_commit_callbacks):
    lead = _lead(csm, django_capture_on_commit_callbacks)
    QualificationLevel.objects.filter(key="highly_qualified").update(minimum=Decimal("100.1"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse(PUBLISH), {"note": "Harder top band"})
    assert response.status_code == 302
    run = RescoreRun.objects.get()
    assert (run.status, run.done, run.total, run.level_changes) == ("done", 1, 1, 1)
    lead.refresh_from_db()
    assert lead.latest_score.config_version.number == 2
    assert lead.latest_score.qualification_level == "qualified"
    assert lead.scores.count() == 2
    assert ScoringConfigVersion.objects.get(number=2).note == "Harder top band"
    assert "1 of 1 (100%)" in admin_client.get(reverse("admin:leads_rescorerun_changelist")).content.decode()


def test_publishing_an_unchanged_draft_says_there_is_nothing_to_publish(admin_client):
    versions.current_version()
    response = admin_client.get(reverse(PUBLISH))
    assert response.context["unchanged"] is True
    response = admin_client.post(reverse(PUBLISH), follow=True)
    assert "Nothing to publish" in response.content.decode()
    assert ScoringConfigVersion.objects.count() == 1


def test_a_csm_cannot_publish(client, csm):
    client.force_login(csm)
    response = client.get(reverse(PUBLISH))
    assert response.status_code in (302, 403)
    assert not ScoringConfigVersion.objects.exists()


def test_a_rescore_run_twice_changes_nothing_the_second_time(admin_user, csm, django_capture_on_commit_callbacks):
    _lead(csm, django_capture_on_commit_callbacks)
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(61))
    version, run = versions.publish_config(actor=admin_user)
    run_rescore(run_id=run.pk)
    scores = list(Lead.objects.get().scores.values_list("pk", flat=True))
    assert run_rescore(run_id=run.pk) is None
    RescoreRun.objects.filter(pk=run.pk).update(status="failed")
    run_rescore(run_id=run.pk)
    assert list(Lead.objects.get().scores.values_list("pk", flat=True)) == scores


def test_leads_that_moved_on_are_not_rescored(admin_user, csm, django_capture_on_commit_callbacks):
    lead = _lead(csm, django_capture_on_commit_callbacks)
    services.change_lead_status(actor=csm, lead=lead, status=Lead.Status.PROPOSAL)
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(61))
    _, run = versions.publish_config(actor=admin_user)
    run_rescore(run_id=run.pk)
    lead.refresh_from_db()
    assert lead.latest_score.config_version.number == 1


DRAFT_PAGES = [
    "criterion",
    "qualificationlevel",
    "disqualifierlabel",
    "timelinelimit",
    "servicetypesetting",
    "complexitydeduction",
    "requirementmultiplier",
    "teamscore",
    "feasibilitylevel",
    "approach",
    "probabilityband",
]


def test_every_scoring_configuration_page_carries_the_draft_banner(admin_client):
    versions.current_version()
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(70))
    pages = [reverse(f"admin:leads_{name}_changelist") for name in DRAFT_PAGES]
    pages += [reverse("admin:leads_scoringsettings_change", args=[1])]
    pages += [reverse("admin:leads_qualificationlevel_change", args=[QualificationLevel.objects.first().pk])]

    for url in pages:
        html = admin_client.get(url).content.decode()
        assert "Unpublished changes: leads are still scored with" in html, url
        assert f'href="{reverse(PUBLISH)}">Preview and publish</a>' in html, url


def test_the_banner_says_the_draft_matches_when_nothing_is_unpublished(admin_client):
    version = versions.current_version()

    html = admin_client.get(reverse("admin:leads_approach_changelist")).content.decode()

    assert "Unpublished changes" not in html
    assert f"It matches the published version {version.number}" in html


def test_saving_a_scoring_row_says_it_is_a_draft_not_changed(admin_client):
    versions.current_version()
    level = QualificationLevel.objects.get(key="qualified")

    response = admin_client.post(
        reverse("admin:leads_qualificationlevel_change", args=[level.pk]),
        {"label": level.label, "minimum": "70", "next_steps": level.next_steps},
        follow=True,
    )

    html = response.content.decode()
    assert "was saved as a draft" in html
    assert "changed successfully" not in html
    assert "Unpublished changes" in html
