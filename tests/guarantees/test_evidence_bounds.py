"""Evidence refuses nonsense the same way on the staff form and the API: upper bounds on every number and list,
no infinities, no control characters in names. Bounds are declared once, next to the methods."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.api.services import create_api_key
from apps.guarantees.methods.base import MAX_COUNT, MAX_ITEMS, MAX_NUMBER
from apps.guarantees.models import Evidence
from tests.guarantees.factories import make_guarantee, week

pytestmark = pytest.mark.django_db

PERFORMANCE = {
    "avg_response_ms": "150",
    "target_response_ms": "100",
    "requests_per_second": "100",
    "target_rps": "100",
    "error_rate_percent": "0",
    "max_error_rate_percent": "1",
}
FORM_CASES = [
    ("all-features", 3, {"features_demonstrated": "1" + "0" * 40, "features_planned": "10", "confirmed_by": "Mia"}),
    ("all-features", 3, {"features_demonstrated": "9", "features_planned": str(MAX_COUNT + 1), "confirmed_by": "Mia"}),
    ("quality-gates", 3, {"gates_passed": "4", "gates_total": "1" + "0" * 40}),
    ("performance-benchmarks", 3, {**PERFORMANCE, "avg_response_ms": "1e400"}),
    ("performance-benchmarks", 3, {**PERFORMANCE, "avg_response_ms": "inf"}),
    ("performance-benchmarks", 3, {**PERFORMANCE, "requests_per_second": "NaN"}),
    ("performance-benchmarks", 3, {**PERFORMANCE, "target_rps": str(MAX_NUMBER + 1)}),
    ("development-environment", 1, {"checks": "\n".join(f"check {n} = pass" for n in range(MAX_ITEMS + 1))}),
    ("development-environment", 1, {"checks": "CI\x00 = pass"}),
    ("development-environment", 1, {"checks": "CI\x01 = pass"}),
    ("development-environment", 1, {"checks": "x" * 301 + " = pass"}),
    ("team-communication", 1, {"ratings": "8, 9\x00"}),
    ("system-architecture", 1, {"reviewer": "R\x00", "score": "8.5"}),
    ("core-features", 2, {"coverage_percent": "90", "tests_passed": "95", "tests_total": "100", "note": "a\x00b"}),
]


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


@pytest.mark.parametrize(
    ("key", "week_number", "post"), FORM_CASES, ids=[f"{c[0]}-{n}" for n, c in enumerate(FORM_CASES)]
)
def test_the_evidence_form_refuses_out_of_bounds_numbers_lists_and_control_characters(
    csm_client, guarantee, key, week_number, post
):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, week_number).pk, key])

    response = csm_client.post(url, post)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Evidence.objects.exists()


def test_the_largest_allowed_numbers_are_taken_by_the_form(csm_client, guarantee):
    url = reverse("guarantees:evidence_form", args=[week(guarantee, 3).pk, "quality-gates"])

    response = csm_client.post(url, {"gates_passed": str(MAX_COUNT), "gates_total": str(MAX_COUNT)})

    assert response.status_code == 302
    assert Evidence.objects.get().data == {"gates_passed": MAX_COUNT, "gates_total": MAX_COUNT}


API_PERFORMANCE = {
    "avg_response_ms": 150,
    "target_response_ms": 100,
    "requests_per_second": 100,
    "target_rps": 100,
    "error_rate_percent": 0,
    "max_error_rate_percent": 1,
}
API_CASES = [
    (3, "quality-gates", '{"gates_passed": 4, "gates_total": 1' + "0" * 40 + "}", "gates_total"),
    (3, "quality-gates", f'{{"gates_passed": 4, "gates_total": {MAX_COUNT + 1}}}', "gates_total"),
    (
        3,
        "performance-benchmarks",
        '{"avg_response_ms": 1e400, "target_response_ms": 100, "requests_per_second": 1,'
        ' "target_rps": 1, "error_rate_percent": 0, "max_error_rate_percent": 1}',
        "avg_response_ms",
    ),
    (
        3,
        "performance-benchmarks",
        '{"avg_response_ms": NaN, "target_response_ms": 100, "requests_per_second": 1,'
        ' "target_rps": 1, "error_rate_percent": 0, "max_error_rate_percent": 1}',
        "avg_response_ms",
    ),
    (
        3,
        "performance-benchmarks",
        '{"avg_response_ms": 1, "target_response_ms": 100, "requests_per_second": 1,'
        ' "target_rps": 1e12, "error_rate_percent": 0, "max_error_rate_percent": 1}',
        "target_rps",
    ),
    (
        1,
        "development-environment",
        '{"checks": [' + ", ".join(f'{{"name": "c{n}", "passed": true}}' for n in range(20_000)) + "]}",
        "checks",
    ),
    (1, "development-environment", '{"checks": [{"name": "CI\\u0001", "passed": true}]}', "checks.0.name"),
    (1, "development-environment", '{"checks": [{"name": "' + "x" * 301 + '", "passed": true}]}', "checks.0.name"),
]


@pytest.mark.parametrize(
    ("week_number", "key", "body", "field"), API_CASES, ids=[f"{c[1]}-{n}" for n, c in enumerate(API_CASES)]
)
def test_the_evidence_api_refuses_the_same_nonsense_with_a_422_naming_the_field(
    client, guarantee, week_number, key, body, field
):
    _, raw = create_api_key(name="CI")
    url = f"/api/v1/milestones/{week(guarantee, week_number).pk}/criteria/{key}/evidence"

    response = client.post(url, body, content_type="application/json", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 422, response.content[:300]
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Evidence.objects.exists()
