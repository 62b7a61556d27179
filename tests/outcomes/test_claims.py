"""Claims: who may open and decide them, each remedy, and every step audited and announced once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.guarantees.models import Guarantee
from apps.notifications.models import OutboxMessage
from apps.outcomes import services
from apps.outcomes.models import Claim, FinalValidation, MigrationTask, Payout, Remedy
from tests.customers.factories import StakeholderFactory, UserFactory
from tests.outcomes.factories import failed_guarantee, finish, set_week_scores, succeeded_guarantee

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(company_a, stakeholder_a):
    return failed_guarantee(customer=company_a)


def _refund(guarantee, actor):
    return services.open_claim(actor=actor, guarantee=guarantee, remedy=Remedy.REFUND, description="Missed targets")


def test_the_customers_executive_opens_a_refund_claim_for_the_guarantee_amount(failed, customer_a):
    claim = _refund(failed, customer_a)
    assert claim.status == Claim.Status.OPENED
    assert claim.amount == failed.amount
    assert claim.opened_via == "client"
    assert claim.validation == FinalValidation.objects.get(guarantee=failed)
    event = AuditEvent.objects.get(action="claim.opened")
    assert event.actor == customer_a
    assert event.data["remedy"] == "refund"


def test_opening_a_refund_claim_tells_the_csm_the_executive_and_finance(failed, customer_a, admin_user, stakeholder_a):
    claim = _refund(failed, customer_a)
    recipients = set(
        OutboxMessage.objects.filter(event_key=f"claim:{claim.pk}:opened").values_list("recipient_key", flat=True)
    )
    assert recipients == {
        f"user:{failed.project.customer.owner_id}",
        f"stakeholder:{stakeholder_a.pk}",
        f"user:{admin_user.pk}",
    }


def test_the_csm_can_open_a_claim_for_the_customer(failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    assert claim.opened_via == "staff"
    assert claim.amount is None


def test_an_approver_who_is_not_an_executive_opens_a_claim(failed, company_a):
    approver = StakeholderFactory(customer=company_a, role="technical_lead", is_approver=True, with_login=True)

    claim = _refund(failed, approver.user)

    assert (claim.opened_by, claim.opened_via, claim.status) == (approver.user, "client", "opened")


def test_a_stakeholder_who_is_neither_approver_nor_executive_cannot_open_a_claim(failed, company_a):
    other = StakeholderFactory(customer=company_a, with_login=True)
    with pytest.raises(PermissionDenied):
        _refund(failed, other.user)


def test_another_companys_executive_cannot_open_a_claim(failed, customer_b):
    with pytest.raises(PermissionDenied):
        _refund(failed, customer_b)


def test_a_succeeded_guarantee_cannot_be_claimed(company_a, csm):
    guarantee = succeeded_guarantee(customer=company_a)
    with pytest.raises(ValidationError, match="not claim eligible"):
        _refund(guarantee, csm)


def test_a_second_live_claim_on_the_same_guarantee_is_refused(failed, customer_a, csm):
    _refund(failed, customer_a)
    with pytest.raises(ValidationError, match="already open"):
        services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    assert Claim.objects.count() == 1


def test_after_a_rejection_a_new_claim_can_be_opened(failed, customer_a, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    services.reject_claim(actor=csm, claim=claim, reason="Customer chose a refund instead")
    assert _refund(failed, customer_a).status == Claim.Status.OPENED


def test_a_refund_cannot_be_approved_without_the_finance_permission(failed, customer_a, csm):
    claim = _refund(failed, customer_a)
    with pytest.raises(PermissionDenied):
        services.approve_claim(actor=csm, claim=claim)
    with pytest.raises(PermissionDenied):
        services.reject_claim(actor=csm, claim=claim, reason="no")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.OPENED
    assert not Payout.objects.exists()


def test_a_finance_user_approves_a_refund_and_a_payout_awaits_the_transfer(failed, customer_a, admin_user):
    claim = _refund(failed, customer_a)
    services.start_review(actor=admin_user, claim=claim)
    services.approve_claim(actor=admin_user, claim=claim)
    payout = Payout.objects.get(guarantee=failed)
    assert (payout.status, payout.amount, payout.approved_by) == (Payout.Status.APPROVED, failed.amount, admin_user)
    assert claim.status == Claim.Status.APPROVED
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["claim.review_started", "claim.approved", "payout.approved"]


def test_a_finance_permission_without_superuser_is_enough(failed, customer_a):
    from apps.accounts.services import grant_finance

    finance = UserFactory(email="fin@portal.example")
    grant_finance(user=finance)
    claim = _refund(failed, customer_a)
    services.approve_claim(actor=finance, claim=claim)
    assert Payout.objects.filter(claim=claim).exists()


def _paid(failed, customer_a, admin_user, reference="TRF-2026-0001"):
    claim = _refund(failed, customer_a)
    services.approve_claim(actor=admin_user, claim=claim)
    payout = Payout.objects.get(claim=claim)
    with_commit = services.record_payout(actor=admin_user, payout=payout, reference=reference, amount=failed.amount)
    return claim, with_commit


def test_recording_the_transfer_settles_the_refund_and_marks_the_claim_paid(
    failed, customer_a, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim, payout = _paid(failed, customer_a, admin_user)
    payout.refresh_from_db()
    claim.refresh_from_db()
    assert (payout.status, payout.reference, payout.recorded_by) == (Payout.Status.PAID, "TRF-2026-0001", admin_user)
    assert claim.status == Claim.Status.PAID
    assert OutboxMessage.objects.filter(event_key=f"claim:{claim.pk}:paid").exists()


def test_the_payout_amount_must_equal_the_approved_refund(failed, customer_a, admin_user):
    claim = _refund(failed, customer_a)
    services.approve_claim(actor=admin_user, claim=claim)
    payout = Payout.objects.get(claim=claim)
    with pytest.raises(ValidationError, match="exactly the approved refund"):
        services.record_payout(actor=admin_user, payout=payout, reference="X1", amount=failed.amount - 1)


def test_recording_a_payout_needs_the_finance_permission(failed, customer_a, admin_user, csm):
    claim = _refund(failed, customer_a)
    services.approve_claim(actor=admin_user, claim=claim)
    with pytest.raises(PermissionDenied):
        services.record_payout(actor=csm, payout=Payout.objects.get(claim=claim), reference="X", amount=failed.amount)


def test_the_same_transfer_reference_cannot_pay_two_refunds(company_a, customer_a, admin_user, stakeholder_a):
    first = failed_guarantee(customer=company_a, name="First")
    second = failed_guarantee(customer=company_a, name="Second")
    _paid(first, customer_a, admin_user, reference="TRF-1")
    claim = _refund(second, customer_a)
    services.approve_claim(actor=admin_user, claim=claim)
    with pytest.raises(ValidationError, match="already recorded for another refund"):
        services.record_payout(
            actor=admin_user, payout=Payout.objects.get(claim=claim), reference="TRF-1", amount=second.amount
        )


def test_a_guarantee_refunded_once_cannot_be_refunded_again(failed, customer_a, admin_user, csm):
    claim, _ = _paid(failed, customer_a, admin_user)
    with pytest.raises(ValidationError):
        _refund(failed, customer_a)
    # Even bypassing the services, the database refuses a second refund row for the guarantee.
    other = Claim.objects.create(
        guarantee=failed,
        validation=claim.validation,
        remedy=Remedy.REFUND,
        amount=failed.amount,
        opened_by=csm,
        opened_via="staff",
        status=Claim.Status.REJECTED,
        rejection_reason="test",
        status_changed_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.create(
            guarantee=failed, claim=other, amount=failed.amount, approved_by=admin_user, approved_at=timezone.now()
        )


def test_a_decided_claim_cannot_be_decided_again(failed, customer_a, admin_user):
    claim = _refund(failed, customer_a)
    services.approve_claim(actor=admin_user, claim=claim)
    stale = Claim.objects.get(pk=claim.pk)
    stale.status = Claim.Status.OPENED  # a second tab still showing the claim as open
    with pytest.raises(ValidationError, match="already approved"):
        services.reject_claim(actor=admin_user, claim=stale, reason="too late")
    with pytest.raises(ValidationError, match="already approved"):
        services.approve_claim(actor=admin_user, claim=stale)
    assert Payout.objects.count() == 1


def test_a_rejection_needs_a_reason_and_is_told_to_the_customer(failed, customer_a, admin_user, stakeholder_a):
    claim = _refund(failed, customer_a)
    with pytest.raises(ValidationError, match="needs a reason"):
        services.reject_claim(actor=admin_user, claim=claim, reason="  ")
    services.reject_claim(actor=admin_user, claim=claim, reason="Targets were met after re-measurement")
    assert claim.status == Claim.Status.REJECTED
    assert OutboxMessage.objects.filter(
        event_key=f"claim:{claim.pk}:rejected", recipient_key=f"stakeholder:{stakeholder_a.pk}"
    ).exists()


def test_continued_development_extends_the_guarantee_by_two_weeks_from_the_template(failed, csm):
    old_end = failed.ends_on
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.CONTINUED_DEVELOPMENT)
    services.approve_claim(actor=csm, claim=claim)
    failed.refresh_from_db()
    assert claim.status == Claim.Status.FULFILLED
    assert failed.status == Guarantee.Status.ACTIVE
    weeks = list(failed.milestones.order_by("week").values_list("week", "title"))
    assert [w for w, _ in weeks] == [1, 2, 3, 4, 5, 6]
    assert weeks[4][1] == weeks[2][1]
    assert weeks[5][1] == weeks[3][1]
    new = failed.milestones.get(week=6)
    assert new.criteria.count() == failed.milestones.get(week=4).criteria.count()
    # DOMAIN: the end date moves exactly 14 days later; the two new weeks fall due 7 and 14 days after the old end.
    assert failed.ends_on == old_end + timedelta(days=14)
    assert [failed.milestones.get(week=n).due_date for n in (5, 6)] == [old_end + timedelta(days=7), failed.ends_on]
    assert [m.guarantee_round for m in failed.milestones.order_by("week")] == [1, 1, 1, 1, 2, 2]
    assert AuditEvent.objects.filter(action="guarantee.extended", object_id=str(failed.pk)).exists()


def test_an_extended_guarantee_gets_a_second_final_validation_round(failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.CONTINUED_DEVELOPMENT)
    services.approve_claim(actor=csm, claim=claim)
    failed.refresh_from_db()
    set_week_scores(failed, [60, 55, 50, 40, 99, 97])
    second = finish(failed)
    assert second.round == 2
    assert FinalValidation.objects.filter(guarantee=failed).count() == 2
    # The extension round's "weekly milestones" counts only its own weeks 5 and 6: (99 + 97) / 2 = 98.
    # The others take the latest figures: coverage 70 (recorded in round 1) and the survey mean 6.
    parts = {p["key"]: p for p in second.criteria}
    assert D(parts["weekly-milestones"]["actual"]) == D(98)
    assert [w["week"] for w in parts["weekly-milestones"]["evidence"]["weeks"]] == [5, 6]


def test_migration_assistance_is_a_tracked_task_list_fulfilled_when_every_step_is_done(failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    services.approve_claim(actor=csm, claim=claim)
    tasks = list(MigrationTask.objects.filter(claim=claim).order_by("position"))
    assert len(tasks) == 6
    assert tasks[0].assignee == failed.project.customer.owner
    for task in tasks[:-1]:
        services.complete_migration_task(actor=csm, task=task)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    services.complete_migration_task(actor=csm, task=tasks[-1])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FULFILLED
    with pytest.raises(ValidationError):
        services.complete_migration_task(actor=csm, task=tasks[0])


def test_every_claim_transition_writes_its_audit_event(failed, csm):
    claim = services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    services.start_review(actor=csm, claim=claim)
    services.approve_claim(actor=csm, claim=claim)
    for task in claim.tasks.all():
        services.complete_migration_task(actor=csm, task=task)
    actions = list(
        AuditEvent.objects.filter(object_type="outcomes.claim", object_id=str(claim.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["claim.opened", "claim.review_started", "claim.approved", "claim.fulfilled"]


def test_the_amount_claimed_is_the_guarantee_amount_even_when_the_price_was_higher(company_a, customer_a):
    guarantee = failed_guarantee(customer=company_a, price=D("200000"), guarantee_amount=D("150000"))
    assert _refund(guarantee, customer_a).amount == D("150000")
