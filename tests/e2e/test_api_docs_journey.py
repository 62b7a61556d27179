"""An admin opens the API documentation: Swagger UI loads from the portal under its own CSP, with no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.customers.factories import TEST_PASSWORD, UserFactory
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_admin_reads_the_api_documentation(page, live_server):
    admin = UserFactory(email="ada@portal.example", admin=True)
    login(page, live_server, admin.email, TEST_PASSWORD)

    # Swagger UI's own markup is not ours to fix, so no axe check here; the console check (CSP included) still runs.
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_load_state("load")

    expect(page.get_by_role("heading", name="Customer Success Portal API")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("/api/v1/leads").first).to_be_visible()
    screenshot(page, "api-docs")
