"""The claim journey: a guarantee ended below its threshold; the customer's executive opens a refund claim in the
client view, a finance user approves it and records the transfer, and the customer sees the claim paid."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.services import grant_finance
from apps.audit.models import AuditEvent
from apps.outcomes.models import Claim, Payout
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import follow, login, screenshot, visit
from tests.outcomes.factories import failed_guarantee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_executive_claims_a_refund_finance_pays_it_once_and_the_customer_sees_it_paid(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    finance = UserFactory(email="fiona@portal.example", full_name="Fiona Finance")
    grant_finance(user=finance)
    acme = CustomerFactory(name="Acme Robotics", owner=csm)
    alice = StakeholderFactory(
        customer=acme, name="Alice Carter", email="alice@acme.example", executive=True, with_login=True
    )
    guarantee = failed_guarantee(customer=acme, name="Fleet Portal")
    page.on("dialog", lambda dialog: dialog.accept())

    # The executive finds the outcome in the client view and opens a refund claim.
    login(page, live_server, alice.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/client/outcomes/")
    follow(page, page.get_by_role("link", name="Fleet Portal"))
    expect(page.get_by_role("heading", name=re.compile("Final validation"))).to_contain_text("Claim eligible")
    follow(page, page.get_by_role("link", name="Open a claim"))
    page.get_by_label(re.compile("Full refund of the guarantee amount")).check()
    page.get_by_label("What went wrong (optional)").fill("Test coverage never reached the agreed 95%.")
    follow(page, page.get_by_role("button", name="Open the claim"))
    expect(page.get_by_text(re.compile(r"Claim #\d+ was opened"))).to_be_visible()
    expect(page.locator("#claim-body")).to_contain_text("Opened")
    claim = Claim.objects.get()
    follow(page, page.get_by_role("button", name="Log out"))

    # Finance approves the refund and records the transfer; the settlement runs as a task after the commit.
    login(page, live_server, finance.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/outcomes/")
    follow(page, page.get_by_role("link", name=f"#{claim.pk}"))
    follow(page, page.get_by_role("button", name="Approve the refund"))
    expect(page.get_by_text("Claim approved.")).to_be_visible()
    expect(page.locator("#payout-title")).to_be_visible()
    page.get_by_label("Transfer reference").fill("TRF-2026-0042")
    expect(page.get_by_label("Amount paid (USD)")).to_have_value(str(guarantee.amount))
    follow(page, page.get_by_role("button", name="Record the payout"))
    expect(page.get_by_text("Payout recorded.")).to_be_visible()
    expect(page.locator("#claim-body .badge").first).to_have_text("Paid")
    payout = Payout.objects.get()
    assert (payout.status, payout.reference, payout.amount) == (Payout.Status.PAID, "TRF-2026-0042", guarantee.amount)
    follow(page, page.get_by_role("button", name="Log out"))

    # The customer sees the claim paid, with the transfer reference.
    login(page, live_server, alice.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/client/outcomes/claims/{claim.pk}/")
    expect(page.locator("#claim-body .badge")).to_have_text("Paid")
    expect(page.get_by_text(re.compile("transfer reference TRF-2026-0042"))).to_be_visible()
    assert Payout.objects.count() == 1
    assert AuditEvent.objects.filter(action="payout.paid").count() == 1
    screenshot(page, "claim-refund-paid-client-view")


def test_a_csm_reads_the_success_document_and_finance_checks_the_ledger(page, live_server):
    from decimal import Decimal

    from tests.outcomes.factories import succeeded_guarantee

    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    finance = UserFactory(email="fiona@portal.example", full_name="Fiona Finance")
    grant_finance(user=finance)
    acme = CustomerFactory(name="Acme Robotics", owner=csm)
    StakeholderFactory(customer=acme, name="Alice Carter", email="alice@acme.example", executive=True, with_login=True)
    guarantee = succeeded_guarantee(customer=acme, name="Fleet Telemetry", guarantee_amount=Decimal("120000"))
    failed_guarantee(customer=acme, name="Warehouse API", guarantee_amount=Decimal("90000"))

    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/outcomes/")
    follow(page, page.get_by_role("link", name="Fleet Telemetry"))
    follow(page, page.get_by_role("link", name="Open the success document"))
    expect(page.get_by_role("heading", name="Achievements beyond target")).to_be_visible()
    page.get_by_role("textbox", name="Business impact").fill(
        "Fleet status reaches the control room in 2 seconds, not 15 minutes."
    )
    follow(page, page.get_by_role("button", name="Save the business impact"))
    expect(page.get_by_text("Business impact saved.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Print view"))
    expect(page.locator(".success-doc")).to_contain_text("2 seconds, not 15 minutes")
    page.emulate_media(media="print")
    screenshot(page, "outcomes-success-document-print")
    page.emulate_media(media="screen")
    visit(page, f"{live_server.url}/outcomes/case-studies/")
    expect(page.get_by_role("link", name="Fleet Telemetry")).to_be_visible()
    follow(page, page.get_by_role("link", name="Fleet Telemetry"))
    expect(page.locator(".success-doc")).to_contain_text("Case-study candidate")
    follow(page, page.get_by_role("button", name="Log out"))

    login(page, live_server, finance.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/outcomes/ledger/")
    totals = page.locator(".ledger-totals")
    expect(totals).to_contain_text("$210,000")  # guaranteed: 120,000 + 90,000
    expect(totals).to_contain_text("$90,000")  # at stake: the claim-eligible one
    page.get_by_label("Guarantee status").select_option(label="Claim eligible")
    expect(page.locator("#ledger-table tbody tr")).to_have_count(1)
    screenshot(page, "outcomes-ledger")
    assert guarantee.success_document.case_study_candidate
