"""The client view of the guarantee: a customer sees, inputs and signs off only their own company's weeks."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.guarantees.models import Evidence, Milestone, SignOff
from apps.guarantees.signoff import submit_for_sign_off
from apps.guarantees.validation import digest_of
from tests.customers.factories import StakeholderFactory
from tests.guarantees.factories import give_evidence, make_guarantee, week
from tests.pages import assert_not_allowed, visible_text

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


@pytest.fixture
def awaiting(guarantee, csm, committed):
    milestone = week(guarantee, 1)
    with committed():
        give_evidence(milestone, 100)
    milestone.refresh_from_db()
    return submit_for_sign_off(actor=csm, milestone=milestone)


def test_client_home_shows_the_guarantee_section(customer_a_client, guarantee):
    response = customer_a_client.get(reverse("client:home"))

    assert b"Your 30-day guarantee" in response.content
    assert guarantee.project.name.encode() in response.content


def test_client_guarantee_page_is_the_customers_version_of_the_timeline(customer_a_client, guarantee):
    response = customer_a_client.get(reverse("client_guarantees:detail", args=[guarantee.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="day ') == 30
    assert b"your customer success manager" in response.content.lower()


def test_a_customer_cannot_see_another_companys_guarantee_milestone_or_evidence(client, customer_b, awaiting):
    client.force_login(customer_b)
    evidence = Evidence.objects.filter(criterion__milestone=awaiting).first()

    assert client.get(reverse("client_guarantees:detail", args=[awaiting.guarantee_id])).status_code == 404
    assert client.get(reverse("client_guarantees:milestone", args=[awaiting.pk])).status_code == 404
    assert client.get(reverse("client_guarantees:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("client_guarantees:list")).content.count(b"client_guarantees") == 0
    assert awaiting.guarantee.project.name.encode() not in client.get(reverse("client_guarantees:list")).content


def test_a_customer_cannot_sign_off_another_companys_milestone(client, customer_b, awaiting):
    client.force_login(customer_b)
    url = reverse("client_guarantees:sign_off", args=[awaiting.pk])

    response = client.post(url, {"decision": "approved", "digest": digest_of(awaiting)})

    assert response.status_code == 404
    assert not SignOff.objects.exists()


def test_an_approver_signs_off_in_the_client_view(customer_a_client, awaiting):
    page = customer_a_client.get(reverse("client_guarantees:milestone", args=[awaiting.pk]))
    assert b"Record my decision" in page.content

    response = customer_a_client.post(
        reverse("client_guarantees:sign_off", args=[awaiting.pk]),
        {"decision": "approved", "reason": "Great work", "digest": digest_of(awaiting)},
        REMOTE_ADDR="192.0.2.44",
        HTTP_USER_AGENT="Firefox test",
    )

    assert response.status_code == 302
    signoff = SignOff.objects.get()
    assert (signoff.ip, signoff.user_agent, signoff.reason) == ("192.0.2.44", "Firefox test", "Great work")
    assert Milestone.objects.get(pk=awaiting.pk).review == "closed"


def test_a_rejection_without_a_reason_re_renders_the_form_with_the_error(customer_a_client, awaiting):
    response = customer_a_client.post(
        reverse("client_guarantees:sign_off", args=[awaiting.pk]),
        {"decision": "rejected", "reason": "", "digest": digest_of(awaiting)},
    )

    assert response.status_code == 200
    assert b"Say why you reject it" in response.content
    assert not SignOff.objects.exists()


def test_a_stakeholder_who_is_not_an_approver_sees_no_sign_off_form(client, company_a, awaiting):
    viewer = StakeholderFactory(customer=company_a, email="viewer@a.example", with_login=True)
    client.force_login(viewer.user)

    page = client.get(reverse("client_guarantees:milestone", args=[awaiting.pk]))
    refused = client.post(
        reverse("client_guarantees:sign_off", args=[awaiting.pk]),
        {"decision": "approved", "digest": digest_of(awaiting)},
    )

    assert b"Record my decision" not in page.content
    assert b"Only the customer&#x27;s approvers" in refused.content
    assert not SignOff.objects.exists()


def test_week_two_shows_the_order_rule_until_week_one_is_closed(customer_a_client, guarantee, csm, committed):
    week2 = week(guarantee, 2)
    with committed():
        give_evidence(week2, 100)
    week2.refresh_from_db()
    submit_for_sign_off(actor=csm, milestone=week2)

    page = customer_a_client.get(reverse("client_guarantees:milestone", args=[week2.pk]))

    assert b"Week 1 must be signed off first" in page.content
    assert b"Record my decision" not in page.content


def test_a_stakeholder_gives_a_rating_by_htmx(customer_a_client, guarantee, committed):
    milestone = week(guarantee, 1)
    url = reverse("client_guarantees:input", args=[milestone.pk, "team-communication"])

    form = customer_a_client.get(url, headers=HTMX)
    with committed():
        response = customer_a_client.post(url, {"rating": "9"}, headers=HTMX)

    assert b"hx-post" in form.content
    assert b"<html" not in form.content
    assert response.content.strip().startswith(b'<div id="milestone-body"')
    evidence = Evidence.objects.get()
    assert (evidence.source, evidence.contributions[0]["rating"]) == ("client", 9)


def test_a_machine_criterion_takes_no_client_input(customer_a_client, guarantee):
    url = reverse("client_guarantees:input", args=[week(guarantee, 2).pk, "core-features"])

    response = customer_a_client.get(url)

    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_staff_cannot_use_the_client_view(csm_client, guarantee):
    response = csm_client.get(reverse("client_guarantees:detail", args=[guarantee.pk]))
    assert_not_allowed(response)
    assert "Back to your home page" in visible_text(response)  # the staff way back, not the client view


def test_an_approver_gives_an_approval_in_the_client_view_and_the_score_follows(
    customer_a_client, guarantee, approver_a2, committed
):
    milestone = week(guarantee, 1)
    url = reverse("client_guarantees:input", args=[milestone.pk, "requirements-analysis"])

    with committed():
        response = customer_a_client.post(url, {"approved": "yes"})

    assert response.status_code == 302
    page = customer_a_client.get(reverse("client_guarantees:milestone", args=[milestone.pk])).content.decode()
    # Two approvers at company A (Alice A and Aaron Approver); Alice approved: 1 of 2 -> 50.
    assert "Alice A</strong>: Approved" in page
    assert "given by Alice A" in page
    assert "1 of 2 required approvers approved: 50.0." in page


def test_a_stakeholder_who_is_not_an_approver_is_not_offered_the_approval(client, company_a, guarantee):
    viewer = StakeholderFactory(customer=company_a, email="viewer@a.example", with_login=True)
    client.force_login(viewer.user)
    milestone = week(guarantee, 1)

    page = client.get(reverse("client_guarantees:milestone", args=[milestone.pk])).content.decode()
    refused = client.post(
        reverse("client_guarantees:input", args=[milestone.pk, "requirements-analysis"]), {"approved": "yes"}
    )

    assert reverse("client_guarantees:input", args=[milestone.pk, "requirements-analysis"]) not in page
    assert reverse("client_guarantees:input", args=[milestone.pk, "team-communication"]) in page
    assert refused.status_code == 302
    assert not Evidence.objects.exists()


def test_the_week_four_survey_is_offered_only_to_invited_stakeholders(client, company_a, guarantee, csm, customer_a):
    from apps.guarantees.client_input import invite_participants

    guest = StakeholderFactory(customer=company_a, name="Gus Guest", email="gus@a.example", with_login=True)
    milestone = week(guarantee, 4)
    survey = milestone.criteria.get(key="satisfaction-survey")
    invite_participants(actor=csm, criterion=survey, stakeholders=[guest])
    url = reverse("client_guarantees:input", args=[milestone.pk, "satisfaction-survey"])
    client.force_login(guest.user)

    offered = client.get(reverse("client_guarantees:milestone", args=[milestone.pk])).content.decode()
    response = client.post(url, {"score": "8"})
    alice = Client()
    alice.force_login(customer_a)  # Alice A, an executive and approver, was not invited to the survey
    executive_try = alice.post(url, {"score": "1"})

    assert url in offered
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.data, evidence.score) == ({"score": "8", "response_rate_percent": "100"}, 80)
    assert executive_try.status_code == 302
    assert Evidence.objects.count() == 1


def test_the_client_form_refuses_more_features_demonstrated_than_planned(customer_a_client, guarantee):
    url = reverse("client_guarantees:input", args=[week(guarantee, 3).pk, "all-features"])

    response = customer_a_client.post(url, {"features_demonstrated": "9", "features_planned": "7"})

    assert response.status_code == 200
    assert "Features demonstrated (9) cannot exceed features planned (7)" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_customer_sees_an_answer_a_csm_recorded_for_them(customer_a_client, guarantee, csm, stakeholder_a):
    from apps.guarantees.client_input import record_stakeholder_response

    milestone = week(guarantee, 1)
    record_stakeholder_response(
        actor=csm,
        criterion=milestone.criteria.get(key="team-communication"),
        stakeholder=stakeholder_a,
        values={"rating": 7},
        note="Rated it 7 on the call",
    )

    page = customer_a_client.get(reverse("client_guarantees:milestone", args=[milestone.pk])).content.decode()

    assert f"recorded by {csm.get_full_name()} for Alice A" in page
    assert "Rated it 7 on the call" in page
