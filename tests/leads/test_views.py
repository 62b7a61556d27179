"""The staff pages of the leads app: list, export, intake with field-by-field checks, the lead page and its actions."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.pagination import PAGE_SIZE
from apps.leads import services
from apps.leads.models import Lead
from tests.leads.factories import LeadFactory, lead_input
from tests.pages import assert_method_refused, assert_not_allowed, assert_not_found, body_rows, visible_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/leads/"}


def _scored(actor, capture, **overrides):
    with capture(execute=True):
        lead = services.create_lead(actor=actor, data=lead_input(owner=actor, **overrides))
    lead.refresh_from_db()
    return lead


def _form_data(**overrides):
    data = {
        "organization_name": "Contoso",
        "contact_name": "Carla Cont",
        "contact_email": "carla@contoso.example",
        "contact_phone": "",
        "service_type": "mvp_development",
        "timeline_weeks": "10",
        "complexity": "medium",
        "budget_usd": "90000",
        "team_size": "3",
        "business_criticality": "high",
        "requirements": "Login\nReports\n\nExports",
        "technology_preferences": "Django",
        "compliance_requirements": "",
        "required_integrations": "Salesforce",
        "has_ui_requirements": "on",
        "existing_codebase": "yes",
        "requirements_clarity": "mostly_clear",
        "stakeholder_alignment": "good",
        "communication_structure": "good",
        "contract_timeline_weeks": "3",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- list


def test_the_list_shows_leads_with_their_scores(csm_client, csm, django_capture_on_commit_callbacks):
    _scored(csm, django_capture_on_commit_callbacks, organization_name="Scored Co")
    LeadFactory(organization_name="Pending Co")
    response = csm_client.get(reverse("leads:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Scored Co" in body
    assert "Pending Co" in body
    assert "Scoring…" in body


def test_the_list_filters_by_status_service_level_owner_and_search(csm_client, csm, django_capture_on_commit_callbacks):
    _scored(csm, django_capture_on_commit_callbacks, organization_name="Strong Co")
    _scored(csm, django_capture_on_commit_callbacks, organization_name="Weak Co", answers={})
    LeadFactory(organization_name="Legacy Co", service_type="legacy_modernization", owner=None)
    cases = [
        ({"status": "unqualified"}, {"Weak Co"}),
        ({"level": "highly_qualified"}, {"Strong Co"}),
        ({"level": "pending"}, {"Legacy Co"}),
        ({"service_type": "legacy_modernization"}, {"Legacy Co"}),
        ({"owner": "none"}, {"Legacy Co"}),
        ({"owner": "me"}, {"Strong Co", "Weak Co"}),
        ({"search": "weak"}, {"Weak Co"}),
    ]
    for params, expected in cases:
        page = csm_client.get(reverse("leads:list"), params).context["page"]
        assert {lead.organization_name for lead in page.object_list} == expected, params


def test_the_list_filters_by_creation_date_and_ignores_a_bad_date(csm_client):
    old = LeadFactory(organization_name="Old Co")
    Lead.objects.filter(pk=old.pk).update(created_at="2020-01-15T10:00:00Z")
    LeadFactory(organization_name="New Co")
    page = csm_client.get(reverse("leads:list"), {"created_to": "2020-01-15"}).context["page"]
    assert [lead.organization_name for lead in page.object_list] == ["Old Co"]
    page = csm_client.get(reverse("leads:list"), {"created_from": "2021-01-01", "created_to": "not-a-date"}).context[
        "page"
    ]
    assert [lead.organization_name for lead in page.object_list] == ["New Co"]


def test_the_list_sorts_by_qualification(csm_client, csm, django_capture_on_commit_callbacks):
    _scored(csm, django_capture_on_commit_callbacks, organization_name="Strong Co")
    _scored(csm, django_capture_on_commit_callbacks, organization_name="Weak Co", answers={})
    page = csm_client.get(reverse("leads:list"), {"sort": "qualification"}).context["page"]
    assert [lead.organization_name for lead in page.object_list] == ["Weak Co", "Strong Co"]


def test_the_list_answers_htmx_with_the_table_only(csm_client):
    LeadFactory(organization_name="Fragment Co")
    response = csm_client.get(reverse("leads:list"), headers=HTMX)
    body = response.content.decode()
    assert "Fragment Co" in body
    assert "<html" not in body
    assert "Add a lead" not in body


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_runs_the_same_number_of_queries_for_10_and_200_leads(
    rows, csm_client, csm, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for index in range(rows):
        LeadFactory(owner=csm, organization_name=f"Bulk {index}")
    _scored(csm, django_capture_on_commit_callbacks)
    # Session, user, permissions and the idle-timeout touch are per request; the list itself is 4 queries.
    with django_assert_max_num_queries(11):
        response = csm_client.get(reverse("leads:list"), {"sort": "-qualification"})
    assert response.status_code == 200
    assert body_rows(response) == min(Lead.objects.count(), PAGE_SIZE)
    assert f"Leads, {Lead.objects.count()} in all" in visible_text(response)


def test_the_list_refuses_post(csm_client):
    assert_method_refused(csm_client.post(reverse("leads:list"), lead_input()), "GET")
    assert not Lead.objects.exists()


def test_customers_cannot_see_leads(customer_a_client):
    LeadFactory(organization_name="Secret Prospect Ltd")
    response = customer_a_client.get(reverse("leads:list"))
    assert_not_allowed(response)
    assert "Secret Prospect Ltd" not in visible_text(response)


# ---------------------------------------------------------------- export


def test_the_export_is_the_filtered_list_as_csv(csm_client, csm, django_capture_on_commit_callbacks):
    _scored(csm, django_capture_on_commit_callbacks, organization_name="Strong Co")
    _scored(csm, django_capture_on_commit_callbacks, organization_name="=HYPERLINK(evil)", answers={})
    response = csm_client.get(reverse("leads:export"), {"status": "unqualified"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:6] == ["ID", "Organization", "Contact", "Email", "Service type", "Status"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(evil)"
    assert rows[1][4] == "MVP development"
    assert rows[1][5] == "Unqualified"
    assert rows[1][8] == "Unqualified"  # the level as a label, never a code such as moderately_qualified
    assert rows[1][12] == "Yes"


def test_the_export_query_count_does_not_grow(csm_client, csm, django_assert_max_num_queries):
    for _ in range(30):
        LeadFactory(owner=csm)
    # Session, user and idle-timeout touch (3), levels for the filter form, one query for every row.
    with django_assert_max_num_queries(7):
        response = csm_client.get(reverse("leads:export"))
        b"".join(response.streaming_content)


# ---------------------------------------------------------------- intake and edit


def test_a_csm_adds_a_lead_and_it_is_scored(csm_client, csm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = csm_client.post(reverse("leads:create"), _form_data(owner=csm.pk))
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:detail", args=[lead.pk])
    assert lead.requirements == ["Login", "Reports", "Exports"]
    assert lead.answers == {
        "existing_codebase": True,
        "requirements_clarity": "mostly_clear",
        "stakeholder_alignment": "good",
        "communication_structure": "good",
        "contract_timeline_weeks": 3,
    }
    assert lead.budget_usd == Decimal("90000")
    assert lead.has_ui_requirements
    assert not lead.has_fallback_plan
    assert lead.latest_score is not None
    assert AuditEvent.objects.filter(action="lead.created", object_id=str(lead.pk)).exists()


def test_a_form_error_keeps_everything_typed(csm_client, csm):
    response = csm_client.post(reverse("leads:create"), _form_data(owner=csm.pk, timeline_weeks="0", team_size="-1"))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"timeline_weeks", "team_size"}
    body = response.content.decode()
    assert 'value="Contoso"' in body
    assert "Login\nReports" in body
    assert not Lead.objects.exists()


def test_an_unknown_answer_is_refused(csm_client, csm):
    response = csm_client.post(reverse("leads:create"), _form_data(owner=csm.pk, requirements_clarity="crystal"))
    assert "requirements_clarity" in response.context["form"].errors


def test_each_field_is_checked_as_it_is_left(csm_client):
    url = reverse("leads:validate_field")
    response = csm_client.post(url, {**_form_data(timeline_weeks="0"), "_field": "timeline_weeks"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-timeline_weeks"' in body
    assert "is-invalid" in body
    assert "greater than or equal to 1" in body
    response = csm_client.post(url, {**_form_data(), "_field": "timeline_weeks"}, headers=HTMX)
    assert "is-invalid" not in response.content.decode()


def test_checking_an_unknown_field_is_a_bad_request(csm_client):
    response = csm_client.post(reverse("leads:validate_field"), {"_field": "nope"}, headers=HTMX)
    assert response.status_code == 400
    assert response.content.decode() == "Unknown field."


def test_the_field_check_refuses_get(csm_client):
    assert_method_refused(csm_client.get(reverse("leads:validate_field")), "POST")


def test_editing_a_lead_shows_its_answers_and_rescores_on_save(csm_client, csm, django_capture_on_commit_callbacks):
    lead = _scored(csm, django_capture_on_commit_callbacks)
    page = csm_client.get(reverse("leads:edit", args=[lead.pk]))
    assert page.context["form"].initial["existing_codebase"] == "yes"
    with django_capture_on_commit_callbacks(execute=True):
        response = csm_client.post(reverse("leads:edit", args=[lead.pk]), _form_data(owner=csm.pk))
    assert response.status_code == 302, response.context["form"].errors
    lead.refresh_from_db()
    assert lead.organization_name == "Contoso"
    assert lead.scores.count() == 2


# ---------------------------------------------------------------- the lead page


def test_the_lead_page_explains_the_score(csm_client, csm, django_capture_on_commit_callbacks):
    lead = _scored(csm, django_capture_on_commit_callbacks, team_size=0, answers={"existing_codebase": True})
    response = csm_client.get(reverse("leads:detail", args=[lead.pk]))
    body = response.content.decode()
    for text in [
        "Every criterion",
        "Existing codebase: Yes: 100% of 25 points",
        "Not answered",
        "Dimensions",
        "There is no existing team",
        "Fit per service type",
        "Blocked",
        "Risk factors",
        "Recommended approach",
        "Where the success probability comes from",
        "Next steps",
        "Education resources",
        "configuration version 1",
        "Override the stop",
    ]:
        assert text in body, text


def test_the_lead_page_polls_while_scoring_is_pending(csm_client):
    lead = LeadFactory()
    body = csm_client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Scoring this lead" in body
    assert 'hx-trigger="every 2s"' in body


def test_the_poll_swaps_in_the_result_when_it_lands(csm_client, csm, django_capture_on_commit_callbacks):
    lead = _scored(csm, django_capture_on_commit_callbacks)
    response = csm_client.get(reverse("leads:detail", args=[lead.pk]), headers=HTMX)
    body = response.content.decode()
    assert "Every criterion" in body
    assert "every 2s" not in body
    assert "<html" not in body


def test_the_poll_also_swaps_the_headings_status_badge_so_it_no_longer_says_new(
    csm_client, csm, django_capture_on_commit_callbacks
):
    lead = _scored(csm, django_capture_on_commit_callbacks)
    lead.refresh_from_db()
    assert lead.status != Lead.Status.NEW
    body = csm_client.get(reverse("leads:detail", args=[lead.pk]), headers=HTMX).content.decode()
    badge = f'<span id="lead-status-badge" class="badge lead-status-{lead.status}" hx-swap-oob="true">'
    assert f"{badge}{lead.get_status_display()}</span>" in body
    full_page = csm_client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert full_page.count('id="lead-status-badge"') == 1
    assert "hx-swap-oob" not in full_page


def test_the_lead_page_query_count_is_bounded(
    csm_client, csm, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    lead = _scored(csm, django_capture_on_commit_callbacks)
    # Per request: session, user, permissions, idle-timeout touch; the lead page: lead, outcomes; tiers' slot: 2.
    with django_assert_max_num_queries(12):
        response = csm_client.get(reverse("leads:detail", args=[lead.pk]))
    assert response.status_code == 200
    assert lead.organization_name in visible_text(response)


def test_an_unknown_lead_is_a_404(csm_client):
    assert_not_found(csm_client.get(reverse("leads:detail", args=[999999])))


def test_a_csm_overrides_a_stop_with_a_reason(csm_client, csm, django_capture_on_commit_callbacks):
    lead = _scored(csm, django_capture_on_commit_callbacks, answers={})
    url = reverse("leads:override", args=[lead.pk])
    response = csm_client.post(url, {"reason": "short"})
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()
    response = csm_client.post(url, {"reason": "Signed letter of intent from the CFO."})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert not lead.is_stopped
    assert lead.override_reason == "Signed letter of intent from the CFO."
    page = csm_client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Stop overridden" in page
    assert "Signed letter of intent" in page


def test_moving_a_lead_to_lost_needs_a_reason(csm_client, csm, django_capture_on_commit_callbacks):
    lead = _scored(csm, django_capture_on_commit_callbacks)
    url = reverse("leads:status", args=[lead.pk])
    csm_client.post(url, {"status": "lost"})
    lead.refresh_from_db()
    assert lead.status == "qualified"
    csm_client.post(url, {"status": "lost", "lost_reason": "Budget frozen"})
    lead.refresh_from_db()
    assert lead.status == "lost"


def test_score_again_queues_a_scoring(csm_client, csm, django_capture_on_commit_callbacks):
    lead = LeadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = csm_client.post(reverse("leads:rescore", args=[lead.pk]))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.latest_score is not None
    assert not lead.score_pending


@pytest.mark.parametrize("name", ["leads:override", "leads:status", "leads:rescore"])
def test_actions_refuse_get(csm_client, name):
    lead = LeadFactory()
    before = Lead.objects.values().get(pk=lead.pk)
    assert_method_refused(csm_client.get(reverse(name, args=[lead.pk])), "POST")
    assert Lead.objects.values().get(pk=lead.pk) == before


def test_the_observed_success_rate_shows_from_twenty_closed_guarantees(
    csm_client, csm, django_capture_on_commit_callbacks
):
    lead = _scored(csm, django_capture_on_commit_callbacks)
    band = lead.probability_band
    url = reverse("leads:detail", args=[lead.pk])
    others = [_scored(csm, django_capture_on_commit_callbacks, organization_name=f"Closed {n}") for n in range(20)]
    for index, other in enumerate(others[:19]):
        services.record_guarantee_outcome(lead=other, succeeded=index % 4 != 0)
    assert "observed rates show from 20 closed guarantees (19 so far)" in csm_client.get(url).content.decode()
    services.record_guarantee_outcome(lead=others[19], succeeded=True)
    body = csm_client.get(url).content.decode()
    # 15 of 20 succeeded: 14 of the first 19 and the last one
    assert "Observed in this band: <strong>75.0%</strong> of 20 closed guarantees" in body
    assert all(other.probability_band == band for other in others)
