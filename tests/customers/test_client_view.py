"""The client view: a stakeholder sees their own company and its people, and nothing of another company."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.customers.models import Customer, Stakeholder
from tests.customers.factories import StakeholderFactory
from tests.pages import assert_method_refused, assert_not_allowed, visible_text

pytestmark = pytest.mark.django_db


def test_the_client_home_shows_the_company_its_csm_and_its_stakeholders(
    customer_a_client, stakeholder_a, stakeholder_b
):
    StakeholderFactory(customer=stakeholder_a.customer, name="Raj Patel", title="Tech Lead")

    response = customer_a_client.get(reverse("client:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h3">Acme A</h1>' in html
    assert "Casey Manager (casey@portal.example)" in html
    assert "Raj Patel · Tech Lead" in html
    assert "Executive, approver" in html
    assert "Globex B" not in html
    assert "Bob B" not in html


def test_visiting_the_client_home_records_when_the_stakeholder_was_last_active(customer_a_client, stakeholder_a):
    customer_a_client.get(reverse("client:home"))

    stakeholder_a.refresh_from_db()
    assert stakeholder_a.last_active_at is not None


def test_a_client_users_querysets_are_scoped_to_their_company(customer_a, company_a, stakeholder_b):
    assert list(Customer.objects.visible_to(customer_a)) == [company_a]
    assert set(Stakeholder.objects.visible_to(customer_a).values_list("customer_id", flat=True)) == {company_a.pk}


def test_a_client_user_cannot_open_another_companys_customer_page(customer_a_client, company_b):
    # Staff pages are refused outright, so nothing about company B leaks, not even whether it exists.
    response = customer_a_client.get(reverse("customers:detail", args=[company_b.pk]))

    assert response.status_code == 403
    assert "Globex B" not in response.content.decode()


def test_staff_are_refused_the_client_home(csm_client):
    response = csm_client.get(reverse("client:home"))
    assert_not_allowed(response)
    assert "Back to your home page" in visible_text(response)


def test_a_stakeholder_login_that_lost_its_stakeholder_record_sees_nothing(client, stakeholder_a):
    user = stakeholder_a.user
    stakeholder_a.delete()
    client.force_login(user)

    assert client.get(reverse("client:home")).status_code == 403
    assert list(Customer.objects.visible_to(user)) == []


def test_the_client_home_refuses_a_post(customer_a_client):
    assert_method_refused(customer_a_client.post(reverse("client:home")), "GET")


def test_the_client_home_query_count_stays_small_with_many_stakeholders(
    customer_a_client, stakeholder_a, django_assert_max_num_queries
):
    StakeholderFactory.create_batch(50, customer=stakeholder_a.customer)

    # Sign-offs waiting, surveys and the day's activity row joined the home page: a fixed few, not one per person.
    with django_assert_max_num_queries(14):
        response = customer_a_client.get(reverse("client:home"))

    assert response.status_code == 200
    assert f'<h1 class="h3">{stakeholder_a.customer.name}</h1>' in response.content.decode()
