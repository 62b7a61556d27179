"""A stakeholder answers a survey as a detractor through the emailed signed link (no login); the CSM logs in, sees
the follow-up in My work, the customer's health fall with the satisfaction part explained, and starts the playbook
the new strategy suggests. Screenshots: My work, the health section, the started playbook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.retention.health import compute_health
from apps.retention.models import HealthScore, HealthSnapshot, PlaybookRun
from apps.retention.surveys import answer_survey
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import ARTIFACTS_DIR, check_a11y, follow, last_email_to, link_in, login, screenshot, visit
from tests.retention.factories import ReviewFactory, TouchpointFactory, make_survey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_detractor_by_link_lowers_health_and_the_csm_starts_the_suggested_playbook(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    customer = CustomerFactory(name="Kestrel Labs", owner=csm)
    happy = StakeholderFactory(customer=customer, name="Hana Happy", email="hana@kestrel.example")
    StakeholderFactory(customer=customer, name="Dev Detractor", email="dev@kestrel.example", executive=True)
    ReviewFactory(customer=customer, sentiment=9, roi_achieved=90, business_impact=90, goals_met=90)
    TouchpointFactory(customer=customer)
    answer_survey(invitation=make_survey(customer, [happy]).invitations.get(), nps=10, csat=10, via="link")
    compute_health([customer.pk])
    before = HealthScore.objects.get(customer=customer).score
    HealthSnapshot.objects.create(customer=customer, day=timezone.localdate() - timedelta(days=30), score=before)
    make_survey(customer, [customer.stakeholders.get(name="Dev Detractor")])

    # The stakeholder answers through the emailed link, without logging in.
    visit(page, link_in(last_email_to("dev@kestrel.example").body))
    expect(page.get_by_role("heading", name="How are we doing, Dev Detractor?")).to_be_visible()
    page.locator("input[name=nps][value='1']").check()
    page.locator("input[name=csat][value='2']").check()
    page.get_by_label("Anything you want to add?").fill("Nobody answers our tickets.")
    follow(page, page.get_by_role("button", name="Send my answer"))
    expect(page.get_by_role("heading", name="Thank you, Dev Detractor")).to_be_visible()

    # The CSM logs in and finds the follow-up in My work.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/")
    follow_ups = page.locator("#follow_ups")
    expect(follow_ups.get_by_role("link", name="Follow up Dev Detractor's NPS 1 at Kestrel Labs")).to_be_visible()
    screenshot(page, "playbooks-my-work-follow-up")

    # The customer page: health fell, the satisfaction part says why.
    follow(page, follow_ups.get_by_role("link", name="Follow up Dev Detractor's NPS 1 at Kestrel Labs"))
    health_row = HealthScore.objects.get(customer=customer)
    assert health_row.score < before
    health = page.locator("#health")
    expect(health.locator(".health-number")).to_have_text(f"{health_row.score}")
    expect(health.get_by_text("▼ down")).to_be_visible()
    expect(health.get_by_text("NPS 0 from 2 answer(s), mapped (NPS + 100) / 2.")).to_be_visible()
    expect(health.get_by_text("Latest NPS answer 1 (a detractor).")).to_be_visible()
    health.scroll_into_view_if_needed()
    screenshot(page, "playbooks-customer-page-after-detractor")
    health.screenshot(path=str(ARTIFACTS_DIR / "playbooks-health-section.png"))

    # Start the playbook the new strategy suggests, confirming the dialog.
    strategy = health_row.get_strategy_display()
    follow(page, page.locator("#playbooks").get_by_role("link", name="Start a playbook"))
    suggested = page.locator(".card", has=page.get_by_text("Suggested"))
    expect(suggested.locator("label")).to_have_text(strategy)
    expect(suggested.get_by_role("radio")).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, page.get_by_role("button", name="Start the playbook"))
    expect(page.get_by_text(f"The {strategy} playbook started")).to_be_visible()
    run = PlaybookRun.objects.get(customer=customer, started_by=csm)
    section = page.locator("#playbooks")
    for task in run.tasks.all():
        expect(section.get_by_text(task.title, exact=True)).to_be_visible()
    section.scroll_into_view_if_needed()
    check_a11y(page)
    screenshot(page, "playbooks-started")
