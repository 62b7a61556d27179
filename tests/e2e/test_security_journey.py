"""Security behaviour that lives in the browser: background polls say so, so they do not keep a session alive."""

from __future__ import annotations

import pytest

from tests.customers.factories import TEST_PASSWORD, UserFactory
from tests.e2e.conftest import login, screenshot, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_bell_polls_as_a_background_request_and_a_click_does_not(page, live_server):
    csm = UserFactory(email="casey@portal.example")
    login(page, live_server, csm.email, TEST_PASSWORD)

    with page.expect_request(lambda request: "/notifications/bell/" in request.url) as bell:
        visit(page, live_server.url + "/customers/")
    with page.expect_request(lambda request: request.url.endswith("/customers/")) as click:
        page.get_by_role("link", name="Customers").first.click()
    page.wait_for_load_state("load")

    assert bell.value.headers.get("x-background-poll") == "true"
    assert "x-background-poll" not in click.value.headers
    screenshot(page, "security-bell-poll")
