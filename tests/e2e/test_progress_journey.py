"""The progress update journey: a CSM posts an update on the project page; the executive and the technical lead each
read the version for their role in the client view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import follow, login, screenshot, visit
from tests.projects.factories import make_project

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def _log_out(page) -> None:
    follow(page, page.get_by_role("button", name="Log out"))


def test_a_csm_posts_an_update_and_each_role_reads_its_own_version(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    company = CustomerFactory(name="Northwind Robotics", owner=csm)
    StakeholderFactory(
        customer=company, name="Erin Executive", email="erin@northwind.example", executive=True, with_login=True
    )
    StakeholderFactory(
        customer=company, name="Theo Tech", email="theo@northwind.example", role="technical_lead", with_login=True
    )
    project = make_project(
        customer=company, actor=csm, name="Northwind Fleet Console", accepted_at=timezone.now() - timedelta(days=21)
    )

    # The CSM posts the update from the project page.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/projects/{project.pk}/")
    page.get_by_label("Overall progress (%)").fill("40")
    page.get_by_label("Achievements").fill("Fleet map live\nDriver login with SSO")
    page.get_by_label("Blockers").fill("Waiting for the telematics sandbox")
    page.get_by_label("Upcoming milestones").fill("Week 4 demo")
    page.get_by_label("Risk level").select_option("high")
    follow(page, page.get_by_role("button", name="Post the update"))
    expect(page.get_by_text("Progress update posted: at risk.")).to_be_visible()
    _log_out(page)

    # The executive reads the executive brief: progress, timeline, budget, achievements; no blockers.
    login(page, live_server, "erin@northwind.example", TEST_PASSWORD)
    follow(page, page.get_by_role("link", name="Project updates"))
    follow(page, page.get_by_role("link", name="Northwind Fleet Console"))
    update = page.locator("article").first
    expect(update.get_by_text("Executive brief")).to_be_visible()
    expect(update.get_by_text("Budget: $120,000")).to_be_visible()
    expect(update.get_by_text("Driver login with SSO")).to_be_visible()
    expect(update.get_by_text("Priority")).to_be_visible()
    expect(update.get_by_text("Waiting for the telematics sandbox")).to_have_count(0)
    _log_out(page)

    # The technical lead reads blockers and environments; no budget.
    login(page, live_server, "theo@northwind.example", TEST_PASSWORD)
    visit(page, f"{live_server.url}/client/projects/{project.pk}/")
    update = page.locator("article").first
    expect(update.get_by_text("Technical lead view")).to_be_visible()
    expect(update.get_by_text("Waiting for the telematics sandbox")).to_be_visible()
    expect(update.get_by_text("Continuous integration: not ready")).to_be_visible()
    expect(update.get_by_text("Budget")).to_have_count(0)
    screenshot(page, "progress-technical-lead-version")
