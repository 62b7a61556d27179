"""The proposal journey: from a qualified lead a CSM picks the top tier and sends the proposal; the contact accepts
through the emailed link; the CSM finds the new customer and project with the stakeholders invited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.customers.models import ClientInvite, Customer
from apps.education.models import EducationPlan
from apps.leads.models import Lead
from apps.projects.models import Project
from apps.tiers.models import Proposal
from tests.customers.factories import TEST_PASSWORD, UserFactory
from tests.e2e.conftest import follow, last_email_to, link_in, login, screenshot, visit
from tests.tiers.factories import scored_lead

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_qualified_lead_becomes_a_customer_with_a_project_through_an_accepted_proposal(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    lead = scored_lead(
        owner=csm,
        organization_name="Northwind Traders",
        contact_name="Nina North",
        contact_email="nina@northwind.example",
    )
    assert lead.status == Lead.Status.QUALIFIED
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, csm.email, TEST_PASSWORD)

    # The lead page shows the recommended tiers, best first; the CSM picks the top one.
    visit(page, f"{live_server.url}/leads/{lead.pk}/")
    panel = page.locator("#tier-panel")
    expect(panel.get_by_role("heading", name=re.compile("Startup MVP"))).to_contain_text("Best fit")
    expect(panel).to_contain_text("$111,000")
    follow(page, panel.get_by_role("link", name="Prepare a proposal for Startup MVP"))

    # The form starts from the quote and the contact; the CSM adds the technical lead.
    expect(page.get_by_label("Price (USD)")).to_have_value("111000.00")
    page.get_by_label("Scope notes").fill("Sign-up, dashboard and billing; native apps are out of scope.")
    page.get_by_label("Name (stakeholder 2)").fill("Tom Tech")
    page.get_by_label("Email (stakeholder 2)").fill("tom@northwind.example")
    page.get_by_label("Role (stakeholder 2)").select_option(label="Technical lead")
    page.get_by_label("Background (stakeholder 2)").select_option(label="Technical")
    follow(page, page.get_by_role("button", name="Save draft"))
    expect(page.get_by_text("Draft proposal v1 saved.")).to_be_visible()

    follow(page, page.get_by_role("button", name="Send to Nina North"))
    expect(page.get_by_text("Proposal v1 was emailed to nina@northwind.example.")).to_be_visible()
    proposal = Proposal.objects.get(lead=lead)
    assert proposal.status == Proposal.Status.SENT

    # The contact opens the emailed link without logging in, and accepts.
    follow(page, page.get_by_role("button", name="Log out"))
    link = link_in(last_email_to("nina@northwind.example").body)
    assert link.startswith(f"{live_server.url}/p/{proposal.pk}/")
    visit(page, link)
    expect(page.get_by_role("heading", name="Startup MVP", level=1)).to_be_visible()
    expect(page.get_by_text("Tom Tech")).to_be_visible()
    page.get_by_label("I am authorised to accept this proposal for my organisation").check()
    follow(page, page.get_by_role("button", name="Accept proposal"))
    expect(page.get_by_text("Thank you: the proposal is accepted.")).to_be_visible()

    # The CSM finds the new customer and its project, with both stakeholders invited.
    login(page, live_server, csm.email, TEST_PASSWORD)
    visit(page, f"{live_server.url}/tiers/proposals/{proposal.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Accepted by Nina North")
    expect(page.get_by_role("status")).to_contain_text("Startup MVP for Northwind Traders (kickoff pending)")
    follow(page, page.get_by_role("link", name="Northwind Traders").last)
    expect(page.get_by_role("heading", name="Northwind Traders", level=1)).to_be_visible()
    for name in ("Nina North", "Tom Tech"):
        expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("Invited")

    customer = Customer.objects.get(name="Northwind Traders")
    project = Project.objects.get(customer=customer)
    assert (project.status, project.tier_slug, project.price) == ("kickoff_pending", "startup-mvp", proposal.price)
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.WON
    assert ClientInvite.objects.filter(stakeholder__customer=customer).count() == 2
    assert EducationPlan.objects.filter(customer=customer).count() == 2
    assert "Invitation: How our delivery works" in last_email_to("tom@northwind.example").subject
    visit(page, f"{live_server.url}/education/customers/{customer.pk}/")
    expect(page.get_by_text("Tom Tech")).to_be_visible()
    screenshot(page, "proposal-journey-customer-education")
