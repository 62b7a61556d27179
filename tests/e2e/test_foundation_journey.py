"""The foundation journeys: a CSM brings a customer in and invites a stakeholder; the stakeholder accepts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.customers.models import ClientInvite, Customer, Stakeholder
from apps.customers.services import invite_stakeholder
from tests.customers.factories import TEST_PASSWORD, CustomerFactory, StakeholderFactory, UserFactory
from tests.e2e.conftest import follow, last_email_to, link_in, login, screenshot, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_csm_creates_a_customer_adds_an_executive_approver_and_invites_them(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    login(page, live_server, csm.email, TEST_PASSWORD)

    visit(page, live_server.url + "/customers/")
    follow(page, page.get_by_role("link", name="Add a customer").first)
    expect(page.get_by_role("heading", name="Add a customer")).to_be_visible()

    # A missing required field: the form comes back with the error and nothing is created.
    page.get_by_label("Industry").fill("Logistics")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Please correct the highlighted fields.")).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert not Customer.objects.exists()

    page.get_by_label("Name").fill("Northwind Traders")
    page.get_by_label("Segment").select_option(label="Mid-market")
    page.get_by_label("Size").select_option(label="51-200 employees")
    page.get_by_label("Website").fill("https://northwind.example")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name="Northwind Traders", level=1)).to_be_visible()
    expect(page.get_by_text("Northwind Traders was added.")).to_be_visible()
    customer = Customer.objects.get()
    assert (customer.name, customer.segment, customer.owner) == ("Northwind Traders", "mid_market", csm)

    follow(page, page.get_by_role("link", name="Add a stakeholder"))
    page.get_by_label("Name").fill("Erin Exec")
    page.get_by_role("textbox", name="Email").fill("erin@northwind.example")
    page.get_by_label("Title").fill("COO")
    page.get_by_label("Role").select_option(label="Executive")
    page.get_by_label("Is approver").check()
    follow(page, page.get_by_role("button", name="Save"))
    row = page.get_by_role("row", name=re.compile("Erin Exec"))
    expect(row).to_contain_text("Executive")
    expect(row).to_contain_text("Yes")
    expect(row).to_contain_text("Not invited")

    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, row.get_by_role("button", name="Invite to client view"))
    expect(page.get_by_text("An invitation was emailed to erin@northwind.example.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Erin Exec"))
    expect(row).to_contain_text("Invited")
    expect(row.get_by_role("button", name="Re-send invite")).to_be_visible()

    stakeholder = Stakeholder.objects.get(email="erin@northwind.example")
    assert (stakeholder.role, stakeholder.is_approver) == (Stakeholder.Role.EXECUTIVE, True)
    assert ClientInvite.objects.filter(stakeholder=stakeholder, used_at__isnull=True).count() == 1
    email = last_email_to("erin@northwind.example")
    assert "Northwind Traders" in email.subject
    assert link_in(email.body).startswith(f"{live_server.url}/client/invite/")
    screenshot(page, "foundation-csm-invited-stakeholder")


def test_an_invited_stakeholder_sets_a_password_and_sees_only_their_own_company(page, live_server):
    csm = UserFactory(email="casey@portal.example", full_name="Casey Manager")
    acme = CustomerFactory(name="Acme Robotics", owner=csm)
    alice = StakeholderFactory(customer=acme, name="Alice Approver", email="alice@acme.example", executive=True)
    StakeholderFactory(customer=acme, name="Tom Techlead", role=Stakeholder.Role.TECHNICAL_LEAD)
    globex = CustomerFactory(name="Globex Rival", owner=csm)
    StakeholderFactory(customer=globex, name="Bob Outsider", email="bob@globex.example", with_login=True)
    invite_stakeholder(actor=csm, stakeholder=alice)

    link = link_in(last_email_to("alice@acme.example").body)
    visit(page, link)
    expect(page.get_by_role("heading", name="Welcome, Alice Approver")).to_be_visible()
    page.get_by_label(re.compile(r"^New password(?! confirmation)")).fill("a-long-and-private-passphrase")
    page.get_by_label("New password confirmation").fill("a-long-and-private-passphrase")
    follow(page, page.get_by_role("button", name="Set password and continue"))
    assert page.url == f"{live_server.url}/client/"

    main = page.get_by_role("main")
    expect(page.get_by_text("Welcome! Your password is set.")).to_be_visible()
    expect(page.get_by_role("heading", name="Acme Robotics", level=1)).to_be_visible()
    expect(main).to_contain_text("Alice Approver")
    expect(main).to_contain_text("Tom Techlead")
    expect(main).to_contain_text("Casey Manager")
    body = page.locator("body")
    expect(body).not_to_contain_text("Globex Rival")
    expect(body).not_to_contain_text("Bob Outsider")
    screenshot(page, "foundation-client-home")

    # The staff pages refuse a client user, including another company's customer page.
    response = visit(page, f"{live_server.url}/customers/{globex.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Globex Rival")

    # The invite link works once: used again, even after logging out, it is no longer valid.
    visit(page, live_server.url + "/client/")
    follow(page, page.get_by_role("button", name="Log out"))
    response = visit(page, link)
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link is no longer valid")).to_be_visible()
    alice.refresh_from_db()
    assert alice.user.check_password("a-long-and-private-passphrase")
    screenshot(page, "foundation-invite-link-used-twice")
