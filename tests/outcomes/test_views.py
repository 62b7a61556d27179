"""Staff and client pages: happy paths, refusals, HTMX fragments, bad input, and query bounds on lists."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.pagination import PAGE_SIZE
from apps.outcomes import services
from apps.outcomes.models import Claim, FinalCriterionConfig, FinalInput, Payout, Remedy, SuccessDocument
from tests.customers.factories import StakeholderFactory, UserFactory
from tests.outcomes.factories import (
    bulk_guarantees,
    bulk_success_documents,
    failed_guarantee,
    make_guarantee,
    succeeded_guarantee,
)
from tests.pages import assert_method_refused, assert_not_allowed, assert_not_found, body_rows, visible_text

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def failed(company_a, stakeholder_a):
    return failed_guarantee(customer=company_a)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- a guarantee's end --------------------------------------------------------------------------------------


def test_the_outcome_page_of_a_running_guarantee_previews_the_score_and_names_missing_figures(csm_client, company_a):
    guarantee = make_guarantee(customer=company_a, service_type="legacy_modernization")
    response = csm_client.get(reverse("outcomes:guarantee", args=[guarantee.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "If final validation ran today" in content
    assert "Still to enter: Performance improvement, Vulnerability reduction" in content


def test_the_outcome_page_shows_the_decided_round_with_its_sources(csm_client, failed):
    response = csm_client.get(reverse("outcomes:guarantee", args=[failed.pk]))
    content = response.content.decode()
    assert "Claim eligible" in content
    # The digest is kept for those who want it, folded away: executives read the result, not a hash.
    assert "<summary>Record of the inputs</summary>" in content
    assert "inputs SHA-256" not in content
    assert "Week 2, Core features: evidence version 1 (coverage percent)" in content
    assert "Open a claim for the customer" in content


def test_the_outcome_page_answers_htmx_with_its_fragment(csm_client, failed):
    response = csm_client.get(reverse("outcomes:guarantee", args=[failed.pk]), headers=HX)
    assert response.content.decode().lstrip().startswith('<div id="outcome-body">')


def test_a_client_cannot_open_the_staff_outcome_page(customer_a_client, failed):
    response = customer_a_client.get(reverse("outcomes:guarantee", args=[failed.pk]))
    assert_not_allowed(response)
    assert failed.project.name not in visible_text(response)


def test_outcome_pages_refuse_posts(csm_client, failed):
    assert_method_refused(csm_client.post(reverse("outcomes:guarantee", args=[failed.pk])), "GET")
    assert not Claim.objects.exists()


def test_the_csm_enters_a_figure_with_its_source(csm_client, csm, company_a):
    guarantee = make_guarantee(customer=company_a, service_type="legacy_modernization")
    url = reverse("outcomes:inputs", args=[guarantee.pk])
    response = csm_client.post(
        url,
        {
            "key": "performance-improvement",
            "performance-improvement-value": "62.5",
            "performance-improvement-source_note": "k6 report 2026-02-27",
        },
    )
    assert response.status_code == 302
    row = FinalInput.objects.get(guarantee=guarantee, key="performance-improvement")
    assert (row.value, row.source_note, row.entered_by) == (D("62.5"), "k6 report 2026-02-27", csm)


def test_a_figure_without_its_source_or_number_re_renders_with_errors(csm_client, company_a):
    guarantee = make_guarantee(customer=company_a, service_type="legacy_modernization")
    url = reverse("outcomes:inputs", args=[guarantee.pk])
    response = csm_client.post(url, {"key": "vulnerability-reduction", "vulnerability-reduction-baseline": "abc"})
    assert response.status_code == 200
    assert b"Please correct the highlighted fields" in response.content
    assert not FinalInput.objects.exists()


def test_figures_of_an_ended_guarantee_are_shown_read_only(csm_client, company_a):
    guarantee = failed_guarantee(customer=company_a, service_type="legacy_modernization", price=D("400000"))
    response = csm_client.get(reverse("outcomes:inputs", args=[guarantee.pk]))
    assert b"Not entered." in response.content
    assert b"<form" not in response.content.split(b"<main")[1]


# --- claims -------------------------------------------------------------------------------------------------


def test_the_executive_opens_a_refund_claim_in_the_client_view(customer_a_client, failed):
    url = reverse("client_outcomes:claim_open", args=[failed.pk])
    assert customer_a_client.get(url).status_code == 200
    response = customer_a_client.post(url, {"remedy": "refund", "description": "Coverage never reached 95%."})
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("client_outcomes:claim", args=[claim.pk])
    assert (claim.remedy, claim.opened_via) == ("refund", "client")


def test_a_claim_without_a_remedy_re_renders_the_form(customer_a_client, failed):
    response = customer_a_client.post(reverse("client_outcomes:claim_open", args=[failed.pk]), {"remedy": "cash"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not Claim.objects.exists()


def test_a_stakeholder_who_is_not_the_executive_gets_403_on_the_claim_form(client, failed, company_a):
    other = StakeholderFactory(customer=company_a, with_login=True)
    client.force_login(other.user)
    assert_not_allowed(client.get(reverse("client_outcomes:claim_open", args=[failed.pk])))
    client.post(reverse("client_outcomes:claim_open", args=[failed.pk]), {"remedy": Remedy.REFUND})
    assert not Claim.objects.exists()


def test_another_companys_executive_gets_404(client, failed, customer_b):
    client.force_login(customer_b)
    for name in ("client_outcomes:claim_open", "client_outcomes:guarantee"):
        response = client.get(reverse(name, args=[failed.pk]))
        assert_not_found(response)
        assert failed.project.name not in visible_text(response)


def test_the_claim_form_of_a_guarantee_that_is_not_claim_eligible_sends_you_back(csm_client, company_a):
    guarantee = succeeded_guarantee(customer=company_a)
    response = csm_client.get(reverse("outcomes:claim_open", args=[guarantee.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("outcomes:guarantee", args=[guarantee.pk])
    assert "This guarantee is not claim eligible." in visible_text(response)
    assert not Claim.objects.exists()


def test_a_second_claim_from_another_tab_shows_a_message_instead_of_an_error(csm_client, failed, csm):
    services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.REFUND)
    response = csm_client.post(reverse("outcomes:claim_open", args=[failed.pk]), {"remedy": "refund"})
    assert response.status_code == 200
    assert b"already open" in response.content


def _refund(failed, stakeholder_a):
    return services.open_claim(actor=stakeholder_a.user, guarantee=failed, remedy=Remedy.REFUND)


def test_a_csm_without_the_finance_permission_gets_403_approving_a_refund(csm_client, failed, stakeholder_a):
    claim = _refund(failed, stakeholder_a)
    assert csm_client.post(reverse("outcomes:claim_approve", args=[claim.pk])).status_code == 403
    assert csm_client.post(reverse("outcomes:claim_reject", args=[claim.pk]), {"reason": "x"}).status_code == 403
    assert not Payout.objects.exists()
    page = csm_client.get(reverse("outcomes:claim", args=[claim.pk])).content.decode()
    assert "decided by someone with the refund-approval permission" in page


def test_finance_approves_then_a_second_click_changes_nothing(admin_client, failed, stakeholder_a):
    claim = _refund(failed, stakeholder_a)
    url = reverse("outcomes:claim_approve", args=[claim.pk])
    assert admin_client.post(url).status_code == 302
    response = admin_client.post(url, follow=True)
    assert b"already approved" in response.content
    assert Payout.objects.count() == 1


def test_recording_the_payout_pays_the_claim_once(
    admin_client, failed, stakeholder_a, admin_user, django_capture_on_commit_callbacks
):
    claim = _refund(failed, stakeholder_a)
    services.approve_claim(actor=admin_user, claim=claim)
    url = reverse("outcomes:payout_record", args=[claim.pk])
    data = {"reference": "TRF-2026-77", "amount": str(failed.amount)}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID  # the settlement task ran after commit (synchronous in tests)
    again = admin_client.post(url, {**data, "reference": "TRF-2026-78"}, follow=True)
    assert b"already recorded" in again.content
    assert Payout.objects.get().reference == "TRF-2026-77"


def test_a_wrong_payout_amount_is_refused_with_a_message(admin_client, failed, stakeholder_a, admin_user):
    claim = _refund(failed, stakeholder_a)
    services.approve_claim(actor=admin_user, claim=claim)
    response = admin_client.post(
        reverse("outcomes:payout_record", args=[claim.pk]), {"reference": "TRF-1", "amount": "1.00"}, follow=True
    )
    assert b"must be exactly the approved refund" in response.content
    assert Payout.objects.get().status == Payout.Status.APPROVED


def test_a_payout_form_with_bad_input_re_renders_with_errors(admin_client, failed, stakeholder_a, admin_user):
    claim = _refund(failed, stakeholder_a)
    services.approve_claim(actor=admin_user, claim=claim)
    response = admin_client.post(reverse("outcomes:payout_record", args=[claim.pk]), {"amount": "lots"})
    assert response.status_code == 422
    assert b"Please correct the highlighted fields" in response.content


def test_a_rejection_without_a_reason_re_renders_the_claim_page(csm_client, failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    response = csm_client.post(reverse("outcomes:claim_reject", args=[claim.pk]), {"reason": "   "})
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.status == Claim.Status.OPENED


def test_the_csm_works_through_the_migration_task_list(csm_client, failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    csm_client.post(reverse("outcomes:claim_approve", args=[claim.pk]))
    for task in claim.tasks.all():
        assert csm_client.post(reverse("outcomes:task_done", args=[task.pk])).status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FULFILLED


def test_claim_actions_refuse_get(csm_client, failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    for name in ("claim_review", "claim_approve", "claim_reject", "payout_record"):
        assert_method_refused(csm_client.get(reverse(f"outcomes:{name}", args=[claim.pk])), "POST")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.OPENED
    assert not Payout.objects.exists()


def test_the_claim_page_answers_htmx_with_its_fragment(csm_client, failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    response = csm_client.get(reverse("outcomes:claim", args=[claim.pk]), headers=HX)
    assert response.content.decode().lstrip().startswith('<div id="claim-body">')


def test_the_customer_sees_the_paid_refund_with_its_reference(customer_a_client, failed, stakeholder_a, admin_user):
    claim = _refund(failed, stakeholder_a)
    services.approve_claim(actor=admin_user, claim=claim)
    payout = Payout.objects.get()
    services.record_payout(actor=admin_user, payout=payout, reference="TRF-9", amount=payout.amount)
    services.settle_payout(payout_id=payout.pk)
    content = customer_a_client.get(reverse("client_outcomes:claim", args=[claim.pk])).content.decode()
    assert "Paid" in content
    assert "transfer reference TRF-9" in content


def test_the_claims_list_filters_and_answers_htmx(csm_client, failed, csm):
    services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    response = csm_client.get(reverse("outcomes:claims"), {"remedy": "refund"}, headers=HX)
    assert response.content.decode().lstrip().startswith('<div id="claim-table">')
    assert b"No claims match" in response.content
    assert b"Migration assistance" in csm_client.get(reverse("outcomes:claims"), {"status": "opened"}).content


def test_the_outcomes_index_lists_running_guarantees_by_end_date_and_recent_outcomes(csm_client, failed, company_a):
    running = make_guarantee(customer=company_a, name="Still running")
    content = csm_client.get(reverse("outcomes:claims")).content.decode()
    assert reverse("outcomes:guarantee", args=[running.pk]) in content
    assert reverse("outcomes:guarantee", args=[failed.pk]) in content


def _many_claims(guarantee, actor, count):
    from apps.outcomes.models import FinalValidation

    validation = FinalValidation.objects.get(guarantee=guarantee)
    Claim.objects.bulk_create(
        Claim(
            guarantee=guarantee,
            validation=validation,
            remedy=Remedy.MIGRATION_ASSISTANCE,
            opened_by=actor,
            opened_via="staff",
            status=Claim.Status.REJECTED,
            rejection_reason="bulk",
            status_changed_at=timezone.now(),
        )
        for _ in range(count)
    )


@pytest.mark.parametrize("count", [10, 200])
def test_the_claims_list_runs_a_fixed_number_of_queries(csm_client, failed, csm, count, django_assert_max_num_queries):
    _many_claims(failed, csm, count)
    with django_assert_max_num_queries(12):
        response = csm_client.get(reverse("outcomes:claims"))
    assert response.status_code == 200
    html = response.content.decode()
    links = [f'href="{reverse("outcomes:claim", args=[pk])}"' for pk in Claim.objects.values_list("pk", flat=True)]
    assert sum(link in html for link in links) == min(count, PAGE_SIZE)  # a full page of the claims, each linked


# --- success documents --------------------------------------------------------------------------------------


def test_the_success_document_shows_achievements_evidence_and_impact_to_staff_and_customer(
    csm_client, client, company_a, customer_a
):
    guarantee = succeeded_guarantee(customer=company_a)
    response = csm_client.post(
        reverse("outcomes:impact", args=[guarantee.pk]),
        {"business_impact": "Release cycle cut from 6 weeks to 4 days."},
    )
    assert response.status_code == 302
    staff = csm_client.get(reverse("outcomes:success", args=[guarantee.pk])).content.decode()
    assert "Achievements beyond target" in staff
    assert "2% beyond" in staff  # coverage 97 vs 95
    assert "Core features" in staff
    assert "Release cycle cut" in staff
    client.force_login(customer_a)
    for name in ("client_outcomes:success", "client_outcomes:success_print"):
        page = client.get(reverse(name, args=[guarantee.pk]))
        assert page.status_code == 200
        assert "Release cycle cut" in page.content.decode()


def test_the_print_view_has_no_navigation(csm_client, company_a):
    guarantee = succeeded_guarantee(customer=company_a)
    response = csm_client.get(reverse("outcomes:success_print", args=[guarantee.pk]))
    assert b"print-view" in response.content
    assert b'class="navbar' not in response.content


def test_a_guarantee_without_a_success_document_is_404(csm_client, failed):
    assert_not_found(csm_client.get(reverse("outcomes:success", args=[failed.pk])))


def test_case_study_candidates_are_listed_for_csms(csm_client, company_a):
    guarantee = succeeded_guarantee(customer=company_a, name="Rocket launch")
    assert SuccessDocument.objects.get(guarantee=guarantee).case_study_candidate
    response = csm_client.get(reverse("outcomes:case_studies"))
    assert b"Rocket launch" in response.content
    partial = csm_client.get(reverse("outcomes:case_studies"), headers=HX)
    assert partial.content.decode().lstrip().startswith('<div id="case-study-table">')


@pytest.mark.parametrize("count", [10, 200])
def test_the_case_study_list_runs_a_fixed_number_of_queries(
    csm_client, company_a, count, django_assert_max_num_queries
):
    bulk_success_documents(bulk_guarantees(customer=company_a, count=count, status="succeeded"))
    with django_assert_max_num_queries(10):
        response = csm_client.get(reverse("outcomes:case_studies"))
    assert response.status_code == 200
    assert body_rows(response) == min(count, PAGE_SIZE)


# --- client list ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 200])
def test_the_client_outcome_list_runs_a_fixed_number_of_queries(
    customer_a_client, company_a, count, django_assert_max_num_queries
):
    bulk_guarantees(customer=company_a, count=count)
    with django_assert_max_num_queries(12):
        response = customer_a_client.get(reverse("client_outcomes:list"))
    assert response.status_code == 200
    assert response.content.decode().count('<li class="list-group-item') == count  # every guarantee listed


def test_the_executive_sees_the_outcome_and_the_way_to_claim(customer_a_client, failed):
    content = customer_a_client.get(reverse("client_outcomes:guarantee", args=[failed.pk])).content.decode()
    assert "Claim eligible" in content
    assert "Open a claim" in content


def test_a_non_executive_sees_who_can_claim(client, failed, company_a):
    other = StakeholderFactory(customer=company_a, with_login=True)
    client.force_login(other.user)
    content = client.get(reverse("client_outcomes:guarantee", args=[failed.pk])).content.decode()
    assert "Your company's approvers and executives can open a claim" in content


def test_staff_cannot_open_client_pages(csm_client, failed):
    response = csm_client.get(reverse("client_outcomes:guarantee", args=[failed.pk]))
    assert_not_allowed(response)
    assert "Back to your home page" in visible_text(response)


def test_the_finance_user_needs_no_superuser(client, failed, stakeholder_a):
    from apps.accounts.services import grant_finance

    finance = UserFactory(email="finance@portal.example")
    grant_finance(user=finance)
    claim = _refund(failed, stakeholder_a)
    client.force_login(finance)
    assert client.post(reverse("outcomes:claim_approve", args=[claim.pk])).status_code == 302
    assert Payout.objects.filter(claim=claim).exists()


def test_the_config_admin_lists_the_seeded_criteria(admin_client):
    assert FinalCriterionConfig.objects.count() == 9
    assert admin_client.get(reverse("admin:outcomes_finalcriterionconfig_changelist")).status_code == 200
