"""The client home: what waits for this person comes first, and the page words itself for what the customer has."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.guarantees.signoff import record_signoff, submit_for_sign_off
from apps.guarantees.validation import digest_of
from tests.customers.factories import StakeholderFactory
from tests.guarantees.factories import give_evidence, make_guarantee, week

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(company_a, csm, stakeholder_a, django_capture_on_commit_callbacks):
    milestone = week(make_guarantee(customer=company_a, actor=csm, name="Fleet Console"), 1)
    with django_capture_on_commit_callbacks(execute=True):
        give_evidence(milestone, 100)
    milestone.refresh_from_db()
    return submit_for_sign_off(actor=csm, milestone=milestone)


def test_the_week_awaiting_my_sign_off_comes_first_with_its_due_date_and_a_button(customer_a_client, awaiting):
    body = customer_a_client.get(reverse("client:home")).content.decode()

    assert "A week awaits your sign-off" in body
    assert f"Due {awaiting.due_date:%a} {awaiting.due_date.day} {awaiting.due_date:%b %Y}" in body
    button = f'href="{reverse("client_guarantees:milestone", args=[awaiting.pk])}">Review week 1 and sign off</a>'
    assert button in body
    # First thing under the company's name: before the welcome and the guarantee list.
    assert body.index("A week awaits your sign-off") < body.index("Welcome,") < body.index("Your 30-day guarantee")


def test_the_call_to_action_goes_once_i_have_decided(customer_a_client, customer_a, awaiting, company_a):
    StakeholderFactory(customer=company_a, is_approver=True, with_login=True)  # another approver keeps it open
    record_signoff(
        user=customer_a,
        milestone_id=awaiting.pk,
        decision="approved",
        reason="",
        digest_seen=digest_of(awaiting),
        ip=None,
        user_agent="test",
    )

    assert "awaits your sign-off" not in customer_a_client.get(reverse("client:home")).content.decode()


def test_a_customer_who_is_not_an_approver_is_not_asked_to_sign_off(client, company_a, awaiting):
    colleague = StakeholderFactory(customer=company_a, is_approver=False, with_login=True)
    client.force_login(colleague.user)

    assert "awaits your sign-off" not in client.get(reverse("client:home")).content.decode()


def test_another_companys_week_never_shows_as_awaiting_my_sign_off(customer_b, client, awaiting):
    client.force_login(customer_b)

    assert "awaits your sign-off" not in client.get(reverse("client:home")).content.decode()


def test_a_customer_with_several_engagements_reads_plural_wording(customer_a_client, company_a, csm, stakeholder_a):
    make_guarantee(customer=company_a, actor=csm, name="Fleet Console")
    make_guarantee(customer=company_a, actor=csm, name="Dispatch App")

    body = customer_a_client.get(reverse("client:home")).content.decode()
    assert "Your 30-day guarantees" in body
    assert "Fleet Console" in body
    assert "Dispatch App" in body


def test_getting_started_without_a_plan_words_itself_for_running_engagements(customer_a_client, company_a, csm):
    make_guarantee(customer=company_a, actor=csm, name="Fleet Console")

    body = customer_a_client.get(reverse("client_education:plan")).content.decode()
    assert "once your agreement is signed" not in body
    assert "No introduction has been scheduled for you yet" in body
    assert "Fleet Console" in body


def test_getting_started_before_any_agreement_says_it_comes_with_the_agreement(customer_a_client):
    body = customer_a_client.get(reverse("client_education:plan")).content.decode()

    assert "once your agreement is signed" in body
