"""POST /api/v1/projects/{id}/quality-gate-runs: the answer's exact shape, and 422 on bad input."""

from __future__ import annotations

import json

import pytest

from apps.api.services import create_api_key
from apps.projects.models_quality import QualityGateRun
from tests.pages import assert_api_refused
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    _, raw = create_api_key(name="CI pipeline")

    def call(url, body=None, method="post"):
        kwargs = {"headers": {"Authorization": f"Bearer {raw}"}}
        if method == "post":
            raw_body = body if isinstance(body, str) else json.dumps(body)
            return client.post(url, raw_body, content_type="application/json", **kwargs)
        return client.get(url, **kwargs)

    return call


@pytest.fixture
def project(company_a, csm):
    return make_project(customer=company_a, actor=csm)


def url(project) -> str:
    return f"/api/v1/projects/{project.pk}/quality-gate-runs"


def test_a_run_answers_the_documented_shape(api, project):
    metrics = {
        "coverage_percent": 95,
        "cyclomatic_complexity": 10.5,
        "high_critical_vulnerabilities": 0,
        "documentation": 89.5,
    }
    response = api(url(project), {"metrics": metrics})

    assert response.status_code == 201
    body = response.json()
    run = QualityGateRun.objects.get()
    assert set(body) == {"id", "families", "comprehensive", "escalate", "recommendations"}
    assert body["id"] == run.pk
    assert set(body["families"]) == {"code", "delivery", "process"}
    code = body["families"]["code"]
    assert code["score"] == pytest.approx(66.7)
    assert code["gates"][0] == {
        "key": "coverage_percent",
        "value": 95.0,
        "threshold": 95.0,
        "direction": "at_least",
        "passed": True,
    }
    assert code["gates"][1] == {
        "key": "cyclomatic_complexity",
        "value": 10.5,
        "threshold": 10.0,
        "direction": "at_most",
        "passed": False,
    }
    assert code["gates"][2]["passed"] is None  # maintainability was not posted: not checked
    assert body["families"]["delivery"]["score"] == 0.0
    assert body["families"]["process"]["score"] is None  # nothing due yet: its weight is shared
    assert body["comprehensive"] == pytest.approx(38.1)  # (0.4 x 66.67 + 0.3 x 0) / 0.7
    assert body["escalate"] is True
    assert [r["gate"] for r in body["recommendations"]] == ["cyclomatic_complexity", "documentation"]
    assert all(set(r) == {"gate", "text"} and r["text"] for r in body["recommendations"])
    assert run.submitted_by_label == "API key CI pipeline"


def test_the_run_can_be_read_back_as_it_was_answered(api, project):
    posted = api(url(project), {"metrics": {"coverage_percent": 99}}).json()

    response = api(f"{url(project)}/{posted['id']}", method="get")

    assert response.status_code == 200
    assert response.json() == posted


def test_an_empty_metrics_object_checks_only_the_process_gates(api, project):
    body = api(url(project), {"metrics": {}}).json()

    assert body["comprehensive"] is None
    assert body["escalate"] is False
    assert all(g["passed"] is None for f in body["families"].values() for g in f["gates"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metrics": {"lines_of_code": 10}}, "metrics.lines_of_code"),
        ({"metrics": {"milestone_adherence": 100}}, "metrics.milestone_adherence"),  # measured by the portal
        ({"metrics": {"coverage_percent": "95"}}, "metrics.coverage_percent"),
        ({"metrics": {"coverage_percent": True}}, "metrics.coverage_percent"),
        ({"metrics": {"coverage_percent": [95]}}, "metrics.coverage_percent"),
        ({"metrics": {"coverage_percent": 100.5}}, "metrics.coverage_percent"),
        ({"metrics": {"coverage_percent": -1}}, "metrics.coverage_percent"),
        ({"metrics": {"maintainability": 11}}, "metrics.maintainability"),
        ({"metrics": {"high_critical_vulnerabilities": 1.5}}, "metrics.high_critical_vulnerabilities"),
        ({"metrics": {"cyclomatic_complexity": 1e9}}, "metrics.cyclomatic_complexity"),
        ({}, "metrics"),
        ({"metrics": {}, "project": 1}, "project"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_stores_nothing(api, project, body, field):
    response = api(url(project), body)

    assert response.status_code == 422
    answer = response.json()
    assert answer["detail"] == "Invalid input."
    assert field in [e["field"] for e in answer["errors"]]
    assert all(e["message"] for e in answer["errors"])
    assert not QualityGateRun.objects.exists()


def test_out_of_range_says_the_range(api, project):
    answer = api(url(project), {"metrics": {"coverage_percent": 101}}).json()

    assert answer["errors"] == [
        {"field": "metrics.coverage_percent", "message": "Value error, Enter a number from 0 to 100."}
    ]


@pytest.mark.parametrize("raw", ['{"metrics": {"coverage_percent": NaN}}', '{"metrics": {"coverage_percent": 1e999}}'])
def test_numbers_json_cannot_hold_are_refused(api, project, raw):
    response = api(url(project), raw)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["metrics.coverage_percent"]
    assert not QualityGateRun.objects.exists()


def test_an_unknown_project_is_404(api):
    assert_api_refused(api("/api/v1/projects/999999/quality-gate-runs", {"metrics": {}}), 404, "Not Found")
    assert not QualityGateRun.objects.exists()


def test_a_run_of_another_project_is_404(api, project, company_b, csm):
    other = make_project(customer=company_b, actor=csm)
    posted = api(url(other), {"metrics": {}}).json()

    assert_api_refused(api(f"{url(project)}/{posted['id']}", method="get"), 404, "Not Found")
