"""A CSM adds an expansion opportunity on the customer's page, moves it along the board (HTMX swaps), marks it won
with a mistake first, and sees it in the won column; the expansion revenue KPI then counts it."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.retention.models import Opportunity
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, UserFactory
from tests.dashboard import factories as f
from tests.e2e.conftest import check_a11y, follow, login, screenshot, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_csm_moves_an_opportunity_across_the_board_and_wins_it(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    customer = CustomerFactory(name="Kestrel Labs", owner=csm)
    f.project(customer, name="Kestrel MVP")

    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/customers/{customer.pk}/")
    follow(page, page.get_by_role("link", name="Add an opportunity"))
    page.get_by_label("Type").select_option(label="Team augmentation")
    follow(page, page.get_by_role("button", name="Add the opportunity"))
    expect(page.get_by_text("Opportunity added.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Opportunities board"))

    card = page.locator(f"#opportunity-{Opportunity.objects.get().pk}")
    expect(page.locator("#column-identified").locator("xpath=..").get_by_text("Kestrel Labs")).to_be_visible()
    card.get_by_role("button", name="Move Team augmentation for Kestrel Labs to Qualified").click()
    qualified = page.locator("#column-qualified").locator("xpath=..")
    expect(qualified.get_by_text("Kestrel Labs")).to_be_visible()
    card.get_by_role("button", name="Move Team augmentation for Kestrel Labs to Proposal").click()
    expect(page.locator("#column-proposal").locator("xpath=..").get_by_text("Kestrel Labs")).to_be_visible()
    check_a11y(page)

    card.get_by_role("link", name="Mark Team augmentation for Kestrel Labs won").click()
    expect(card.get_by_label("Signed value (USD)")).to_be_visible()  # the form, swapped into the card
    card.get_by_label("Signed value (USD)").fill("0")
    card.get_by_role("button", name="Mark won").click()
    expect(card.get_by_text("Ensure this value is greater than or equal to 0.01.")).to_be_visible()
    check_a11y(page)
    card.get_by_label("Signed value (USD)").fill("96000")
    card.get_by_label("Signed on").fill(timezone.localdate().isoformat())
    card.get_by_role("button", name="Mark won").click()
    won = page.locator("#column-won").locator("xpath=..")
    expect(won.get_by_text("$96,000 on")).to_be_visible()
    check_a11y(page)
    assert Opportunity.objects.get().stage == "won"
    screenshot(page, "expansion-board-won")
