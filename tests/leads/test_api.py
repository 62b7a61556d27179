"""The lead API: intake, the explained read, list, patch, and 422s that leave nothing half-written."""

from __future__ import annotations

import copy

import pytest

from apps.api.services import create_api_key, revoke_api_key
from apps.audit.models import AuditEvent
from apps.leads.models import Lead
from tests.leads.factories import LeadFactory
from tests.pages import assert_api_refused

pytestmark = pytest.mark.django_db

URL = "/api/v1/leads"

PAYLOAD = {
    "organization_name": "Fabrikam",
    "contact": {"name": "Fay Fab", "email": "Fay@Fabrikam.example", "phone": "+1 555 0100"},
    "service_type": "mvp_development",
    "project": {
        "timeline_weeks": 10,
        "complexity": "high",
        "requirements": ["Accounts", "Search", "Reports"],
        "technology_preferences": ["React", "alpha-db"],
        "budget_usd": 120000.5,
        "compliance_requirements": ["PCI DSS"],
        "required_integrations": ["Stripe", "Salesforce"],
        "business_criticality": "critical",
        "team_size": 2,
        "has_ui_requirements": True,
        "has_fallback_plan": False,
    },
    "answers": {
        "existing_codebase": True,
        "project_documentation": "partial",
        "requirements_clarity": "mostly_clear",
        "timeline_urgency": "moderate",
        "stakeholder_alignment": "good",
        "budget_status": "approved",
        "decision_authority": "full",
        "contract_timeline_weeks": 3,
        "communication_structure": "good",
    },
}


@pytest.fixture
def auth(db):
    _, raw = create_api_key(name="crm")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def post(client, auth, django_capture_on_commit_callbacks):
    def send(payload, run_tasks=True):
        with django_capture_on_commit_callbacks(execute=run_tasks):
            return client.post(URL, payload, content_type="application/json", headers=auth)

    return send


def _without(path: str) -> dict:
    payload = copy.deepcopy(PAYLOAD)
    *parents, last = path.split(".")
    target = payload
    for part in parents:
        target = target[part]
    del target[last]
    return payload


def _with(path: str, value) -> dict:
    payload = copy.deepcopy(PAYLOAD)
    *parents, last = path.split(".")
    target = payload
    for part in parents:
        target = target[part]
    target[last] = value
    return payload


def test_posting_a_lead_answers_201_with_its_id_and_status(post):
    response = post(PAYLOAD, run_tasks=False)
    assert response.status_code == 201
    lead = Lead.objects.get()
    assert response.json() == {"id": lead.pk, "status": "new"}
    assert lead.source == "api"
    assert lead.contact_email == "fay@fabrikam.example"
    assert AuditEvent.objects.get(action="lead.created").actor_label == "api:crm"


def test_the_lead_reads_back_with_null_scores_while_pending(client, auth, post):
    lead_id = post(PAYLOAD, run_tasks=False).json()["id"]
    body = client.get(f"{URL}/{lead_id}", headers=auth).json()
    assert body["qualification"] is None
    assert body["feasibility"] is None
    assert body["project"]["budget_usd"] == 120000.5


def test_the_round_trip_returns_the_explained_scores(client, auth, post):
    lead_id = post(PAYLOAD).json()["id"]
    body = client.get(f"{URL}/{lead_id}", headers=auth).json()
    q, f = body["qualification"], body["feasibility"]
    # 25 + 12 + 9 + 10 + 0 | 24 + 14 + 12 | 25 + 20 + 7 | 8 = 166 of 260
    assert q["score"] == 63.8
    assert q["level"] == "qualified"
    assert q["dimensions"]["technical"] == {"points": 56.0, "max": 80.0, "percent": 70.0}
    assert q["criteria"][0] == {
        "key": "existing_codebase",
        "dimension": "technical",
        "answer": "Yes",
        "points": 25.0,
        "max": 25.0,
        "reason": "Existing codebase: Yes: 100% of 25 points",
    }
    assert q["disqualifiers"] == []
    assert q["service_fit"]["mvp_development"] == {"fit": "fit", "key_gaps": []}
    assert q["service_fit"]["legacy_modernization"]["fit"] == "blocked"
    assert q["next_steps"][0] == "Requirements clarification"
    assert q["config_version"] == 1
    # technical 100 - 20 (high) - 15 (alpha) - 10 (2 integrations) - 10 (PCI) = 45
    # timeline: 3 requirements -> 5.5 weeks estimated, 10 asked; resource: mean(94.0001 budget, 70 team)
    assert (f["technical"], f["timeline"], f["resource"]) == (45.0, 100.0, 82.0)
    # 0.4 x 45 + 0.3 x 100 + 0.3 x 82.00005 = 72.6; combined 0.6 x 72.6 + 0.4 x 63.8 = 69.1 -> "good" band
    assert f["score"] == 72.6
    assert f["level"] == "feasible"
    assert f["estimated_weeks"] == 5.5
    assert f["success_probability"] == 75.0
    assert [r["code"] for r in f["risk_factors"]] == [
        "complexity",
        "risky_technology",
        "integrations",
        "compliance",
        "budget_shortfall",
        "small_team",
    ]
    assert f["blockers"] == ["Technical score 45.0 is under 70"]
    assert f["recommended_approach"].startswith("Run a technical spike")
    assert body["stops"] == []
    assert body["stopped"] is False


def test_an_infeasible_lead_reads_back_stopped(client, auth, post):
    payload = _with("project.timeline_weeks", 2)
    payload["project"]["budget_usd"] = 1000
    lead_id = post(payload).json()["id"]
    body = client.get(f"{URL}/{lead_id}", headers=auth).json()
    assert body["feasibility"]["level"] == "infeasible"
    assert body["stops"] == ["infeasible"]
    assert body["stopped"] is True
    assert "unrealistic_timeline" in body["qualification"]["disqualifiers"]


def test_the_list_is_filtered_and_paginated(client, auth, post):
    post(PAYLOAD)
    post(_with("organization_name", "Other"), run_tasks=False)
    body = client.get(URL, {"level": "qualified", "limit": 1}, headers=auth).json()
    assert body["count"] == 1
    assert body["items"][0]["organization_name"] == "Fabrikam"
    body = client.get(URL, {"status": "new"}, headers=auth).json()
    assert [item["organization_name"] for item in body["items"]] == ["Other"]
    assert client.get(URL, {"status": "maybe"}, headers=auth).status_code == 422


def test_the_list_query_count_does_not_grow(client, auth, django_assert_max_num_queries):
    for _ in range(30):
        LeadFactory()
    with django_assert_max_num_queries(4):
        assert len(client.get(URL, {"limit": 30}, headers=auth).json()["items"]) == 30


def test_patching_an_input_rescores_the_lead(client, auth, post, django_capture_on_commit_callbacks):
    lead_id = post(PAYLOAD).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"{URL}/{lead_id}",
            {"project": {"timeline_weeks": 20}, "answers": {"stakeholder_alignment": None}},
            content_type="application/json",
            headers=auth,
        )
    assert response.status_code == 200
    body = client.get(f"{URL}/{lead_id}", headers=auth).json()
    assert body["project"]["timeline_weeks"] == 20
    assert body["project"]["complexity"] == "high"
    assert "stakeholder_alignment" not in body["answers"]
    assert body["answers"]["existing_codebase"] is True
    assert body["qualification"]["disqualifiers"] == ["no_stakeholder_alignment"]
    assert Lead.objects.get().scores.count() == 2


def test_patching_a_required_field_to_null_is_a_422(client, auth, post):
    lead_id = post(PAYLOAD).json()["id"]
    response = client.patch(
        f"{URL}/{lead_id}", {"project": {"timeline_weeks": None}}, content_type="application/json", headers=auth
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "project.timeline_weeks"
    assert Lead.objects.get().timeline_weeks == 10


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_with("project.timeline_weeks", "ten"), "project.timeline_weeks"),
        (_with("project.team_size", "3"), "project.team_size"),
        (_with("project.has_fallback_plan", "yes"), "project.has_fallback_plan"),
        (_with("project.requirements", "one"), "project.requirements"),
        (_with("project.budget_usd", "lots"), "project.budget_usd"),
        (_with("answers.existing_codebase", "true"), "answers.existing_codebase"),
    ],
)
def test_a_bad_type_is_a_422_naming_the_field(post, payload, field):
    response = post(payload)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("service_type", "consulting"),
        ("project.complexity", "extreme"),
        ("project.business_criticality", "urgent"),
        ("answers.requirements_clarity", "crystal"),
        ("answers.budget_status", "unknown"),
        ("answers.favourite_colour", "blue"),
    ],
)
def test_an_unknown_enum_value_or_key_is_a_422(post, path, value):
    response = post(_with(path, value))
    assert response.status_code == 422
    assert path in [error["field"] for error in response.json()["errors"]]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("project.timeline_weeks", 0),
        ("project.team_size", -1),
        ("project.budget_usd", -5),
        ("answers.contract_timeline_weeks", -2),
    ],
)
def test_a_negative_or_zero_number_is_a_422(post, path, value):
    response = post(_with(path, value))
    assert response.status_code == 422
    assert path in [error["field"] for error in response.json()["errors"]]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "organization_name",
        "contact",
        "contact.email",
        "service_type",
        "project",
        "project.timeline_weeks",
        "project.team_size",
        "project.budget_usd",
        "project.complexity",
    ],
)
def test_a_missing_required_field_is_a_422(post, path):
    response = post(_without(path))
    assert response.status_code == 422
    assert path in [error["field"] for error in response.json()["errors"]]
    assert not Lead.objects.exists()


def test_every_answer_is_optional(post):
    response = post(_without("answers"))
    assert response.status_code == 201
    assert Lead.objects.get().answers == {}


def test_a_bad_email_is_a_422(post):
    response = post(_with("contact.email", "not-an-email"))
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "contact.email",
        "message": "Value error, Enter a valid email address.",
    }


def test_a_browser_session_is_not_enough(csm_client):
    assert_api_refused(csm_client.get(URL), 401, "Unauthorized")


def test_a_revoked_key_is_refused(client, db):
    key, raw = create_api_key(name="old")
    revoke_api_key(api_key=key)
    assert_api_refused(client.get(URL, headers={"Authorization": f"Bearer {raw}"}), 401, "Unauthorized")


def test_an_unknown_lead_is_a_404(client, auth):
    assert_api_refused(client.get(f"{URL}/424242", headers=auth), 404, "Not Found")


def test_the_openapi_schema_documents_the_lead_endpoints(csm_client):
    paths = csm_client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/leads"]) == {"get", "post"}
    assert set(paths["/api/v1/leads/{lead_id}"]) == {"get", "patch"}
