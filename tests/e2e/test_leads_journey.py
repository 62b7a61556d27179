"""The lead journey: a CSM enters a lead through the form (a bad field is caught as they leave it), watches it
score, reads the breakdown, and overrides the stop with a written reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.audit.models import AuditEvent
from apps.leads import services
from apps.leads.models import Lead
from tests.customers.factories import TEST_PASSWORD, UserFactory
from tests.e2e.conftest import follow, login, screenshot, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_csm_enters_a_lead_watches_it_score_and_overrides_the_stop(page, live_server, monkeypatch):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    # No worker here: the scoring task is held back, as if the queue were busy, and run below like a worker would.
    monkeypatch.setattr(services, "enqueue_scoring", lambda lead: None)
    page.on("dialog", lambda dialog: dialog.accept())

    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/leads/")
    follow(page, page.get_by_role("link", name="Add a lead"))
    page.get_by_label("Organization name").fill("Northwind Traders")
    page.get_by_label("Contact name").fill("Nina North")
    page.get_by_label("Contact email").fill("nina@northwind.example")
    page.get_by_label("Service type").select_option("mvp_development")
    # A zero-week timeline is refused as soon as the field is left, before anything is submitted.
    page.get_by_label(re.compile("^Requested timeline")).fill("0")
    page.keyboard.press("Tab")
    page.get_by_label("Complexity").select_option("medium")
    expect(page.locator("#field-timeline_weeks .invalid-feedback")).to_contain_text("greater than or equal to 1")
    page.get_by_label(re.compile("^Requested timeline")).fill("12")
    page.keyboard.press("Tab")
    expect(page.locator("#field-timeline_weeks .invalid-feedback")).to_have_count(0)
    page.get_by_label("Budget (USD)").fill("40000")
    page.get_by_label("Their own developers").fill("2")
    page.get_by_label("Business criticality").select_option("high")
    page.get_by_label("Requirements", exact=True).fill("Customer portal\nOrder tracking\nInvoices")
    page.get_by_label("Requirements clarity").select_option("somewhat_clear")
    page.get_by_label("Stakeholder alignment").select_option("fair")
    page.get_by_label("Communication structure").select_option("good")
    check_field_kept = page.get_by_label("Organization name")
    expect(check_field_kept).to_have_value("Northwind Traders")
    follow(page, page.get_by_role("button", name="Add and score"))

    # The page shows scoring in progress and polls; when the worker's result lands, HTMX swaps it in.
    expect(page.get_by_text("Scoring this lead…")).to_be_visible()
    lead = Lead.objects.get(organization_name="Northwind Traders")
    services.score_lead(lead_id=lead.pk)
    expect(page.get_by_role("heading", name="Every criterion")).to_be_visible(timeout=8000)

    # The breakdown, in one screen: level, dimensions, every criterion, fit, feasibility, probability, next steps.
    # team of 2: 12 + somewhat clear: 15 + fair alignment: 7.5 + good communication: 8 = 42.5 of 260 points
    expect(page.locator("#q-title + .score-headline")).to_have_text("16.3")
    expect(page.get_by_role("heading", name=re.compile("This lead is stopped: unqualified"))).to_be_visible()
    criteria = page.locator(".criteria-table")
    expect(criteria.get_by_role("row", name=re.compile("Clear requirements"))).to_contain_text("Somewhat clear")
    expect(criteria.get_by_role("row", name=re.compile("Existing codebase"))).to_contain_text("Not answered")
    expect(page.get_by_role("heading", name="Fit per service type")).to_be_visible()
    expect(page.get_by_role("heading", name="Where the success probability comes from")).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    expect(page.get_by_text("Education resources")).to_be_visible()

    # Overriding needs a written reason; a short one comes back with the reason kept and the problem named.
    page.get_by_label("Why should this lead go on?").fill("Too short")
    follow(page, page.get_by_role("button", name="Override the stop"))
    expect(page.get_by_text("Ensure this value has at least 10 characters")).to_be_visible()
    expect(page.get_by_label("Why should this lead go on?")).to_have_value("Too short")
    reason = "The CFO confirmed the budget and a sponsor in writing today."
    page.get_by_label("Why should this lead go on?").fill(reason)
    follow(page, page.get_by_role("button", name="Override the stop"))
    expect(page.get_by_text("The stop was overridden; your reason is recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Stop overridden"))).to_be_visible()
    expect(page.get_by_text(reason)).to_be_visible()
    screenshot(page, "leads-journey")

    # The list shows it overridden, and filters narrow it down by HTMX.
    visit(page, f"{live_server.url}/leads/")
    expect(page.get_by_role("row", name=re.compile("Northwind Traders"))).to_contain_text("Overridden")
    page.get_by_label("Status").select_option("qualified")
    expect(page.get_by_text("No leads match.")).to_be_visible()

    lead.refresh_from_db()
    assert not lead.is_stopped
    assert lead.overridden_by == csm
    assert AuditEvent.objects.filter(action="lead.stop_overridden", data__reason=reason).exists()
