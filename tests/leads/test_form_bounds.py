"""The lead form refuses what the database or the scoring cannot take, with the same bounds as the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.api.services import create_api_key
from apps.leads.bounds import MAX_LINE_LENGTH, MAX_LIST_ITEMS, MAX_TIMELINE_WEEKS
from apps.leads.models import Lead
from tests.leads.factories import LeadFactory
from tests.leads.test_api import _with
from tests.leads.test_views import _form_data

pytestmark = pytest.mark.django_db

LIST_FIELDS = ["requirements", "technology_preferences", "compliance_requirements", "required_integrations"]


def _post(client, url, **overrides):
    return client.post(url, _form_data(**overrides))


@pytest.fixture(params=["create", "edit"])
def form_url(request, csm):
    if request.param == "create":
        return reverse("leads:create")
    return reverse("leads:edit", args=[LeadFactory(owner=csm).pk])


@pytest.mark.parametrize("field", LIST_FIELDS)
@pytest.mark.parametrize("junk", ["a\x00b", "ok\nbad\x01line", "\x7f"], ids=["nul", "ctrl-a", "del"])
def test_a_control_character_in_a_list_line_is_a_field_error(csm_client, csm, form_url, field, junk):
    before = list(Lead.objects.values_list("pk", field))

    response = _post(csm_client, form_url, owner=csm.pk, **{field: junk})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert "control character" in errors[field][0]
    assert "is-invalid" in response.content.decode()
    assert list(Lead.objects.values_list("pk", field)) == before


def test_the_form_refuses_more_lines_or_longer_lines_than_the_api(csm_client, csm):
    too_many = "\n".join(f"item {n}" for n in range(MAX_LIST_ITEMS + 1))
    too_long = "x" * (MAX_LINE_LENGTH + 1)

    many = _post(csm_client, reverse("leads:create"), owner=csm.pk, requirements=too_many)
    long = _post(csm_client, reverse("leads:create"), owner=csm.pk, required_integrations=f"ok\n{too_long}")

    assert many.context["form"].errors["requirements"] == [f"At most {MAX_LIST_ITEMS} lines."]
    assert long.context["form"].errors["required_integrations"] == [
        f"Line 2 is longer than {MAX_LINE_LENGTH} characters."
    ]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timeline_weeks", "9" * 40),
        ("timeline_weeks", str(MAX_TIMELINE_WEEKS + 1)),
        ("team_size", "100001"),
        ("contract_timeline_weeks", "521"),
    ],
)
def test_numbers_beyond_the_api_bounds_are_refused_on_the_form(csm_client, csm, field, value):
    response = _post(csm_client, reverse("leads:create"), owner=csm.pk, **{field: value})

    assert response.status_code == 200
    assert "less than or equal to" in response.context["form"].errors[field][0]
    assert not Lead.objects.exists()


def test_the_largest_timeline_the_api_takes_is_taken_by_the_form(csm_client, csm):
    response = _post(csm_client, reverse("leads:create"), owner=csm.pk, timeline_weeks=str(MAX_TIMELINE_WEEKS))

    assert response.status_code == 302
    assert Lead.objects.get().timeline_weeks == MAX_TIMELINE_WEEKS


def test_lines_keep_their_text_and_drop_blank_lines(csm_client, csm):
    _post(csm_client, reverse("leads:create"), owner=csm.pk, requirements="  Login \n\n\tReports\t\n")

    assert Lead.objects.get().requirements == ["Login", "Reports"]


@pytest.mark.parametrize("junk", ["a\x00b", "bad\x01line"], ids=["nul", "ctrl-a"])
@pytest.mark.parametrize("field", LIST_FIELDS)
def test_the_api_refuses_the_same_control_characters_in_list_lines(client, field, junk):
    _, raw = create_api_key(name="crm")
    payload = _with(f"project.{field}", ["fine", junk])

    response = client.post(
        "/api/v1/leads", payload, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )

    assert response.status_code == 422
    assert f"project.{field}.1" in [error["field"] for error in response.json()["errors"]]
    assert not Lead.objects.exists()
