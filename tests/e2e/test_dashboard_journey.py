"""A CSM runs their day from the home page: a week awaiting sign-off, the search box, a customer's timeline and a KPI's
records; an admin filters the KPIs by CSM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from apps.audit.services import record_event
from apps.dashboard.services import snapshot_kpis
from apps.guarantees.models import Milestone
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, UserFactory
from tests.dashboard import factories as f
from tests.e2e.conftest import check_a11y, follow, login, screenshot, visit
from tests.guarantees.factories import make_guarantee
from tests.guarantees.factories import week as week_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_csm_works_from_the_home_page_and_an_admin_filters_the_kpis(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    other = UserFactory(email="olga@portal.example", full_name="Olga Other")
    admin = UserFactory(email="ada@portal.example", full_name="Ada Admin", admin=True)
    acme = CustomerFactory(name="Acme Robotics", owner=csm)
    globex = CustomerFactory(name="Globex Health", owner=other)
    g = make_guarantee(customer=acme, name="Parts Catalogue MVP")
    week = week_of(g, 2)
    Milestone.objects.filter(pk=week.pk).update(
        review="awaiting_sign_off",
        due_date=timezone.localdate() + dt.timedelta(days=2),
        submitted_at=timezone.now() - dt.timedelta(days=1),
    )
    week.refresh_from_db()
    with transaction.atomic():
        record_event(action="milestone.submitted_for_sign_off", obj=week, actor=csm, customer_id=acme.pk)
    f.validation(f.guarantee(acme, name="Fleet Tracker"), outcome="succeeded", days_ago=3, case_study=True)
    f.validation(f.guarantee(globex, name="Clinic Scheduler"), outcome="claim_eligible", days_ago=4)
    snapshot_kpis()

    login(page, live_server, csm.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    follow(page, page.get_by_role("link", name="Week 2 of Parts Catalogue MVP awaits sign-off"))
    expect(page.get_by_text("Core Development Sprint").first).to_be_visible()

    page.get_by_role("searchbox", name="Search customers, people, leads, projects and proposals").fill("acme")
    result = page.locator("#staff-search-results").get_by_role("link", name="Acme Robotics")
    expect(result).to_be_visible()
    check_a11y(page)
    follow(page, result)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.get_by_text("Casey Manager asked for sign-off of Week 2: Core Development Sprint")).to_be_visible()

    visit(page, live_server.url + "/dashboard/")
    follow(page, page.get_by_role("link", name="See the 2 records counted").first)
    expect(page.get_by_role("heading", name="Project success rate")).to_be_visible()
    expect(page.get_by_role("cell", name="Fleet Tracker: succeeded (96.0)")).to_be_visible()
    screenshot(page, "dashboard-kpi-drilldown")

    page.context.clear_cookies()
    login(page, live_server, admin.email, TEST_PASSWORD)
    visit(page, live_server.url + "/dashboard/")
    page.get_by_label("Customer success manager").select_option(label="Olga Other")
    follow(page, page.get_by_role("button", name="Apply"))
    success = page.get_by_role("article", name="Project success rate")
    expect(success.get_by_text("0 of 1 in the last 90 days.")).to_be_visible()
    expect(success.get_by_text("Target missed")).to_be_visible()
    screenshot(page, "dashboard-kpis-admin-filtered")
    page.set_viewport_size({"width": 390, "height": 900})
    visit(page, live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "dashboard-home-390")
