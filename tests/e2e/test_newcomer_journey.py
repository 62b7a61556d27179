"""What a newcomer tripped over, walked in a browser: the client home asks for the sign-off first, and the milestone
pages of both faces fit a 390 px phone without scrolling sideways, with the navigation behind a menu button."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from apps.guarantees.signoff import submit_for_sign_off
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import follow, login, screenshot, visit
from tests.guarantees.factories import give_evidence, make_guarantee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _week_awaiting_sign_off():
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    company = CustomerFactory(name="Northwind Robotics", owner=csm)
    alice = StakeholderFactory(
        customer=company, name="Alice Approver", email="alice@northwind.example", executive=True, with_login=True
    )
    guarantee = make_guarantee(customer=company, actor=csm, name="Northwind Fleet Console")
    week1 = guarantee.milestones.get(week=1)
    with transaction.atomic():
        give_evidence(week1, 100)
    week1.refresh_from_db()
    return csm, alice, submit_for_sign_off(actor=csm, milestone=week1)


def _assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def _log_out(page) -> None:
    menu = page.locator("details.nav-menu")
    if menu.is_visible() and not menu.evaluate("(el) => el.open"):
        menu.locator("summary").click()
    follow(page, page.get_by_role("button", name="Log out"))


def test_the_client_home_asks_for_the_sign_off_first_and_leads_to_the_week(page, live_server):
    _, alice, week1 = _week_awaiting_sign_off()

    login(page, live_server, alice.email, TEST_PASSWORD)
    call = page.get_by_role("region", name="A week awaits your sign-off")
    expect(call).to_be_visible()
    expect(call).to_contain_text(f"Due {week1.due_date:%a} {week1.due_date.day} {week1.due_date:%b %Y}")
    follow(page, call.get_by_role("link", name="Review week 1 and sign off"))
    expect(page.get_by_role("button", name="Record my decision")).to_be_visible()
    screenshot(page, "newcomer-client-sign-off-call")


def test_the_milestone_pages_of_both_faces_fit_a_phone(page, live_server):
    csm, alice, week1 = _week_awaiting_sign_off()
    page.set_viewport_size(PHONE)

    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/guarantees/milestones/{week1.pk}/")
    _assert_no_sideways_scroll(page)
    # The navigation sits behind a menu button on a phone, and opens on a tap.
    expect(page.get_by_role("link", name="Leads")).to_be_hidden()
    page.locator("details.nav-menu summary").click()
    expect(page.get_by_role("link", name="Leads")).to_be_visible()
    _assert_no_sideways_scroll(page)
    screenshot(page, "newcomer-staff-milestone-390")
    visit(page, f"{live_server.url}/guarantees/{week1.guarantee_id}/")
    _assert_no_sideways_scroll(page)
    _log_out(page)

    login(page, live_server, alice.email, TEST_PASSWORD)
    _assert_no_sideways_scroll(page)
    follow(page, page.get_by_role("link", name=re.compile("Review week 1")))
    _assert_no_sideways_scroll(page)
    screenshot(page, "newcomer-client-milestone-390")
    visit(page, f"{live_server.url}/client/guarantees/{week1.guarantee_id}/")
    _assert_no_sideways_scroll(page)


def test_the_lead_forms_live_checks_and_the_kickoff_swaps_log_no_csp_error(page, live_server):
    from tests.projects.factories import make_project

    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    company = CustomerFactory(name="Northwind Robotics", owner=csm)
    StakeholderFactory(customer=company, name="Alice Approver", executive=True, with_login=True)
    project = make_project(customer=company, actor=csm, name="Northwind Dispatch")
    login(page, live_server, csm.email, TEST_PASSWORD)
    # Styles set on the page at run time (by the browser, an extension or a script's CSSOM) must never be copied onto
    # swapped-in markup as a style attribute: the CSP refuses that, and the console shows the error.
    restyle = "(sel) => document.querySelectorAll(sel).forEach((el) => { el.style.outline = '1px solid red'; })"

    # A live check swaps the field in place.
    visit(page, f"{live_server.url}/leads/new/")
    page.evaluate(restyle, "[id^=field-], [id^=field-] [id]")
    page.get_by_label(re.compile("^Requested timeline")).fill("0")
    page.keyboard.press("Tab")
    expect(page.locator("#field-timeline_weeks .invalid-feedback")).to_contain_text("greater than or equal to 1")
    page.evaluate(restyle, "[id^=field-], [id^=field-] [id]")
    page.get_by_label(re.compile("^Requested timeline")).fill("12")
    page.keyboard.press("Tab")
    expect(page.locator("#field-timeline_weeks .invalid-feedback")).to_have_count(0)

    # The kickoff region is swapped as a whole (polling, or a checklist tick as here).
    visit(page, f"{live_server.url}/projects/{project.pk}/")
    page.get_by_label("Daily stand-up time").fill("09:45")
    follow(page, page.get_by_role("button", name="Run the kickoff"))
    page.evaluate(restyle, "#kickoff, #kickoff [id]")
    page.get_by_role("button", name=re.compile(r"^Mark ready\W*Repository$")).click()
    expect(page.get_by_text("Repository marked ready.")).to_be_visible()
