"""The customer page tells the customer's whole story, for people, and costs the same queries however long it is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.services import record_event
from tests.customers.factories import StakeholderFactory
from tests.dashboard import factories as f

pytestmark = pytest.mark.django_db


def _approve(milestone, user):
    record_event(
        action="milestone.sign_off_approved",
        obj=milestone,
        actor=user,
        customer_id=milestone.guarantee.project.customer_id,
    )


def test_the_customer_page_links_projects_current_weeks_and_tells_the_timeline_in_words(company_a, csm_client):
    alice = StakeholderFactory(customer=company_a, name="Alice Chen", email="alice@a.example", with_login=True)
    alice.user.full_name = "Alice Chen"
    alice.user.save(update_fields=["full_name"])
    g = f.guarantee(company_a, name="Parts Catalogue MVP")
    week2 = f.milestone(g, week=2, title="Core Development Sprint", due=g.starts_on, review="awaiting_sign_off")
    _approve(week2, alice.user)
    record_event(action="api_key.created", obj=week2, customer_id=company_a.pk)  # not part of a customer's story

    html = csm_client.get(reverse("customers:detail", args=[company_a.pk])).content.decode()
    assert "Parts Catalogue MVP" in html
    assert "week 2, Core Development Sprint" in html
    assert "Alice Chen approved Week 2: Core Development Sprint" in html
    assert reverse("guarantees:milestone", args=[week2.pk]) in html
    assert "api_key.created" not in html
    assert "milestone.sign_off_approved" not in html


def test_the_timeline_filters_by_kind_and_paginates_through_htmx(company_a, csm_client):
    g = f.guarantee(company_a, name="Ops Portal")
    week = f.milestone(g, week=1, due=g.starts_on)
    for _ in range(25):
        record_event(action="milestone.submitted_for_sign_off", obj=week, customer_id=company_a.pk)
    record_event(action="customer.updated", obj=company_a, customer_id=company_a.pk)
    url = reverse("customers:detail", args=[company_a.pk])
    people = csm_client.get(url, {"kind": "people"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in people
    assert "updated the customer" in people
    assert "asked for sign-off" not in people
    second = csm_client.get(url, {"kind": "sign_off", "page": 2}).content.decode()
    assert second.count("asked for sign-off of Week 1") == 5  # 25 events, 20 a page
    assert "Page 2 of 2" in second


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_customer_page_runs_a_fixed_number_of_queries(company_a, csm_client):
    url = reverse("customers:detail", args=[company_a.pk])
    g = f.guarantee(company_a, name="First")
    first = f.milestone(g, week=1, due=g.starts_on)
    record_event(action="milestone.submitted_for_sign_off", obj=first, customer_id=company_a.pk)
    StakeholderFactory(customer=company_a, email="first@a.example")
    small = _queries(csm_client, url)
    for i in range(6):
        more = f.guarantee(company_a, name=f"More {i}")
        week = f.milestone(more, week=1, due=more.starts_on)
        record_event(action="milestone.submitted_for_sign_off", obj=week, customer_id=company_a.pk)
        StakeholderFactory(customer=company_a, email=f"s{i}@a.example")
    assert _queries(csm_client, url) == small


def test_another_company_never_sees_this_timeline(company_a, customer_b, client):
    client.force_login(customer_b)
    assert client.get(reverse("customers:detail", args=[company_a.pk])).status_code == 403
