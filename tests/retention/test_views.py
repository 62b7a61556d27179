"""Staff pages: the customer's health section, touchpoints, reviews, tasks, marking churned; client-view activity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.customers.models import Customer
from apps.retention.health import compute_health
from apps.retention.models import Activity, Review, Task, Touchpoint
from tests.customers.factories import CustomerFactory
from tests.retention.factories import ReviewFactory, TouchpointFactory, make_survey

pytestmark = pytest.mark.django_db


def _detail(client, customer):
    return client.get(reverse("customers:detail", args=[customer.pk]))


def test_the_customer_page_explains_health_part_by_part(csm_client, company_a, stakeholder_a):
    ReviewFactory(customer=company_a, sentiment=6, roi_achieved=50, business_impact=40, goals_met=30)
    TouchpointFactory(customer=company_a)
    compute_health([company_a.pk])
    page = _detail(csm_client, company_a).text
    assert "Rests on 4 of 5 components" in page  # no milestone yet: project success left out
    assert "Sentiment 6/10 at the latest review x 10." in page
    assert "ROI achieved 50 at the latest review." in page
    assert "Quality score: No quality-gate run recorded." in page  # what is missing
    assert "Churn risk, factor by factor" in page
    assert "Why this strategy:" in page
    assert f'href="/customers/{company_a.pk}/#review-{company_a.reviews.get().pk}"' in page


def test_the_customer_page_before_any_computation_says_so(csm_client, company_a):
    assert "Health has not been computed yet" in _detail(csm_client, company_a).text


def test_the_customer_page_stays_within_a_query_budget(
    csm_client, company_a, stakeholder_a, django_assert_max_num_queries
):
    for _ in range(5):
        TouchpointFactory(customer=company_a)
        ReviewFactory(customer=company_a)
    make_survey(company_a, [stakeholder_a])
    compute_health([company_a.pk])
    with django_assert_max_num_queries(40):
        _detail(csm_client, company_a)


def test_logging_a_touchpoint(csm_client, company_a, stakeholder_a, django_capture_on_commit_callbacks):
    url = reverse("retention:touchpoint_add", args=[company_a.pk])
    data = {
        "kind": "call",
        "occurred_on": timezone.localdate().isoformat(),
        "stakeholders": [stakeholder_a.pk],
        "note": "Talked about the roadmap.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = csm_client.post(url, data)
    assert response.status_code == 302
    touchpoint = Touchpoint.objects.get()
    assert list(touchpoint.stakeholders.all()) == [stakeholder_a]
    assert AuditEvent.objects.filter(action="touchpoint.logged").exists()
    assert "Talked about the roadmap." in _detail(csm_client, company_a).text
    assert company_a.health.inputs["touchpoints_30d"] == 1


def test_a_touchpoint_in_the_future_re_renders_with_an_error(csm_client, company_a):
    url = reverse("retention:touchpoint_add", args=[company_a.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = csm_client.post(url, {"kind": "call", "occurred_on": future, "note": "x"})
    assert response.status_code == 200
    assert "This date is in the future." in response.text
    assert not Touchpoint.objects.exists()


def test_a_touchpoint_page_refuses_put(csm_client, company_a):
    assert csm_client.put(reverse("retention:touchpoint_add", args=[company_a.pk])).status_code == 405


def test_recording_a_review_with_signals(csm_client, company_a):
    url = reverse("retention:review_add", args=[company_a.pk])
    data = {
        "reviewed_on": timezone.localdate().isoformat(),
        "sentiment": "8",
        "roi_achieved": "70",
        "business_impact": "65",
        "goals_met": "80",
        "expansion_signals": ["team_growth", "skill_gaps"],
        "note": "Good quarter.",
    }
    assert csm_client.post(url, data).status_code == 302
    review = Review.objects.get()
    assert review.expansion_signals == ["skill_gaps", "team_growth"]
    assert "Expansion signals: Skill gaps, Team growth" in _detail(csm_client, company_a).text


def test_a_review_out_of_range_re_renders(csm_client, company_a):
    url = reverse("retention:review_add", args=[company_a.pk])
    data = {"reviewed_on": timezone.localdate().isoformat(), "sentiment": "11", "roi_achieved": "101"}
    response = csm_client.post(url, data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 10." in response.text
    assert not Review.objects.exists()


def test_my_tasks_list_overdue_first_and_closing_one(csm_client, csm, company_a):
    later = Task.objects.create(
        customer=company_a,
        kind="detractor_follow_up",
        title="Later",
        owner=csm,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    overdue = Task.objects.create(
        customer=company_a,
        kind="detractor_follow_up",
        title="Late one",
        owner=csm,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    page = csm_client.get(reverse("retention:tasks")).text
    assert page.index("Late one") < page.index("Later")
    assert "Overdue" in page
    csm_client.post(reverse("retention:task_close", args=[overdue.pk]), {"status": "done", "next": "tasks"})
    overdue.refresh_from_db()
    assert overdue.status == "done"
    assert "Late one" not in csm_client.get(reverse("retention:tasks")).text
    assert later.status == "open"


def test_marking_a_customer_churned_is_audited_and_final(csm_client, company_a):
    url = reverse("customers:churn", args=[company_a.pk])
    bad = csm_client.post(url, {"churned_on": timezone.localdate().isoformat(), "reason": ""})
    assert bad.status_code == 200
    assert "This field is required." in bad.text
    csm_client.post(url, {"churned_on": timezone.localdate().isoformat(), "reason": "Moved to an in-house team."})
    company_a.refresh_from_db()
    assert company_a.status == Customer.Status.CHURNED
    assert company_a.churn_reason == "Moved to an in-house team."
    assert AuditEvent.objects.get(action="customer.churned").data["reason"] == "Moved to an in-house team."
    again = csm_client.post(url, {"churned_on": timezone.localdate().isoformat(), "reason": "Again."})
    assert "already marked churned" in again.text


def test_the_at_risk_filter_and_home_count_use_the_derived_status(csm_client, csm, stakeholder_a, company_a):
    from apps.retention.models import SurveyAnswer, SurveyInvitation

    steady = CustomerFactory(name="Steady Co", owner=csm, status=Customer.Status.ONBOARDING)
    invitation = make_survey(company_a, [stakeholder_a]).invitations.get()
    SurveyInvitation.objects.filter(pk=invitation.pk).update(answered_at=timezone.now())
    SurveyAnswer.objects.create(
        invitation=invitation,
        customer=company_a,
        purpose="manual",
        nps=0,
        csat=1,
        via="link",
        answered_at=timezone.now(),
    )
    compute_health([company_a.pk, steady.pk])
    listing = csm_client.get(reverse("customers:list"), {"status": "at_risk"}).text
    assert "Acme A" in listing
    assert "Steady Co" not in listing
    assert csm_client.get("/").context["accounts"]["at_risk"] == 1


def test_client_view_activity_is_one_row_per_stakeholder_day_and_feature(customer_a_client, stakeholder_a):
    customer_a_client.get(reverse("client_guarantees:list"))
    customer_a_client.get(reverse("client_guarantees:list"))
    customer_a_client.get(reverse("client_retention:list"))
    rows = Activity.objects.filter(stakeholder=stakeholder_a)
    assert sorted(rows.values_list("feature", flat=True)) == ["guarantee", "surveys"]
    assert rows.get(feature="guarantee").day == timezone.localdate()
