"""The webhook journey: a CSM registers a customer's endpoint (secret shown once), an update is delivered to a real
receiver, the delivery log shows it, and "Send again" sends it once more; pages fit a 390 px phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from standardwebhooks import Webhook

from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import follow, login, screenshot, visit
from tests.notifications.receiver import running_receiver
from tests.projects.factories import make_project

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-responsive'))
  .map(e => e.tagName + '.' + e.className).slice(0, 8)"""


def _fits_a_phone(page) -> None:
    """The page never scrolls sideways at 390 px; names what sticks out if it does."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, page.evaluate(WIDE)


def test_a_csm_registers_an_endpoint_and_resends_a_delivery(page, live_server, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    company = CustomerFactory(name="Northwind Robotics", owner=csm)
    StakeholderFactory(customer=company, name="Erin Executive", email="erin@northwind.example", executive=True)
    project = make_project(
        customer=company, actor=csm, name="Fleet Console", accepted_at=timezone.now() - timedelta(days=7)
    )
    page.set_viewport_size({"width": 390, "height": 844})

    with running_receiver() as receiver:
        login(page, live_server, csm.email, TEST_PASSWORD)
        visit(page, f"{live_server.url}/customers/{company.pk}/")
        follow(page, page.get_by_role("link", name="Register an endpoint"))
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("Description").fill("Northwind ERP")
        page.get_by_label("A progress update was posted").check()
        follow(page, page.get_by_role("button", name="Register"))
        expect(page.get_by_text("it is shown only once")).to_be_visible()
        secret = page.get_by_label("Signing secret").input_value()
        assert secret.startswith("whsec_")
        _fits_a_phone(page)

        visit(page, f"{live_server.url}/projects/{project.pk}/")
        page.get_by_label("Overall progress (%)").fill("30")
        page.get_by_label("Risk level").select_option("low")
        follow(page, page.get_by_role("button", name="Post the update"))
        _fits_a_phone(page)

        visit(page, f"{live_server.url}/customers/{company.pk}/")
        follow(page, page.get_by_role("link", name=receiver.url))
        expect(page.get_by_text("HTTP 200")).to_be_visible()
        _fits_a_phone(page)
        follow(page, page.get_by_role("button", name="Send again"))
        expect(page.get_by_text("Queued to be sent again, with the same webhook-id.")).to_be_visible()
        screenshot(page, "webhook-endpoint-log")

    first, again = receiver.requests
    assert Webhook(secret).verify(first.body, first.headers)["type"] == "progress_update.created"
    assert again.headers["webhook-id"] == first.headers["webhook-id"]
    assert Webhook(secret).verify(again.body, again.headers)["data"]["percent_complete"] == "30.0"
