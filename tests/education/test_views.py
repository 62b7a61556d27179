"""Education pages: a stakeholder's own plan in the client view (nothing of anyone else's), and staff completion."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from apps.education.models import PlanItem
from tests.customers.factories import StakeholderFactory
from tests.education.factories import plan_for
from tests.pages import assert_method_refused

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_a_stakeholder_sees_their_plan_with_each_item(customer_a_client, stakeholder_a):
    plan_for(stakeholder_a)
    body = customer_a_client.get(reverse("client_education:plan")).content.decode()
    assert "How our delivery works" in body
    assert "The 30-day success guarantee" in body
    assert "Mark done" in body


def test_a_stakeholder_sees_nothing_of_a_colleagues_or_another_companys_plan(client, stakeholder_a, stakeholder_b):
    colleague = StakeholderFactory(customer=stakeholder_a.customer, with_login=True)
    colleague_item = plan_for(colleague).items.first()
    other_item = plan_for(stakeholder_b).items.first()
    client.force_login(stakeholder_a.user)
    assert "How our delivery works" not in client.get(reverse("client_education:plan")).content.decode()
    for item in (colleague_item, other_item):
        assert client.get(reverse("client_education:item", args=[item.pk])).status_code == 404
        assert client.post(reverse("client_education:mark", args=[item.pk])).status_code == 404
    assert not PlanItem.objects.filter(completed_at__isnull=False).exists()


def test_the_item_page_shows_the_written_content(customer_a_client, stakeholder_a):
    item = plan_for(stakeholder_a).items.get(content__slug="how-our-delivery-works")
    body = customer_a_client.get(reverse("client_education:item", args=[item.pk])).content.decode()
    assert "<li>Day 1, requirements analysis" in body
    assert "calendar invitation" in body


def test_the_item_page_prints_paragraphs_as_text_never_as_python_pairs(customer_a_client, stakeholder_a):
    item = plan_for(stakeholder_a).items.get(content__slug="how-our-delivery-works")
    item.content.body = "This session walks you through the plan.\n\n- First step\n- Second step"
    item.content.save(update_fields=["body"])
    body = customer_a_client.get(reverse("client_education:item", args=[item.pk])).content.decode()
    assert "<p>This session walks you through the plan.</p>" in body
    assert "<li>First step</li>" in body
    assert "('text'" not in body
    assert "<li>This session" not in body


def test_the_emailed_text_prints_paragraphs_as_text_never_as_python_pairs(stakeholder_a):
    item = plan_for(stakeholder_a).items.get(content__slug="how-our-delivery-works")
    item.content.body = "This session walks you through the plan.\n\n- First step"
    text = render_to_string("education/_content_text.txt", {"content": item.content})
    assert "This session walks you through the plan." in text
    assert "- First step" in text
    assert "('text'" not in text


def test_marking_done_through_htmx_swaps_the_status_and_without_htmx_redirects(customer_a_client, stakeholder_a):
    item = plan_for(stakeholder_a).items.first()
    url = reverse("client_education:mark", args=[item.pk])
    response = customer_a_client.post(url, {"done": "1", "next": "plan"}, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<div id="item-{item.pk}-status"')
    assert "Mark not done" in response.content.decode()
    response = customer_a_client.post(url, {"done": "0", "next": "item"})
    assert response["Location"] == reverse("client_education:item", args=[item.pk])
    item.refresh_from_db()
    assert item.completed_at is None


def test_marking_is_a_post(customer_a_client, stakeholder_a):
    item = plan_for(stakeholder_a).items.first()
    assert_method_refused(customer_a_client.get(reverse("client_education:mark", args=[item.pk])), "POST")
    item.refresh_from_db()
    assert item.completed_at is None


def test_the_csm_sees_completion_per_stakeholder(csm_client, stakeholder_a):
    colleague = StakeholderFactory(customer=stakeholder_a.customer, name="Tom Tech", role="technical_lead")
    plan = plan_for(stakeholder_a)
    plan_for(colleague, background="technical")
    PlanItem.objects.filter(pk=plan.items.first().pk).update(completed_at="2026-01-01T10:00Z")
    body = csm_client.get(reverse("education:customer", args=[stakeholder_a.customer_id])).content.decode()
    assert "Alice A" in body
    assert "Tom Tech" in body
    assert "1 of 2 done" in body
    assert "0 of 2 done" in body
    overview = csm_client.get(reverse("education:overview")).content.decode()
    assert "1 of 4" in overview


@pytest.mark.parametrize("companies", [3, 30])
def test_the_overview_costs_the_same_queries_at_any_size(csm_client, companies, django_assert_max_num_queries):
    for _ in range(companies):
        plan_for(StakeholderFactory())
    with django_assert_max_num_queries(9):
        response = csm_client.get(reverse("education:overview"), headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="customer-table">')


@pytest.mark.parametrize("people", [2, 20])
def test_the_customer_progress_page_costs_the_same_queries_at_any_size(
    csm_client, company_a, people, django_assert_max_num_queries
):
    for _ in range(people):
        plan_for(StakeholderFactory(customer=company_a))
    with django_assert_max_num_queries(11):
        response = csm_client.get(reverse("education:customer", args=[company_a.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('id="plan-') == people  # every plan shown, one heading each
