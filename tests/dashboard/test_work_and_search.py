"""My work (the staff home) and the staff search: what each person sees, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.dashboard import work
from apps.guarantees.models import MilestoneAction, MilestoneCriterion
from tests.customers.factories import CustomerFactory, StakeholderFactory, UserFactory
from tests.dashboard import factories as f
from tests.leads.factories import LeadFactory

pytestmark = pytest.mark.django_db


def _awaiting(customer, name, *, due_in_days):
    g = f.guarantee(customer, name=name)
    milestone = f.milestone(
        g,
        week=1,
        due=timezone.localdate() + dt.timedelta(days=due_in_days),
        review="awaiting_sign_off",
        submitted_at=timezone.now() - dt.timedelta(days=2),
    )
    return milestone


def _book(owner, size: int, start: int = 0) -> None:
    """`size` customers, each with a week awaiting sign-off, a week missing evidence, an action and a lead."""
    today = timezone.localdate()
    for i in range(start, start + size):
        customer = CustomerFactory(name=f"Book {owner.pk}-{i}", owner=owner)
        awaiting = _awaiting(customer, f"Build {i}", due_in_days=i - 1)
        open_week = f.milestone(awaiting.guarantee, week=2, due=today + dt.timedelta(days=3))
        MilestoneCriterion.objects.create(
            milestone=open_week, key="coverage", name="Core features", weight=1, method="automated_testing"
        )
        MilestoneAction.objects.create(
            milestone=awaiting, round=1, kind="recovery", dedupe_key=f"r{i}", title="Raise coverage", due_on=today
        )
        LeadFactory(owner=owner, organization_name=f"Prospect {owner.pk}-{i}")


def test_a_csm_sees_their_own_work_overdue_first_with_counts_and_links(csm, csm_client):
    mine = CustomerFactory(name="Acme Robotics", owner=csm)
    late = _awaiting(mine, "Parts Catalogue MVP", due_in_days=-2)
    soon = _awaiting(mine, "Ops Portal", due_in_days=3)
    other = UserFactory(email="olga@portal.example", full_name="Olga Other")
    _awaiting(CustomerFactory(name="Not Mine Inc", owner=other), "Their Build", due_in_days=1)

    html = csm_client.get(reverse("home")).content.decode()
    assert "My work" in html
    first, second = html.index("Week 1 of Parts Catalogue MVP"), html.index("Week 1 of Ops Portal")
    assert first < second  # overdue first
    assert "Overdue" in html[first - 600 : second]
    assert reverse("guarantees:milestone", args=[late.pk]) in html
    assert reverse("guarantees:milestone", args=[soon.pk]) in html
    assert "Their Build" not in html
    assert "No claim is waiting for review or a decision." in html  # an empty section says what it means


def test_an_admin_sees_everyones_work_and_filters_by_csm(csm, admin_user, client):
    other = UserFactory(email="olga@portal.example", full_name="Olga Other")
    _awaiting(CustomerFactory(name="Casey's", owner=csm), "Casey Build", due_in_days=1)
    _awaiting(CustomerFactory(name="Olga's", owner=other), "Olga Build", due_in_days=1)
    client.force_login(admin_user)
    everyone = client.get(reverse("home")).content.decode()
    assert "Casey Build" in everyone
    assert "Olga Build" in everyone
    only_olga = client.get(reverse("home"), {"csm": other.pk}).content.decode()
    assert "Olga Build" in only_olga
    assert "Casey Build" not in only_olga
    # A made-up CSM is ignored (everyone's work), never an error page.
    assert client.get(reverse("home"), {"csm": "999999"}).status_code == 200


def _home_queries(client) -> int:
    client.get(reverse("home"))  # the first request of a session also writes the session's activity time
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_page_runs_the_same_number_of_queries_for_a_small_and_a_large_book(csm, csm_client):
    _book(csm, 2)
    small = _home_queries(csm_client)
    _book(csm, 14, start=2)  # past the section limit, so the counts come from COUNT queries
    assert _home_queries(csm_client) == small


def test_each_section_counts_every_item_not_only_the_ones_shown(csm):
    _book(csm, 14)  # past the section limit: the totals ride on the listed rows (subquery or window count)
    now = timezone.now()
    scope = work.Scope(owner=csm, today=timezone.localdate(now), now=now)
    sections = {section.key: section for section in work.my_work(scope=scope)}
    for spec in work.WORK_SECTIONS:
        queryset, _ = spec.read(scope)
        assert sections[spec.key].count == queryset.count(), spec.key
        assert len(sections[spec.key].items) == min(queryset.count(), work.SECTION_LIMIT), spec.key
    for key in ("sign_off", "evidence", "actions", "leads"):  # one of each way of counting, past the limit
        assert sections[key].count > work.SECTION_LIMIT, key
    assert sections["claims"].count == 0


def test_search_finds_each_kind_and_the_htmx_answer_is_a_fragment(csm, csm_client):
    acme = CustomerFactory(name="Acme Robotics", owner=csm, industry="Robotics")
    StakeholderFactory(customer=acme, name="Alice Chen", email="alice@acme.example")
    f.project(acme, name="Acme Parts Catalogue")
    LeadFactory(organization_name="Acme Subsidiary", owner=csm)

    page = csm_client.get(reverse("dashboard:search"), {"q": "acme"}).content.decode()
    for text in ("Acme Robotics", "Acme Parts Catalogue", "Acme Subsidiary", "Customers", "Projects", "Leads"):
        assert text in page
    by_email = csm_client.get(reverse("dashboard:search"), {"q": "alice@acme.example"}).content.decode()
    assert "Alice Chen" in by_email
    assert "at Acme Robotics" in by_email
    fragment = csm_client.get(reverse("dashboard:search"), {"q": "acme"}, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b"Acme Robotics" in fragment.content
    nothing = csm_client.get(reverse("dashboard:search"), {"q": "zzzz"}).content.decode()
    assert "Nothing matches “zzzz”" in nothing
    control = csm_client.get(reverse("dashboard:search"), {"q": "acme\x00"})
    assert control.status_code == 200  # a NUL byte is dropped with the query, never a server error
    assert "Type a name" in control.content.decode()


def test_customers_never_reach_staff_search(customer_a_client, company_b):
    response = customer_a_client.get(reverse("dashboard:search"), {"q": company_b.name})
    assert response.status_code == 403
    assert company_b.name.encode() not in response.content


def test_a_detractors_follow_up_task_is_on_the_csms_home(csm, csm_client):
    from apps.retention.surveys import answer_survey
    from tests.retention.factories import make_survey

    customer = CustomerFactory(name="Grumpy Ltd", owner=csm)
    person = StakeholderFactory(customer=customer, name="Dan Detractor", email="dan@grumpy.example")
    survey = make_survey(customer, [person], questions=["nps"])
    answer_survey(invitation=survey.invitations.get(), nps=2, csat=None, comment="Too slow", via="client")

    html = csm_client.get(reverse("home")).content.decode()
    section = html[html.index("Follow-ups (detractors and retention tasks)") :]
    assert "Grumpy Ltd" in section[:3000]
    assert reverse("customers:detail", args=[customer.pk]) in section
