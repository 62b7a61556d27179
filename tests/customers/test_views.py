"""Staff pages for customers and stakeholders: the list, its filters, and forms that never 500 on bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.customers.models import Customer, Stakeholder
from tests.customers.factories import CustomerFactory, StakeholderFactory, UserFactory
from tests.pages import assert_method_refused, assert_not_allowed, assert_not_found, visible_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/customers/"}


def _names(response) -> list[str]:
    return [customer.name for customer in response.context["page"].object_list]


def _customer_form(owner, **overrides) -> dict:
    return {"name": "Umbrella Labs", "segment": "smb", "owner": owner.pk, **overrides}


def _stakeholder_form(**overrides) -> dict:
    return {"name": "Dana Diaz", "email": "dana@acme.example", "role": "executive", "channels": ["email"], **overrides}


# The list


def test_the_customer_list_shows_every_customer_with_its_owner_and_stakeholder_count(csm_client, csm, company_a):
    StakeholderFactory.create_batch(2, customer=company_a)

    response = csm_client.get(reverse("customers:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme A" in html
    assert "Casey Manager" in html
    assert response.context["page"].object_list[0].stakeholder_count == 2


def test_the_customer_list_searches_name_and_industry(csm_client, csm):
    CustomerFactory(name="Acme Robotics", industry="Manufacturing", owner=csm)
    CustomerFactory(name="Globex", industry="Healthcare", owner=csm)
    CustomerFactory(name="Initech", industry="Robotic logistics", owner=csm)

    response = csm_client.get(reverse("customers:list"), {"search": "robot"})

    assert _names(response) == ["Acme Robotics", "Initech"]


def test_the_customer_list_filters_by_status(csm_client, csm):
    CustomerFactory(name="Calm Co", status=Customer.Status.ACTIVE, owner=csm)
    CustomerFactory(name="Shaky Co", status=Customer.Status.AT_RISK, owner=csm)

    response = csm_client.get(reverse("customers:list"), {"status": "at_risk"})

    assert _names(response) == ["Shaky Co"]
    assert 'value="at_risk" selected' in response.content.decode()


def test_the_customer_list_filters_to_the_csms_own_customers(csm_client, csm):
    CustomerFactory(name="Mine", owner=csm)
    CustomerFactory(name="Theirs", owner=UserFactory())

    assert _names(csm_client.get(reverse("customers:list"), {"owner": "me"})) == ["Mine"]
    assert _names(csm_client.get(reverse("customers:list"))) == ["Mine", "Theirs"]


def test_the_customer_list_paginates_and_keeps_the_filters_in_the_page_links(csm_client, csm):
    CustomerFactory.create_batch(30, owner=csm, status=Customer.Status.ONBOARDING)

    first = csm_client.get(reverse("customers:list"), {"status": "onboarding"})
    second = csm_client.get(reverse("customers:list"), {"status": "onboarding", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?status=onboarding&page=2"' in first.content.decode()
    assert len(second.context["page"].object_list) == 5


def test_a_page_number_out_of_range_shows_the_last_page_instead_of_an_error(csm_client, csm):
    CustomerFactory.create_batch(3, owner=csm)

    response = csm_client.get(reverse("customers:list"), {"page": "999"})

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_an_empty_search_says_so_and_offers_to_clear_the_filters(csm_client, company_a):
    html = csm_client.get(reverse("customers:list"), {"search": "nothing-like-this"}).content.decode()

    assert "No customers match." in html
    assert "Clear the filters" in html


def test_the_htmx_list_request_renders_only_the_table_fragment(csm_client, company_a):
    response = csm_client.get(reverse("customers:list"), {"search": "Acme"}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="customer-table">')
    assert "Acme A" in html
    assert "<html" not in html
    assert 'role="search"' not in html


def test_an_htmx_history_restore_gets_the_whole_page(csm_client, company_a):
    headers = {**HTMX, "HX-History-Restore-Request": "true"}

    html = csm_client.get(reverse("customers:list"), headers=headers).content.decode()

    assert "<html" in html


@pytest.mark.parametrize("rows", [10, 200])
def test_the_customer_list_query_count_does_not_grow_with_customers(
    csm_client, csm, django_assert_max_num_queries, rows
):
    for customer in CustomerFactory.create_batch(rows, owner=csm):
        StakeholderFactory(customer=customer)

    with django_assert_max_num_queries(10):
        response = csm_client.get(reverse("customers:list"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_the_customer_list_refuses_a_post(csm_client):
    count = Customer.objects.count()
    assert_method_refused(csm_client.post(reverse("customers:list"), {"name": "Posted Co"}), "GET")
    assert Customer.objects.count() == count


# Create and edit a customer


def test_a_csm_creates_a_customer_and_lands_on_its_page(csm_client, csm):
    response = csm_client.post(reverse("customers:create"), _customer_form(csm, industry="Biotech"), follow=True)

    customer = Customer.objects.get(name="Umbrella Labs")
    assert response.redirect_chain == [(reverse("customers:detail", args=[customer.pk]), 302)]
    assert "Umbrella Labs was added." in response.content.decode()
    assert customer.owner == csm
    assert customer.industry == "Biotech"
    assert AuditEvent.objects.for_object(customer).get().action == "customer.created"


def test_the_create_form_starts_with_the_csm_as_owner(csm_client, csm):
    response = csm_client.get(reverse("customers:create"))

    assert response.status_code == 200
    assert response.context["form"].initial["owner"] == csm


def test_the_create_form_re_renders_with_errors_and_creates_nothing_on_bad_input(csm_client, csm):
    response = csm_client.post(
        reverse("customers:create"), _customer_form(csm, name="", website="not a url", segment="galactic")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "website", "segment"}
    assert "Please correct the highlighted fields." in response.content.decode()
    assert Customer.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_duplicate_customer_name_in_another_case_is_refused_with_a_clear_message(csm_client, csm, company_a):
    response = csm_client.post(reverse("customers:create"), _customer_form(csm, name="ACME a"))

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["A customer named “Acme A” already exists."]
    assert Customer.objects.filter(name__iexact="acme a").count() == 1


def test_editing_a_customer_keeps_its_own_name_without_calling_it_a_duplicate(csm_client, csm, company_a):
    url = reverse("customers:edit", args=[company_a.pk])

    response = csm_client.post(url, _customer_form(csm, name="Acme A", industry="Robots"))

    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.industry == "Robots"
    event = AuditEvent.objects.filter(action="customer.updated").get()
    assert event.data == {"fields": ["industry"]}


def test_the_edit_form_cannot_pick_a_status_it_is_derived(csm_client, csm, company_a):
    url = reverse("customers:edit", args=[company_a.pk])

    assert 'name="status"' not in csm_client.get(url).text
    csm_client.post(url, _customer_form(csm, name="Acme A", status="at_risk", industry="Software"))

    company_a.refresh_from_db()
    assert company_a.status == Customer.Status.ACTIVE


def test_renaming_a_customer_to_another_customers_name_is_refused(csm_client, csm, company_a, company_b):
    response = csm_client.post(reverse("customers:edit", args=[company_b.pk]), _customer_form(csm, name="acme a"))

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["name"][0]
    company_b.refresh_from_db()
    assert company_b.name == "Globex B"


def test_an_unchanged_edit_records_no_audit_event(csm_client, csm, company_a):
    data = _customer_form(csm, name="Acme A", segment=company_a.segment, status=company_a.status, industry="Software")

    csm_client.post(reverse("customers:edit", args=[company_a.pk]), data)

    assert not AuditEvent.objects.filter(action="customer.updated").exists()


def test_editing_a_customer_that_does_not_exist_is_a_404(csm_client):
    assert_not_found(csm_client.get(reverse("customers:edit", args=[99999])))


def test_the_customer_page_shows_stakeholders_and_the_activity_trail(csm_client, csm):
    csm_client.post(reverse("customers:create"), _customer_form(csm))
    customer = Customer.objects.get(name="Umbrella Labs")
    StakeholderFactory(customer=customer, name="Dana Diaz", title="CTO")

    html = csm_client.get(reverse("customers:detail", args=[customer.pk])).content.decode()

    assert "Dana Diaz" in html
    assert "CTO" in html
    assert "Not invited" in html
    assert "Casey Manager added the customer Umbrella Labs" in html  # the timeline speaks in words
    assert "customer.created" not in html
    assert "Email, Client view" in html  # channels as labels, not "email, in_app"


# Stakeholders


def test_a_csm_adds_a_stakeholder_with_a_lowercased_email(csm_client, company_a):
    url = reverse("customers:stakeholder_create", args=[company_a.pk])

    response = csm_client.post(url, _stakeholder_form(email="Dana@Acme.Example", is_approver="on"), follow=True)

    stakeholder = Stakeholder.objects.get(customer=company_a)
    assert stakeholder.email == "dana@acme.example"
    assert stakeholder.is_approver is True
    assert stakeholder.channels == ["email"]
    assert "Dana Diaz was added." in response.content.decode()
    assert AuditEvent.objects.for_object(stakeholder).get().action == "stakeholder.added"


def test_a_stakeholder_email_already_used_at_the_same_company_is_refused_with_a_clear_message(
    csm_client, company_a, stakeholder_a
):
    url = reverse("customers:stakeholder_create", args=[company_a.pk])

    response = csm_client.post(url, _stakeholder_form(email="ALICE@a.example"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This company already has a stakeholder with this email."]
    assert company_a.stakeholders.count() == 1


def test_the_same_email_may_be_a_stakeholder_at_another_company(csm_client, company_b, stakeholder_a):
    url = reverse("customers:stakeholder_create", args=[company_b.pk])

    response = csm_client.post(url, _stakeholder_form(email="alice@a.example"))

    assert response.status_code == 302
    assert company_b.stakeholders.filter(email="alice@a.example").exists()


@pytest.mark.parametrize(
    ("channel", "field", "label"),
    [
        ("slack", "slack_webhook_url", "Slack"),
        ("teams", "teams_webhook_url", "Microsoft Teams"),
        ("webhook", "webhook_url", "Webhook"),
    ],
)
def test_a_channel_that_needs_a_webhook_url_is_refused_without_one(csm_client, company_a, channel, field, label):
    url = reverse("customers:stakeholder_create", args=[company_a.pk])

    response = csm_client.post(url, _stakeholder_form(channels=["email", channel]))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [f"Needed for the {label} channel."]
    assert not company_a.stakeholders.exists()


def test_a_channel_with_its_webhook_url_is_accepted(csm_client, company_a):
    url = reverse("customers:stakeholder_create", args=[company_a.pk])
    data = _stakeholder_form(channels=["slack"], slack_webhook_url="https://hooks.slack.example/T1/B2")

    assert csm_client.post(url, data).status_code == 302
    assert company_a.stakeholders.get().slack_webhook_url == "https://hooks.slack.example/T1/B2"


def test_editing_a_stakeholder_keeps_their_own_email_and_moves_their_login_email_along(csm_client, stakeholder_a):
    url = reverse("customers:stakeholder_edit", args=[stakeholder_a.pk])

    same = csm_client.post(url, _stakeholder_form(name="Alice Renamed", email="alice@a.example"))
    moved = csm_client.post(url, _stakeholder_form(name="Alice Renamed", email="Alice.New@a.example"))

    assert same.status_code == 302
    assert moved.status_code == 302
    stakeholder_a.refresh_from_db()
    assert stakeholder_a.name == "Alice Renamed"
    assert stakeholder_a.user.email == "alice.new@a.example"


def test_editing_a_stakeholder_to_another_stakeholders_email_is_refused(csm_client, company_a, stakeholder_a):
    other = StakeholderFactory(customer=company_a, email="raj@a.example")

    response = csm_client.post(
        reverse("customers:stakeholder_edit", args=[other.pk]), _stakeholder_form(email="alice@a.example")
    )

    assert response.status_code == 200
    assert "already has a stakeholder" in response.context["form"].errors["email"][0]
    other.refresh_from_db()
    assert other.email == "raj@a.example"


# Who may use the staff pages


@pytest.mark.parametrize(
    "url_name",
    ["customers:list", "customers:create", "customers:detail", "customers:edit", "customers:stakeholder_create"],
)
def test_a_client_user_is_refused_the_staff_pages(customer_a_client, company_a, url_name):
    args = [] if url_name in ("customers:list", "customers:create") else [company_a.pk]

    response = customer_a_client.get(reverse(url_name, args=args))

    assert_not_allowed(response)
    assert "Back to your overview" in visible_text(response)  # the client's own way back, not the staff menu


def test_a_client_user_cannot_create_a_customer_by_posting(customer_a_client, customer_a, csm):
    response = customer_a_client.post(reverse("customers:create"), _customer_form(csm))

    assert response.status_code == 403
    assert not Customer.objects.filter(name="Umbrella Labs").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("customers:list"))

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/customers/"


def test_changing_a_stakeholders_email_to_one_another_login_uses_is_refused_with_a_clear_message(
    csm_client, csm, stakeholder_a
):
    url = reverse("customers:stakeholder_edit", args=[stakeholder_a.pk])

    response = csm_client.post(url, _stakeholder_form(name="Alice A", email="Casey@Portal.example"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Another login already uses this email."]
    stakeholder_a.refresh_from_db()
    assert stakeholder_a.email == "alice@a.example"
    assert stakeholder_a.user.email == "alice@a.example"


def test_the_stakeholder_service_refuses_an_email_another_login_uses(csm, stakeholder_a):
    from django.core.exceptions import ValidationError

    from apps.customers.services import update_stakeholder

    with pytest.raises(ValidationError, match="Another login already uses this email."):
        update_stakeholder(actor=csm, stakeholder=stakeholder_a, data={"email": "CASEY@portal.example"})

    assert Stakeholder.objects.get(pk=stakeholder_a.pk).email == "alice@a.example"
