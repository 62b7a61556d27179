from __future__ import annotations

import pytest

from apps.api.services import create_api_key
from apps.guarantees.models import Evidence, Milestone
from apps.guarantees.signoff import submit_for_sign_off
from tests.guarantees.factories import bulk_guarantees, give_evidence, make_guarantee, week
from tests.pages import assert_api_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(db):
    _, raw = create_api_key(name="CI pipeline")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


def _post(client, auth, milestone, key, body):
    url = f"/api/v1/milestones/{milestone.pk}/criteria/{key}/evidence"
    return client.post(url, body, content_type="application/json", headers=auth)


def test_get_milestone_answers_status_sign_off_score_thresholds_and_criteria(client, auth, guarantee, committed):
    milestone = week(guarantee, 2)
    with committed():
        give_evidence(milestone, {"core-features": 80, "api-integration": 60, "security-implementation": 70})

    body = client.get(f"/api/v1/milestones/{milestone.pk}", headers=auth).json()

    assert {k: body[k] for k in ("status", "signed_off", "score", "pass_threshold", "escalation_threshold")} == {
        "status": "at_risk",
        "signed_off": False,
        "score": 72.0,
        "pass_threshold": 80.0,
        "escalation_threshold": 65.0,
    }
    assert body["criteria"][0] == {
        "key": "core-features",
        "name": "Core features",
        "method": "automated_testing",
        "weight": 0.5,
        "score": 80.0,
        "complete": True,
    }
    assert body["criteria"][1]["complete"] is False


def test_list_guarantees_filters_by_status_and_includes_milestones(client, auth, guarantee, company_b, committed):
    failing = make_guarantee(customer=company_b)
    with committed():
        give_evidence(week(failing, 1), 40)

    everything = client.get("/api/v1/guarantees", headers=auth).json()
    failed = client.get("/api/v1/guarantees", {"status": "failed_week"}, headers=auth).json()

    assert everything["count"] == 2
    assert [g["id"] for g in failed["items"]] == [failing.pk]
    assert len(failed["items"][0]["milestones"]) == 4
    assert client.get("/api/v1/guarantees", {"status": "nonsense"}, headers=auth).status_code == 422


@pytest.mark.parametrize("rows", [10, 200])
def test_list_guarantees_queries_do_not_grow_with_the_data(
    client, auth, company_a, django_assert_max_num_queries, rows
):
    bulk_guarantees(customer=company_a, count=rows)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/guarantees", {"limit": 200}, headers=auth)
    assert len(response.json()["items"]) == rows


def test_get_guarantee_and_unknown_ids(client, auth, guarantee):
    body = client.get(f"/api/v1/guarantees/{guarantee.pk}", headers=auth).json()

    assert body["status"] == "active"
    assert body["customer"]["name"] == "Acme A"
    assert [m["week"] for m in body["milestones"]] == [1, 2, 3, 4]
    assert client.get("/api/v1/guarantees/999999", headers=auth).status_code == 404
    assert client.get("/api/v1/milestones/999999", headers=auth).status_code == 404


@pytest.mark.parametrize(
    ("week_number", "key", "body", "score"),
    [
        (2, "core-features", {"coverage_percent": 85.5, "tests_passed": 190, "tests_total": 200}, 89.3),
        (
            1,
            "development-environment",
            {"checks": [{"name": "ci", "passed": True}, {"name": "db", "passed": False}]},
            50.0,
        ),
        (2, "api-integration", {"endpoints_passing": 18, "endpoints_total": 20, "docs_published": False}, 81.0),
        (2, "security-implementation", {"critical": 0, "high": 1, "medium": 2, "low": 9}, 65.0),
        (
            3,
            "performance-benchmarks",
            {
                "avg_response_ms": 120,
                "target_response_ms": 100,
                "requests_per_second": 450,
                "target_rps": 500,
                "error_rate_percent": 1.5,
                "max_error_rate_percent": 1,
            },
            74.0,
        ),
        # Uptime over the target caps at 1; the checklist share still applies: 1 x 100 x 3 / 10 = 30.
        (
            4,
            "production-deployment",
            {"uptime_percent": 99.95, "target_uptime_percent": 99.9, "checklist_done": 3, "checklist_total": 10},
            30.0,
        ),
        (3, "quality-gates", {"gates_passed": 9, "gates_total": 10}, 90.0),
    ],
)
def test_machine_evidence_is_recorded_by_api_with_the_exact_field_names(
    client, auth, guarantee, week_number, key, body, score
):
    milestone = week(guarantee, week_number)

    response = _post(client, auth, milestone, key, body)

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["version"], data["score"]) == (1, score)
    evidence = Evidence.objects.get()
    assert (evidence.source, evidence.submitted_by_label) == ("api", "API key CI pipeline")


def test_bad_machine_evidence_answers_422_naming_the_fields(client, auth, guarantee):
    milestone = week(guarantee, 2)

    missing = _post(client, auth, milestone, "core-features", {"coverage_percent": "x", "tests_total": 5, "extra": 1})
    impossible = _post(
        client, auth, milestone, "core-features", {"coverage_percent": 80, "tests_passed": 9, "tests_total": 5}
    )

    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"coverage_percent", "tests_passed", "extra"}
    assert impossible.status_code == 422
    assert "cannot exceed tests total" in impossible.json()["errors"][0]["message"]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("target", "status", "score"),
    [
        (None, 201, 99.9),  # left out: the configured 99.9; 99.8 / 99.9 x 100 = 99.899... -> 99.9
        (99.9, 201, 99.9),  # the configured target itself
        (99.99, 201, 99.8),  # raised: 99.8 / 99.99 x 100 = 99.809... -> 99.8
        (99.89, 422, None),  # lowered by a hair: refused
        (90, 422, None),
    ],
)
def test_the_api_may_raise_the_uptime_target_but_never_lower_it(client, auth, guarantee, target, status, score):
    body = {"uptime_percent": 99.8, "checklist_done": 5, "checklist_total": 5}
    if target is not None:
        body["target_uptime_percent"] = target

    response = _post(client, auth, week(guarantee, 4), "production-deployment", body)

    assert response.status_code == status, response.json()
    if score is None:
        assert response.json()["errors"][0]["field"] == "target_uptime_percent"
        assert "never lower it" in response.json()["errors"][0]["message"]
        assert not Evidence.objects.exists()
    else:
        assert response.json()["score"] == score


def test_stakeholder_answers_are_not_accepted_by_api(client, auth, guarantee):
    response = _post(client, auth, week(guarantee, 1), "requirements-analysis", {"approved": 2, "required": 2})

    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_the_api_shows_each_answer_and_who_recorded_it(client, auth, guarantee, csm, stakeholder_a, customer_a):
    from apps.guarantees.client_input import record_stakeholder_input, record_stakeholder_response

    milestone = week(guarantee, 1)
    feedback = milestone.criteria.get(key="team-communication")
    record_stakeholder_input(
        user=customer_a, criterion=milestone.criteria.get(key="requirements-analysis"), values={"approved": True}
    )
    other = stakeholder_a.customer.stakeholders.create(name="Olga Other", email="olga@a.example")
    record_stakeholder_response(
        actor=csm, criterion=feedback, stakeholder=other, values={"rating": 7}, note="Said so on the weekly call"
    )

    body = client.get(f"/api/v1/milestones/{milestone.pk}", headers=auth).json()

    answers = {c["key"]: c.get("answers") for c in body["criteria"]}
    assert answers["requirements-analysis"][0]["recorded_by"] == f"given by {stakeholder_a.name}"
    assert answers["requirements-analysis"][0]["values"] == {"approved": True}
    assert answers["team-communication"][0]["recorded_by"] == f"recorded by {csm.get_full_name()} for Olga Other"
    assert answers["team-communication"][0]["note"] == "Said so on the weekly call"
    assert answers["system-architecture"] is None  # a review has no stakeholder answers


def test_people_evidence_is_not_accepted_by_api(client, auth, guarantee):
    response = _post(client, auth, week(guarantee, 1), "system-architecture", {"reviewer": "bot", "score": 10})

    assert response.status_code == 400
    assert "entered in the portal" in response.json()["detail"]


def test_evidence_for_a_week_awaiting_sign_off_is_refused_with_409(client, auth, guarantee, csm, committed):
    milestone = week(guarantee, 2)
    with committed():
        give_evidence(milestone, 90)
    submit_for_sign_off(actor=csm, milestone=Milestone.objects.get(pk=milestone.pk))

    response = _post(client, auth, milestone, "quality-gates", {"gates_passed": 1, "gates_total": 1})
    assert response.status_code == 404  # not a criterion of week 2
    response = _post(
        client, auth, milestone, "core-features", {"coverage_percent": 99, "tests_passed": 1, "tests_total": 1}
    )
    assert response.status_code == 409
    assert "awaiting sign-off" in response.json()["detail"]


def test_the_api_needs_a_key(client, guarantee):
    assert_api_refused(client.get("/api/v1/guarantees"), 401, "Unauthorized")
