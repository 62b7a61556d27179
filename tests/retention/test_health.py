"""Stored health through the same path as the nightly task: loader, pure rules, bulk upserts, derived status."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.customers.models import Customer
from apps.customers.services import mark_churned
from apps.guarantees.models import Guarantee, Milestone
from apps.retention.health import compute_all_health, compute_health
from apps.retention.models import HealthScore, HealthSettings, HealthSnapshot, SurveyAnswer
from tests.customers.factories import CustomerFactory, StakeholderFactory
from tests.guarantees.factories import make_guarantee
from tests.retention.factories import ActivityFactory, ReviewFactory, TouchpointFactory, days_ago, make_survey

pytestmark = pytest.mark.django_db


def _answer(invitation, nps, csat, when=None):
    from apps.retention.models import SurveyInvitation

    when = when or timezone.now()
    SurveyInvitation.objects.filter(pk=invitation.pk).update(answered_at=when)
    return SurveyAnswer.objects.create(
        invitation=invitation,
        customer_id=invitation.customer_id,
        purpose="manual",
        nps=nps,
        csat=csat,
        via="link",
        answered_at=when,
    )


def _part(health, key):
    return next(p for c in health.components for p in c["parts"] if p["key"] == key)


def _component(health, key):
    return next(c for c in health.components if c["key"] == key)


def test_a_customer_with_no_data_has_no_score_and_stays_onboarding(company_a):
    compute_health([company_a.pk])
    health = HealthScore.objects.get(customer=company_a)
    assert health.score is None
    assert health.band == ""
    assert health.components_with_data == 0
    assert health.churn_risk == Decimal("35.0")
    assert "Touchpoints: No touchpoint logged yet." in health.missing
    company_a.refresh_from_db()
    assert company_a.status == Customer.Status.ONBOARDING


def test_stored_health_keeps_parts_inputs_weights_and_config_version(company_a, stakeholder_a):
    survey = make_survey(company_a, [stakeholder_a])
    _answer(survey.invitations.get(), 10, 9)
    ReviewFactory(customer=company_a, sentiment=8, roi_achieved=70, business_impact=60, goals_met=80)
    TouchpointFactory(customer=company_a)
    ActivityFactory(stakeholder=stakeholder_a, feature="guarantee")
    compute_health([company_a.pk])
    health = HealthScore.objects.get(customer=company_a)
    # satisfaction (0.4 x 90 + 0.3 x 100 + 0.1 x 80) / 0.8 = 92.5; engagement 0.3 x 8.33 + 0.3 x 16.67 + 0.2 x 12.5
    # + 0.2 x 100 = 30; outcomes 28 + 18 + 24 = 70; relationship (0.4 x 100 + 0.3 x 100) / 0.7 = 100
    assert Decimal(_component(health, "satisfaction")["score"]) == Decimal("92.5")
    assert round(Decimal(_component(health, "engagement")["score"]), 4) == Decimal("30.0000")
    assert Decimal(_component(health, "business_outcomes")["score"]) == 70
    assert Decimal(_component(health, "relationship")["score"]) == 100
    # (0.25 x 92.5 + 0.2 x 30 + 0.2 x 70 + 0.1 x 100) / 0.75 = 53.125 / 0.75 = 70.83 -> 70.8
    assert health.score == Decimal("70.8")
    assert health.band == "fair"
    assert health.components_with_data == 4
    assert health.config_version == 1
    assert health.weights["satisfaction"] == {
        "weight": "0.250",
        "parts": {"csat": "0.400", "nps": "0.300", "support_rating": "0.200", "sentiment": "0.100"},
    }
    assert health.inputs["csat_scores"] == [9]
    assert _part(health, "sentiment")["sources"][0]["url"].endswith(f"#review-{company_a.reviews.get().pk}")
    assert _part(health, "quality_score")["value"] is None


def test_project_success_reads_milestones(company_a):
    guarantee = make_guarantee(customer=company_a)
    today = timezone.localdate()
    weeks = list(guarantee.milestones.order_by("week"))
    Milestone.objects.filter(pk=weeks[0].pk).update(
        status="success",
        due_date=today - timedelta(days=8),
        review="closed",
        closed_at=timezone.now() - timedelta(days=9),
    )
    Milestone.objects.filter(pk=weeks[1].pk).update(status="failed", due_date=today - timedelta(days=1))
    compute_health([company_a.pk])
    health = HealthScore.objects.get(customer=company_a)
    assert _part(health, "milestones_succeeded")["reason"] == "1 of 2 scored milestone(s) succeeded."
    assert _part(health, "signed_off_on_time")["reason"] == "1 of 2 due milestone(s) signed off by their due date."
    assert Decimal(_part(health, "open_escalations")["value"]) == 75
    assert _part(health, "milestones_succeeded")["sources"][0]["url"] == f"/guarantees/{guarantee.pk}/"
    factors = {f["key"]: f["points"] for f in health.churn_factors}
    assert Decimal(factors["open_escalation"]) == 15


def test_derived_status_at_risk_active_onboarding_and_churned_is_final(company_a, company_b, stakeholder_a, csm):
    survey = make_survey(company_a, [stakeholder_a])
    _answer(survey.invitations.get(), 0, 1)  # satisfaction 5 -> critical
    guarantee = make_guarantee(customer=company_b)
    Guarantee.objects.filter(pk=guarantee.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
    compute_all_health()
    company_a.refresh_from_db()
    company_b.refresh_from_db()
    assert HealthScore.objects.get(customer=company_a).band == "critical"
    assert company_a.status == Customer.Status.AT_RISK
    assert company_b.status == Customer.Status.ACTIVE
    assert AuditEvent.objects.filter(action="customer.status_derived", customer_id=company_a.pk).exists()
    mark_churned(actor=csm, customer=company_a, churned_on=timezone.localdate(), reason="Budget cut.")
    compute_health([company_a.pk])
    company_a.refresh_from_db()
    assert company_a.status == Customer.Status.CHURNED


def test_a_second_run_the_same_day_keeps_one_snapshot_and_trends_read_30_and_90_days_back(company_a, stakeholder_a):
    survey = make_survey(company_a, [stakeholder_a])
    _answer(survey.invitations.get(), 9, 8)
    HealthSnapshot.objects.create(customer=company_a, day=days_ago(30), score=Decimal("90.0"))
    HealthSnapshot.objects.create(customer=company_a, day=days_ago(90), score=Decimal("70.0"))
    compute_health([company_a.pk])
    compute_health([company_a.pk])
    assert HealthSnapshot.objects.filter(customer=company_a, day=timezone.localdate()).count() == 1
    health = HealthScore.objects.get(customer=company_a)
    # satisfaction (0.4 x 80 + 0.3 x 100) / 0.7 = 88.571; engagement: 0 active days, 0 features, 1 of 1 answered:
    # 0.2 x 100 / 0.8 = 25; relationship: nobody active = 0. (0.25 x 88.571 + 0.2 x 25 + 0) / 0.55 = 49.35 -> 49.4
    assert health.score == Decimal("49.4")
    assert health.trend_30d == health.score - Decimal("90.0")
    assert health.trend_90d == health.score - Decimal("70.0")


def test_reads_stay_a_handful_of_queries_however_many_customers(django_assert_max_num_queries, csm):
    def make(n):
        ids = []
        for _ in range(n):
            customer = CustomerFactory(owner=csm)
            StakeholderFactory(customer=customer, with_login=True)
            TouchpointFactory(customer=customer)
            ReviewFactory(customer=customer)
            ids.append(customer.pk)
        return ids

    few, many = make(2), make(12)
    compute_health(few + many)  # the first run derives statuses (one audit event per change); measure the next
    with django_assert_max_num_queries(30) as few_queries:
        compute_health(few)
    with django_assert_max_num_queries(30) as many_queries:
        compute_health(many)
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)


def test_a_config_change_in_the_admin_raises_the_version(admin_user, client, company_a):
    settings_row = HealthSettings.objects.get()
    client.force_login(admin_user)
    page = client.get(f"/admin/retention/healthsettings/{settings_row.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["excellent_from"] = "92"
    formset = page.context["inline_admin_formsets"][0].formset
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": formset.total_form_count(),
            f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
        }
    )
    for i, f in enumerate(formset.forms):
        data[f"{formset.prefix}-{i}-id"] = f.instance.pk
        data[f"{formset.prefix}-{i}-settings"] = settings_row.pk
        for name in ("component", "part", "weight"):
            data[f"{formset.prefix}-{i}-{name}"] = getattr(f.instance, name)
    response = client.post(f"/admin/retention/healthsettings/{settings_row.pk}/change/", data)
    errors = [fs.formset.errors for fs in response.context["inline_admin_formsets"]] if response.context else ""
    assert response.status_code == 302, (
        errors,
        [fs.formset.non_form_errors() for fs in response.context["inline_admin_formsets"]],
    )
    settings_row.refresh_from_db()
    assert settings_row.version == 2
    compute_health([company_a.pk])
    assert HealthScore.objects.get(customer=company_a).config_version == 2
