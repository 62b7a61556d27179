"""The lead PATCH schema and the endpoint agree: every body the schema accepts is answered 200, every body it refuses
(a null where only a value will do) is a 422 naming the field, and nothing changes on a 422."""

from __future__ import annotations

import pytest

from apps.api.api import api
from apps.api.services import create_api_key
from apps.leads.models import Lead
from tests.leads.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    _, raw = create_api_key(name="Patch check")
    return {"Authorization": f"Bearer {raw}"}


def _patch(client, key, lead, body):
    return client.patch(f"/api/v1/leads/{lead.pk}", body, content_type="application/json", headers=key)


def _schema(name: str) -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"][name]


@pytest.mark.parametrize(
    "body", [{}, {"contact": {}}, {"contact": None}, {"project": {}}, {"project": None}, {"answers": None}]
)
def test_an_empty_or_null_section_is_accepted_and_changes_nothing(client, key, body):
    lead = LeadFactory(contact_name="Nina North", timeline_weeks=12)

    response = _patch(client, key, lead, body)

    assert response.status_code == 200
    assert response.json()["contact"]["name"] == "Nina North"
    lead.refresh_from_db()
    assert (lead.contact_name, lead.timeline_weeks) == ("Nina North", 12)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contact": {"name": None}}, "contact.name"),
        ({"contact": {"email": None}}, "contact.email"),
        ({"organization_name": None}, "organization_name"),
        ({"service_type": None}, "service_type"),
        ({"project": {"budget_usd": None}}, "project.budget_usd"),
        ({"project": {"requirements": None}}, "project.requirements"),
    ],
)
def test_a_null_the_schema_does_not_allow_is_a_422_naming_the_field(client, key, body, field):
    lead = LeadFactory(organization_name="Northwind", contact_name="Nina North")

    response = _patch(client, key, lead, body)

    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}
    assert Lead.objects.filter(pk=lead.pk, organization_name="Northwind", contact_name="Nina North").exists()


def test_the_schema_allows_null_exactly_where_the_endpoint_takes_it():
    def nullable(prop: dict) -> bool:
        return any(option.get("type") == "null" for option in prop.get("anyOf", [])) or prop.get("type") == "null"

    contact, project, lead = _schema("ContactPatch"), _schema("ProjectPatch"), _schema("LeadPatch")

    assert {name for name, prop in contact["properties"].items() if nullable(prop)} == {"phone"}
    assert not contact.get("required")
    assert not any(nullable(prop) for prop in project["properties"].values())
    assert {name for name, prop in lead["properties"].items() if nullable(prop)} == {"contact", "project", "answers"}
    assert all("default" not in prop for prop in [*contact["properties"].values(), *project["properties"].values()])


def test_a_phone_sent_as_null_is_cleared(client, key):
    lead = LeadFactory(contact_phone="+1 555 0100")

    assert _patch(client, key, lead, {"contact": {"phone": None}}).status_code == 200
    lead.refresh_from_db()
    assert lead.contact_phone == ""
