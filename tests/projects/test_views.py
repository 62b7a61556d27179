from __future__ import annotations

import pytest
from django.urls import reverse

from apps.api.services import create_api_key
from apps.core.pagination import PAGE_SIZE
from apps.projects.models import Environment, KickoffPhase, Project
from tests.pages import assert_method_refused, assert_not_allowed, body_rows, visible_text
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@pytest.fixture
def project(company_a, csm, stakeholder_a):
    return make_project(customer=company_a, actor=csm)


@pytest.mark.parametrize("rows", [10, 200])
def test_project_list_queries_do_not_grow_with_the_data(csm_client, company_a, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_project(customer=company_a, name=f"P{i}")
    with django_assert_max_num_queries(10):
        response = csm_client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert body_rows(response) == min(rows, PAGE_SIZE)


def test_project_list_filters_and_answers_htmx_with_the_table(csm_client, project):
    response = csm_client.get(reverse("projects:list"), {"status": "kickoff_pending"}, headers=HTMX)

    assert response.content.strip().startswith(b'<div id="project-table">')
    assert project.name.encode() in response.content


def test_project_page_lists_the_six_phases_and_offers_the_kickoff(csm_client, project):
    response = csm_client.get(reverse("projects:detail", args=[project.pk]))

    content = response.content.decode()
    for label in (
        "Project setup",
        "Team assembly",
        "Environment provisioning",
        "Stakeholder onboarding",
        "Guarantee activation",
        "Launch",
    ):
        assert label in content
    assert "Run the kickoff" in content
    assert 'hx-trigger="every 2s"' not in content


def test_running_the_kickoff_from_the_page_and_polling_while_it_waits(csm_client, project, committed):
    with committed():
        response = csm_client.post(reverse("projects:kickoff_start", args=[project.pk]), {"standup_time": "09:15"})
    assert response.status_code == 302

    fragment = csm_client.get(reverse("projects:detail", args=[project.pk]), headers=HTMX)
    assert fragment.content.strip().startswith(b'<div id="kickoff" hx-get=')
    assert b'hx-trigger="every 15s"' in fragment.content  # waiting for the checklist: slower polling
    assert b"Waiting for: Repository" in fragment.content


def test_a_bad_standup_time_re_renders_the_page_with_the_error(csm_client, project):
    response = csm_client.post(reverse("projects:kickoff_start", args=[project.pk]), {"standup_time": "25:99"})

    assert response.status_code == 200
    assert b"Enter a valid time" in response.content
    assert Project.objects.get(pk=project.pk).status == "kickoff_pending"


def test_marking_environments_ready_by_htmx_resumes_the_waiting_kickoff(csm_client, project, committed):
    with committed():
        csm_client.post(reverse("projects:kickoff_start", args=[project.pk]), {"standup_time": "09:15"})
    for name in Environment.Name.values:
        with committed():
            response = csm_client.post(
                reverse("projects:environment", args=[project.pk, name]), {"ready": "on", "url": ""}, headers=HTMX
            )
    assert response.status_code == 200
    assert response.content.strip().startswith(b'<div id="kickoff"')
    assert Project.objects.get(pk=project.pk).status == "active"
    page = csm_client.get(reverse("projects:detail", args=[project.pk]), headers=HTMX)
    assert b"Open the 30-day guarantee" in page.content
    assert b"hx-trigger" not in page.content  # polling stops once the kickoff is done


def test_retry_is_offered_and_works_only_for_a_failed_kickoff(csm_client, project, committed):
    refused = csm_client.post(reverse("projects:kickoff_retry", args=[project.pk]), follow=True)
    assert b"Only a failed kickoff can be retried" in refused.content

    KickoffPhase.objects.filter(project=project, key="project_setup").update(status="failed", error="boom")
    Project.objects.filter(pk=project.pk).update(status="kickoff_failed")
    page = csm_client.get(reverse("projects:detail", args=[project.pk]))
    assert b"retry from the failed phase" in page.content
    with committed():
        csm_client.post(reverse("projects:kickoff_retry", args=[project.pk]))
    assert KickoffPhase.objects.get(project=project, key="project_setup").status == "succeeded"


def test_wrong_methods_and_client_users_are_refused(csm_client, client, customer_a, project):
    phases = list(KickoffPhase.objects.filter(project=project).values_list("key", "status"))
    assert_method_refused(csm_client.get(reverse("projects:kickoff_start", args=[project.pk])), "POST")
    assert list(KickoffPhase.objects.filter(project=project).values_list("key", "status")) == phases
    client.force_login(customer_a)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert_not_allowed(response)
    assert project.name not in visible_text(response)


def test_ci_marks_an_environment_ready_by_api(client, project):
    _, raw = create_api_key(name="Provisioner")
    url = f"/api/v1/projects/{project.pk}/environments/staging"

    response = client.post(
        url,
        {"url": "https://staging.acme.example"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    unknown = client.post(
        f"/api/v1/projects/{project.pk}/environments/moon",
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )

    assert response.status_code == 200
    assert response.json()["ready"] is True
    staging = Environment.objects.get(project=project, name="staging")
    assert (staging.ready, staging.marked_by, staging.url) == (
        True,
        "API key Provisioner",
        "https://staging.acme.example",
    )
    assert unknown.status_code == 404
