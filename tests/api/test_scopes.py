"""API keys carry scopes, an optional customer and an optional expiry; every operation names the scope it needs."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from apps.api.models import ApiKey
from apps.api.scopes import SCOPES, all_scopes
from apps.api.services import create_api_key
from apps.audit.models import AuditEvent
from apps.projects.models import Project
from tests.access.matrix import API_KEY_ONLY
from tests.access.test_access_matrix import ENTRIES, _world
from tests.access.test_bad_input import _body_skeletons, _openapi, _operations
from tests.guarantees.factories import make_guarantee, week
from tests.leads.factories import LeadFactory

pytestmark = pytest.mark.django_db

LEAD = {
    "organization_name": "Fabrikam",
    "service_type": "mvp_development",
    "contact": {"name": "Fay Fab", "email": "fay@fabrikam.example"},
    "project": {
        "timeline_weeks": 10,
        "complexity": "high",
        "budget_usd": 1000,
        "business_criticality": "high",
        "team_size": 2,
    },
}


def _headers(raw_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_key}"}


def test_a_key_made_without_scopes_holds_every_scope():
    api_key, _ = create_api_key(name="CRM")

    assert api_key.scopes == list(SCOPES)
    assert set(SCOPES) >= {
        "leads:write",
        "leads:read",
        "evidence:write",
        "guarantees:read",
        "projects:write",
        "customers:read",
        "kpis:read",
    }


def test_a_lead_form_key_submits_leads_and_is_refused_everything_else_naming_the_scope(client, company_a, csm):
    _, raw = create_api_key(name="Website form", scopes=["leads:write"])
    milestone = week(make_guarantee(customer=company_a, actor=csm), 2)

    created = client.post("/api/v1/leads", LEAD, content_type="application/json", headers=_headers(raw))
    guarantees = client.get("/api/v1/guarantees", headers=_headers(raw))
    evidence = client.post(
        f"/api/v1/milestones/{milestone.pk}/criteria/core-features/evidence",
        {"coverage_percent": 90, "tests_passed": 9, "tests_total": 10},
        content_type="application/json",
        headers=_headers(raw),
    )
    read_back = client.get(f"/api/v1/leads/{created.json()['id']}", headers=_headers(raw))

    assert created.status_code == 201
    assert (guarantees.status_code, guarantees.json()) == (
        403,
        {"detail": "This API key lacks the scope guarantees:read."},
    )
    assert (evidence.status_code, evidence.json()["detail"]) == (403, "This API key lacks the scope evidence:write.")
    assert read_back.status_code == 403
    assert "leads:read" in read_back.json()["detail"]


def test_every_api_operation_needs_a_scope():
    """A key holding no scope is refused by every operation but ping: a new endpoint must call require_scope."""
    world = _world()
    api_key, raw = create_api_key(name="Nothing")
    ApiKey.objects.filter(pk=api_key.pk).update(scopes=[])
    from django.test import Client

    client = Client()
    checked = []
    for name, entry in sorted(ENTRIES.items()):
        if entry.expect != API_KEY_ONLY or name == "api:ping":
            continue
        url = entry.url(world)
        for method, operation in _operations(_openapi(), url).items():
            # A body the schema takes: the scope is checked once the input is valid.
            bodies = _body_skeletons(operation, _openapi())
            body = json.dumps(bodies[0][0] if bodies else {})
            response = client.generic(method.upper(), url, body, "application/json", headers=_headers(raw))
            assert response.status_code == 403, f"{method.upper()} {url}: {response.status_code}"
            assert response.json()["detail"].startswith("This API key lacks the scope "), url
            checked.append(f"{method} {name}")
    assert len(checked) >= 8


@pytest.fixture
def bound(company_a, company_b, csm):
    """A key bound to company A, with A's and B's guarantees, projects and leads."""
    ours, theirs = make_guarantee(customer=company_a, actor=csm), make_guarantee(customer=company_b, actor=csm)
    our_lead, their_lead = LeadFactory(), LeadFactory()
    Project.objects.filter(pk=ours.project_id).update(source_lead=our_lead)
    Project.objects.filter(pk=theirs.project_id).update(source_lead=their_lead)
    _, raw = create_api_key(name="Acme portal sync", customer=company_a)
    return {"headers": _headers(raw), "ours": ours, "theirs": theirs, "our_lead": our_lead, "their_lead": their_lead}


def test_a_key_bound_to_a_customer_lists_only_that_customers_guarantees_and_leads(client, bound):
    guarantees = client.get("/api/v1/guarantees", headers=bound["headers"]).json()
    leads = client.get("/api/v1/leads", headers=bound["headers"]).json()

    assert [g["id"] for g in guarantees["items"]] == [bound["ours"].pk]
    assert guarantees["count"] == 1
    assert [lead["id"] for lead in leads["items"]] == [bound["our_lead"].pk]


def test_a_key_bound_to_a_customer_gets_404_for_every_other_customers_object(client, bound):
    theirs, headers = bound["theirs"], bound["headers"]
    milestone = week(theirs, 1)
    evidence = {"checks": [{"name": "ci", "passed": True}]}

    answers = {
        "guarantee": client.get(f"/api/v1/guarantees/{theirs.pk}", headers=headers),
        "milestone": client.get(f"/api/v1/milestones/{milestone.pk}", headers=headers),
        "evidence": client.post(
            f"/api/v1/milestones/{milestone.pk}/criteria/development-environment/evidence",
            evidence,
            content_type="application/json",
            headers=headers,
        ),
        "environment": client.post(
            f"/api/v1/projects/{theirs.project_id}/environments/ci",
            {},
            content_type="application/json",
            headers=headers,
        ),
        "lead": client.get(f"/api/v1/leads/{bound['their_lead'].pk}", headers=headers),
        "lead patch": client.patch(
            f"/api/v1/leads/{bound['their_lead'].pk}",
            {"organization_name": "X"},
            content_type="application/json",
            headers=headers,
        ),
        "recommendations": client.get(f"/api/v1/leads/{bound['their_lead'].pk}/recommendations", headers=headers),
    }
    ours = client.get(f"/api/v1/guarantees/{bound['ours'].pk}", headers=headers)

    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(answers, 404)
    assert ours.status_code == 200
    assert not milestone.criteria.filter(latest_evidence__isnull=False).exists()


def test_an_expired_key_is_refused_and_a_key_before_its_expiry_works(client):
    expired, old_raw = create_api_key(name="Old", expires_at=timezone.now() - timedelta(seconds=1))
    live, new_raw = create_api_key(name="New", expires_at=timezone.now() + timedelta(days=1))

    assert client.get("/api/v1/ping", headers=_headers(old_raw)).status_code == 401
    assert client.get("/api/v1/ping", headers=_headers(new_raw)).status_code == 200
    assert (expired.is_active, live.is_active) == (False, True)


def test_the_command_sets_scopes_customer_and_expiry(company_a):
    out = StringIO()

    call_command(
        "create_api_key",
        "Acme CI",
        "--scopes",
        "evidence:write,guarantees:read",
        "--customer",
        str(company_a.pk),
        "--expires",
        "30",
        stdout=out,
    )

    api_key = ApiKey.objects.get()
    assert api_key.scopes == ["evidence:write", "guarantees:read"]
    assert api_key.customer == company_a
    assert timedelta(days=29, hours=23) < api_key.expires_at - timezone.now() <= timedelta(days=30)
    assert out.getvalue().strip().startswith("csp_")


def test_the_command_without_scopes_keeps_every_scope_and_refuses_unknown_ones():
    call_command("create_api_key", "Legacy", stdout=StringIO())

    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_key", "Typo", "--scopes", "lead:write", stdout=StringIO())
    with pytest.raises(CommandError, match="No customer"):
        call_command("create_api_key", "Nobody", "--customer", "999999", stdout=StringIO())
    assert list(ApiKey.objects.values_list("scopes", flat=True)) == [all_scopes()]


def test_the_admin_changes_scopes_customer_and_expiry_and_the_change_is_audited(client, admin_user, company_a):
    api_key, raw = create_api_key(name="CRM")
    client.force_login(admin_user)

    client.post(
        reverse("admin:api_apikey_change", args=[api_key.pk]),
        {"name": "CRM", "scopes": ["leads:read"], "customer": company_a.pk, "expires_at_0": "", "expires_at_1": ""},
    )

    api_key.refresh_from_db()
    assert (api_key.scopes, api_key.customer) == (["leads:read"], company_a)
    event = AuditEvent.objects.get(action="api_key.changed")
    assert (event.data["scopes"], event.data["before"]["scopes"]) == (["leads:read"], all_scopes())
    assert json.loads(json.dumps(event.data))["customer_id"] == company_a.pk
    client.logout()
    assert client.get("/api/v1/guarantees", headers=_headers(raw)).status_code == 403
