"""A stakeholder answers a survey as a detractor through the emailed link; the CSM sees the follow-up task and the
customer's health fall, with the satisfaction part explained."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.retention.health import compute_health
from apps.retention.models import HealthScore, HealthSnapshot
from apps.retention.surveys import answer_survey
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import follow, last_email_to, link_in, login, screenshot, visit
from tests.retention.factories import ReviewFactory, make_survey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_detractor_answer_by_link_opens_a_follow_up_and_lowers_health(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    customer = CustomerFactory(name="Kestrel Labs", owner=csm)
    happy = StakeholderFactory(customer=customer, name="Hana Happy", email="hana@kestrel.example")
    StakeholderFactory(customer=customer, name="Dev Detractor", email="dev@kestrel.example", executive=True)
    ReviewFactory(customer=customer, sentiment=8, roi_achieved=80, business_impact=80, goals_met=80)
    first = make_survey(customer, [happy])
    answer_survey(invitation=first.invitations.get(), nps=10, csat=9, via="link")
    compute_health([customer.pk])
    before = HealthScore.objects.get(customer=customer).score
    HealthSnapshot.objects.create(customer=customer, day=timezone.localdate() - timedelta(days=30), score=before)

    # The CSM sends the survey from the customer page.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/customers/{customer.pk}/")
    follow(page, page.get_by_role("link", name="Send a survey"))
    page.get_by_label("Dev Detractor").check()
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, page.get_by_role("button", name="Send the survey"))
    expect(page.get_by_text("Survey sent to 1 stakeholder(s).")).to_be_visible()
    page.context.clear_cookies()  # the stakeholder opens the link in their own mail client: no login

    # The stakeholder answers through the emailed link, without logging in.
    visit(page, link_in(last_email_to("dev@kestrel.example").body))
    expect(page.get_by_role("heading", name="How are we doing, Dev Detractor?")).to_be_visible()
    page.locator("input[name=nps][value='2']").check()
    page.locator("input[name=csat][value='3']").check()
    page.get_by_label("Anything you want to add?").fill("Releases keep slipping.")
    follow(page, page.get_by_role("button", name="Send my answer"))
    expect(page.get_by_role("heading", name="Thank you, Dev Detractor")).to_be_visible()
    link = link_in(last_email_to("dev@kestrel.example").body)
    visit(page, link)  # the same link a second time: a clear page, nothing changes
    expect(page.get_by_role("heading", name="You have already answered this survey")).to_be_visible()

    # The CSM sees the follow-up task and the health fall, the satisfaction part explained.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/customers/{customer.pk}/")
    expect(page.locator("#tasks").get_by_text("Follow up Dev Detractor's NPS 2 at Kestrel Labs")).to_be_visible()
    after = HealthScore.objects.get(customer=customer).score
    assert after < before
    health = page.locator("#health")
    expect(health.locator(".health-number")).to_have_text(f"{after}")
    expect(health.get_by_text("▼ down")).to_be_visible()
    expect(health.get_by_text("NPS 0 from 2 answer(s), mapped (NPS + 100) / 2.")).to_be_visible()
    expect(health.get_by_text("Latest NPS answer 2 (a detractor).")).to_be_visible()
    assert after == before + HealthScore.objects.get(customer=customer).trend_30d
    assert Decimal(after) < Decimal(before)
    visit(page, f"{live_server.url}/retention/tasks/")
    expect(page.get_by_text("Follow up Dev Detractor's NPS 2 at Kestrel Labs")).to_be_visible()
    screenshot(page, "retention-detractor-follow-up")
    visit(page, f"{live_server.url}/customers/{customer.pk}/")
    page.locator("#health").scroll_into_view_if_needed()
    screenshot(page, "retention-health-after-detractor")
