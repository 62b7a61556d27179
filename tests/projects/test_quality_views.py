"""The quality gates in the staff portal: the project page's panel and form, and the run page explaining each gate."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.projects.models_quality import QualityGateRun
from apps.projects.services_quality import run_quality_gates
from tests.guarantees.factories import make_guarantee
from tests.pages import assert_method_refused, assert_not_found
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(company_a, csm):
    return make_guarantee(customer=company_a, actor=csm).project


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_project_page_offers_the_metrics_form_with_human_labels(csm_client, project):
    response = csm_client.get(reverse("projects:detail", args=[project.pk]))

    text = _text(response)
    assert "Quality gates" in text
    assert "No quality-gate run yet." in text
    assert "Test coverage (%)" in text
    assert "High and critical vulnerabilities" in text
    assert "coverage_percent" not in text  # field names stay in the markup, never in the words


def test_a_csm_posts_metrics_and_lands_on_the_run_page(csm_client, csm, project, committed):
    data = {"coverage_percent": "95", "cyclomatic_complexity": "11", "documentation": "90"}

    with committed():
        response = csm_client.post(reverse("projects:quality_run_create", args=[project.pk]), data)

    run = QualityGateRun.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:quality_run", args=[project.pk, run.pk])
    assert run.source == "staff"
    assert run.submitted_by == csm
    assert (run.gates_passed, run.gates_checked) == (2, 3)
    page = _text(csm_client.get(response["Location"]))
    assert "Quality gates checked: 2 of 3 passed." in page
    assert "Cyclomatic complexity" in page
    assert "at most 10" in page
    assert "Test coverage" in page
    assert "at least 95%" in page
    assert f"Posted by {csm.email} (Customer success manager)." in page
    assert "Not in this run: the gate is not checked." in page
    assert "No week is past its due date yet." in page  # the process source, explained
    assert "Split the functions above the complexity limit" in page  # the recommendation of the failed gate
    assert "Week 3: Quality gates passed" in page  # the evidence it recorded, linked
    assert "how responsiveness is measured" in page.lower()


def test_the_run_page_explains_weight_sharing_and_escalation(csm_client, project):
    run = run_quality_gates(actor=None, project=project, metrics={"coverage_percent": 10}, source="api")

    page = _text(csm_client.get(reverse("projects:quality_run", args=[project.pk, run.pk])))

    assert "Code quality: 0.0" in page
    assert "Delivery quality: no score" in page
    assert "its weight (0.300) is shared by the others" in page
    assert "carrying 100.0% of the comprehensive score" in page
    assert "Escalated" in page
    assert "Comprehensive score 0.0 is under 80.0." in page


def test_a_metric_out_of_range_re_renders_the_form_with_the_error_and_stores_nothing(csm_client, project):
    response = csm_client.post(
        reverse("projects:quality_run_create", args=[project.pk]), {"coverage_percent": "101", "maintainability": "x"}
    )

    assert response.status_code == 200
    text = _text(response)
    assert "Ensure this value is less than or equal to 100." in text
    assert "Enter a number." in text
    assert "Please correct the highlighted fields." in text
    assert not QualityGateRun.objects.exists()


def test_the_project_page_lists_the_latest_runs(csm_client, project):
    run = run_quality_gates(actor=None, project=project, metrics={"coverage_percent": 99}, source="api")

    text = _text(csm_client.get(reverse("projects:detail", args=[project.pk])))

    assert f"Run #{run.pk}" in text
    assert "1 of 1" in text
    assert "No escalation" in text


def test_a_run_is_404_under_another_project(csm_client, project, company_b, csm):
    other = make_project(customer=company_b, actor=csm)
    run = run_quality_gates(actor=None, project=other, metrics={}, source="api")

    response = csm_client.get(reverse("projects:quality_run", args=[project.pk, run.pk]))

    assert_not_found(response)


def test_a_customer_cannot_open_a_run_or_post_metrics(customer_a_client, project):
    run = run_quality_gates(actor=None, project=project, metrics={}, source="api")

    assert customer_a_client.get(reverse("projects:quality_run", args=[project.pk, run.pk])).status_code == 403
    response = customer_a_client.post(reverse("projects:quality_run_create", args=[project.pk]), {})
    assert response.status_code == 403
    assert QualityGateRun.objects.count() == 1


def test_posting_needs_post(csm_client, project):
    assert_method_refused(csm_client.get(reverse("projects:quality_run_create", args=[project.pk])), "POST")
    assert not QualityGateRun.objects.exists()
