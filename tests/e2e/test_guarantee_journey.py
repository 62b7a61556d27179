"""The weekly guarantee journey: the CSM records the team's evidence, an approver gives her approval and rating in
the client view (the score follows), the CSM records the other approver's emailed approval for him with a note,
and sends the week for sign-off; one approver signs it off, the other rejects it, and the CSM sees it reopened."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.guarantees.models import Milestone, SignOff
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import check_a11y, follow, login, screenshot, visit
from tests.guarantees.factories import make_guarantee

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def _log_out(page) -> None:
    follow(page, page.get_by_role("button", name="Log out"))


def _record(page, criterion: str, fill) -> None:
    """Open a criterion's evidence form in the panel (HTMX), fill it, save, and wait for the rescored week."""
    page.get_by_role("link", name=f"Record evidence for {criterion}").click()
    form = page.locator("#evidence-panel form")
    expect(form).to_be_visible()
    check_a11y(page)
    fill(form)
    form.get_by_role("button", name="Save evidence").click()
    expect(page.get_by_text(f"Evidence for {criterion} was recorded.")).to_be_visible()
    check_a11y(page)


def _record_for(page, criterion: str, fill) -> None:
    """The CSM records a stakeholder's answer on their behalf (a note says how it was given)."""
    page.get_by_role("link", name=f"Record an answer for a stakeholder for {criterion}").click()
    form = page.locator("#evidence-panel form")
    expect(form).to_be_visible()
    check_a11y(page)
    fill(form)
    form.get_by_role("button", name="Save evidence").click()
    expect(page.get_by_text(f"Evidence for {criterion} was recorded.")).to_be_visible()
    check_a11y(page)


def _answer(page, criterion: str, fill) -> None:
    """A stakeholder gives their own answer in the client view's panel (HTMX) and sees the week rescored."""
    page.get_by_role("link", name=f"Give your input on {criterion}").click()
    form = page.locator("#evidence-panel form")
    expect(form).to_be_visible()
    check_a11y(page)
    fill(form)
    form.get_by_role("button", name="Send").click()
    expect(page.get_by_text(f"Thank you: your input on {criterion} was recorded.")).to_be_visible()
    check_a11y(page)


def test_a_week_is_evidenced_signed_off_by_one_approver_and_reopened_by_another(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    company = CustomerFactory(name="Northwind Robotics", owner=csm)
    alice = StakeholderFactory(
        customer=company, name="Alice Approver", email="alice@northwind.example", executive=True, with_login=True
    )
    bruno = StakeholderFactory(
        customer=company, name="Bruno Builder", email="bruno@northwind.example", is_approver=True, with_login=True
    )
    guarantee = make_guarantee(customer=company, actor=csm, name="Northwind Fleet Console")
    week1 = guarantee.milestones.get(week=1)

    # The CSM records the evidence the team produces, one HTMX form per validation method.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/guarantees/{guarantee.pk}/")
    follow(page, page.get_by_role("link", name="Open week 1"))
    _record(
        page,
        "System architecture designed",
        lambda f: (f.get_by_label("Reviewer").fill("Priya Raman"), f.get_by_label("Review score").fill("9")),
    )
    _record(
        page,
        "Development environment set up",
        lambda f: f.get_by_label("Checks").fill(
            "CI pipeline = pass\nStaging deploy = pass\nSecrets vault = pass\nMonitoring = fail"
        ),
    )
    _log_out(page)

    # The customer's voice comes from the customer: Alice gives her own approval and rating in the client view.
    login(page, live_server, alice.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/client/guarantees/milestones/{week1.pk}/")
    _answer(page, "Requirements analysis complete", lambda f: f.get_by_label("Yes").check())
    approvals = page.get_by_role("row", name=re.compile("Requirements analysis complete"))
    expect(approvals).to_contain_text("Alice Approver: Approved")
    expect(approvals).to_contain_text("1 of 2 required approvers approved: 50.0.")
    _answer(
        page,
        "Team communication established",
        lambda f: f.get_by_label("Your rating (1 = poor, 10 = excellent)").select_option("9"),
    )
    screenshot(page, "guarantee-client-answers")
    _log_out(page)

    # Bruno approved by email: the CSM records it for him, with a note, and it says so.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/guarantees/milestones/{week1.pk}/")

    def bruno_approves(form) -> None:
        form.get_by_label("Stakeholder").select_option(label="Bruno Builder")
        form.get_by_label("Yes").check()
        form.get_by_label("How they gave it (note)").fill("Approved by email on Monday")

    _record_for(page, "Requirements analysis complete", bruno_approves)
    approvals = page.get_by_role("row", name=re.compile("Requirements analysis complete"))
    expect(approvals).to_contain_text("recorded by Casey Manager for Bruno Builder")
    expect(approvals).to_contain_text("2 of 2 required approvers approved: 100.0.")

    def bruno_rates(form) -> None:
        form.get_by_label("Stakeholder").select_option(label="Bruno Builder")
        form.get_by_label("Your rating (1 = poor, 10 = excellent)").select_option("8")
        form.get_by_label("How they gave it (note)").fill("Rated 8 in the retrospective")

    _record_for(page, "Team communication established", bruno_rates)
    # 0.3 x 100 + 0.4 x 90 + 0.2 x 75 + 0.1 x 85 = 89.5: at or above the pass threshold of 85.
    expect(page.locator("#milestone-body")).to_contain_text("Scored 89.5, at or above the pass threshold 85.0")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, page.get_by_role("button", name="Validate and send for sign-off"))
    expect(page.get_by_text("Week 1 was sent to the approvers for sign-off.")).to_be_visible()
    visit(page, f"{live_server.url}/guarantees/{guarantee.pk}/")
    screenshot(page, "guarantee-staff")
    _log_out(page)

    # The first approver reviews the week in the client view and signs it off.
    login(page, live_server, alice.email, TEST_PASSWORD)
    follow(page, page.get_by_role("link", name="Northwind Fleet Console"))
    expect(page.get_by_role("heading", name=re.compile("your 30-day success guarantee"))).to_be_visible()
    screenshot(page, "guarantee-client")
    follow(page, page.get_by_role("link", name="Open week 1"))
    expect(page.get_by_role("row", name=re.compile("System architecture designed"))).to_contain_text("90.0")
    page.get_by_label("Approve this week").check()
    page.get_by_label("Comment or reason").fill("Architecture and environments are what we agreed.")
    follow(page, page.get_by_role("button", name="Record my decision"))
    expect(page.get_by_text("Thank you: week 1 is approved.")).to_be_visible()
    _log_out(page)

    # The second approver rejects it: a reason is required, and the rejection reopens the week.
    login(page, live_server, bruno.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/client/guarantees/milestones/{week1.pk}/")
    page.get_by_label("Reject: reopen it").check()
    follow(page, page.get_by_role("button", name="Record my decision"))
    expect(page.get_by_text("Say why you reject it, so the team knows what to fix.")).to_be_visible()
    page.get_by_label("Reject: reopen it").check()
    page.get_by_label("Comment or reason").fill("Monitoring is still failing; we need it before sign-off.")
    follow(page, page.get_by_role("button", name="Record my decision"))
    expect(page.get_by_text("Thank you: week 1 is rejected and reopened.")).to_be_visible()
    _log_out(page)

    # The CSM sees the week reopened, in a new round, with the reason.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/guarantees/milestones/{week1.pk}/")
    expect(page.locator("#milestone-body")).to_contain_text("round 2")
    expect(page.get_by_role("status")).to_contain_text("Reopened: Bruno Builder rejected round 1")
    expect(page.get_by_role("button", name="Validate and send for sign-off")).to_be_visible()
    record = page.get_by_role("table", name=re.compile("Sign-off record"))
    expect(record.get_by_role("row", name=re.compile("Bruno Builder"))).to_contain_text("Monitoring is still failing")
    expect(record.get_by_role("row", name=re.compile("Alice Approver"))).to_contain_text("Approved")
    screenshot(page, "guarantee-week-reopened")

    week1.refresh_from_db()
    assert (week1.review, week1.round) == (Milestone.Review.OPEN, 2)
    assert list(SignOff.objects.order_by("pk").values_list("decision", flat=True)) == ["approved", "rejected"]


def test_a_csm_runs_the_kickoff_and_the_phases_complete_once_the_environments_are_ready(page, live_server):
    from apps.projects.models import Project
    from tests.projects.factories import make_project

    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    company = CustomerFactory(name="Northwind Robotics", owner=csm)
    StakeholderFactory(
        customer=company, name="Alice Approver", email="alice@northwind.example", executive=True, with_login=True
    )
    project = make_project(customer=company, actor=csm, name="Northwind Fleet Console")

    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/projects/")
    follow(page, page.get_by_role("link", name="Northwind Fleet Console"))
    page.get_by_label("Daily stand-up time").fill("09:45")
    follow(page, page.get_by_role("button", name="Run the kickoff"))
    phases = page.locator(".kickoff-phases")
    expect(phases.get_by_role("listitem").filter(has_text="Team assembly")).to_contain_text("7.5 full-time")
    expect(phases.get_by_role("listitem").filter(has_text="Environment provisioning")).to_contain_text(
        "Waiting for: Repository, Continuous integration, Development, Staging, Production."
    )
    for label in ("Repository", "Continuous integration", "Development", "Staging", "Production"):
        page.get_by_role("button", name=re.compile(rf"^Mark ready\W*{label}$")).click()
        expect(page.get_by_text(f"{label} marked ready.")).to_be_visible()
    # The last environment resumes the kickoff; the page (polling while it runs) shows every phase done.
    expect(phases.get_by_role("listitem").filter(has_text="Launch")).to_contain_text("stand-up daily at 09:45")
    expect(page.get_by_role("link", name="Open the 30-day guarantee")).to_be_visible()
    check_a11y(page)
    screenshot(page, "kickoff-complete")
    assert Project.objects.get(pk=project.pk).status == Project.Status.ACTIVE
