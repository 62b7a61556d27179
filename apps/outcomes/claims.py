"""Claims: opened by the customer's approver or executive (or the CSM for them), reviewed, approved or rejected,
then fulfilled or paid.

Every state change is one conditional UPDATE (WHERE status IN the states it may leave): of two clicks, two tabs or
two workers exactly one moves the claim, the other is told it already moved. Each change writes its audit event in
the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.core.access import is_finance_user, is_staff_user
from apps.core.labels import format_money
from apps.customers.models import Stakeholder
from apps.guarantees import hooks
from apps.guarantees.models import Guarantee
from apps.guarantees.services import extend_guarantee
from apps.notifications import events as webhook_events
from apps.outcomes import notify, selectors
from apps.outcomes.models import (
    Claim,
    FinalValidation,
    MigrationTask,
    MigrationTaskTemplate,
    OutcomeSettings,
    Payout,
    Remedy,
)

S = Claim.Status
UNDECIDED = (S.OPENED, S.UNDER_REVIEW)
CLOSED = (S.REJECTED, S.FULFILLED, S.PAID)


def can_open_claim(user: Any, guarantee: Guarantee) -> bool:
    """An approver or executive of the guarantee's customer in the client view, or the CSM team on their behalf."""
    if is_staff_user(user):
        return True
    stakeholder = user.client_stakeholder if user.is_authenticated else None
    return bool(
        stakeholder
        and stakeholder.customer_id == guarantee.project.customer_id
        and (stakeholder.role == Stakeholder.Role.EXECUTIVE or stakeholder.is_approver)
    )


def can_decide(user: Any, claim: Claim) -> bool:
    """A refund is decided by finance (accounts.approve_refunds); the other remedies by the CSM team."""
    return is_finance_user(user) if claim.is_refund else is_staff_user(user)


def claimable_validation(guarantee: Guarantee) -> FinalValidation | None:
    """The decided round a claim would be made on, when the guarantee is claim eligible."""
    if guarantee.status != Guarantee.Status.CLAIM_ELIGIBLE:
        return None
    return FinalValidation.objects.filter(
        guarantee=guarantee, round=selectors.current_round(guarantee), outcome=FinalValidation.Outcome.CLAIM_ELIGIBLE
    ).first()


@transaction.atomic
def open_claim(*, actor: Any, guarantee: Guarantee, remedy: str, description: str = "") -> Claim:
    """Open a claim on a claim-eligible guarantee.

    1. Only the customer's approver or executive (or the CSM team on their behalf); only a claim-eligible guarantee;
       a refund only once ever.
    2. Insert it; the partial unique constraint turns a second live claim on the round into a refusal.
    3. Audit, and tell the CSM, the customer's executives and (for a refund) finance.
    """
    if not can_open_claim(actor, guarantee):
        raise PermissionDenied("Only the customer's approvers and executives (or the CSM for them) can open a claim.")
    validation = claimable_validation(guarantee)
    if validation is None:
        raise ValidationError("This guarantee is not claim eligible.")
    if remedy not in Remedy.values:
        raise ValidationError("Choose a remedy.")
    if remedy == Remedy.REFUND and Payout.objects.filter(guarantee=guarantee).exists():
        raise ValidationError("This guarantee has already been refunded.")
    claim = Claim(
        guarantee=guarantee,
        validation=validation,
        remedy=remedy,
        description=description.strip(),
        amount=guarantee.amount if remedy == Remedy.REFUND else None,
        opened_by=actor,
        opened_via="staff" if actor.is_staff else "client",
        status_changed_at=timezone.now(),
    )
    claim.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError:
        raise ValidationError("A claim is already open on this guarantee.") from None
    _event("claim.opened", claim, actor, remedy=remedy, amount=claim.amount, via=claim.opened_via)
    _notify(claim, "opened", f"A claim was opened: {claim.get_remedy_display()}.")
    if claim.is_refund:
        customer = guarantee.project.customer
        notify.to_finance(
            event_key=f"claim:{claim.pk}:opened",
            customer=customer,
            url=notify.staff_url("claim", claim.pk),
            subject=f"{customer.name}: refund claim of {format_money(claim.amount)} to review",
            body="A refund claim needs a decision by someone with the refund-approval permission.",
        )
    return claim


def _move(claim: Claim, from_statuses: tuple[str, ...], to_status: str, **fields: Any) -> bool:
    """The conditional update every change goes through; True when this call moved the claim."""
    now = timezone.now()
    moved = Claim.objects.filter(pk=claim.pk, status__in=from_statuses).update(
        status=to_status, status_changed_at=now, **fields
    )
    if moved:
        claim.status, claim.status_changed_at = to_status, now
        for name, value in fields.items():
            setattr(claim, name, value)
    else:
        claim.refresh_from_db()
    return bool(moved)


def _already(claim: Claim) -> ValidationError:
    return ValidationError(f"This claim is already {claim.get_status_display().lower()}; nothing was changed.")


@transaction.atomic
def start_review(*, actor: Any, claim: Claim) -> Claim:
    if not is_staff_user(actor):
        raise PermissionDenied("Only the CSM team reviews claims.")
    if not _move(claim, (S.OPENED,), S.UNDER_REVIEW, review_started_by=actor, review_started_at=timezone.now()):
        raise _already(claim)
    _event("claim.review_started", claim, actor)
    _notify(claim, "under_review", "Your claim is under review.", staff_text="The claim is under review.")
    return claim


@transaction.atomic
def approve_claim(*, actor: Any, claim: Claim) -> Claim:
    """Approve a claim and set its remedy going.

    Refund: needs accounts.approve_refunds; a Payout row is created, unique per guarantee in the database.
    Continued development: the guarantee is extended and the claim fulfilled. Migration assistance: the task list.
    """
    if not can_decide(actor, claim):
        raise PermissionDenied("Approving a refund needs the refund-approval permission.")
    now = timezone.now()
    if not _move(claim, UNDECIDED, S.APPROVED, decided_by=actor, decided_at=now):
        raise _already(claim)
    _event("claim.approved", claim, actor, remedy=claim.remedy, amount=claim.amount)
    if claim.remedy == Remedy.REFUND:
        _create_payout(claim, actor, now)
    elif claim.remedy == Remedy.CONTINUED_DEVELOPMENT:
        _extend(claim, actor)
    else:
        _create_tasks(claim)
    if claim.status == S.APPROVED:
        remedy = claim.get_remedy_display()
        for_csm = f"The claim was approved: {remedy}."
        _notify(claim, "approved", f"Your claim was approved: {remedy}.", staff_text=for_csm)
    return claim


def _create_payout(claim: Claim, actor: Any, now: Any) -> Payout:
    payout = Payout(
        guarantee_id=claim.guarantee_id, claim=claim, amount=claim.amount, approved_by=actor, approved_at=now
    )
    try:
        with transaction.atomic():
            payout.save(force_insert=True)
    except IntegrityError:
        # The database's one-refund-per-guarantee constraint: the whole approval rolls back.
        raise ValidationError("This guarantee already has a refund; a second one cannot be approved.") from None
    record_event(
        action="payout.approved",
        obj=payout,
        actor=actor,
        customer_id=_customer_id(claim),
        data={"claim_id": claim.pk, "guarantee_id": claim.guarantee_id, "amount": payout.amount},
    )
    return payout


def _extend(claim: Claim, actor: Any) -> None:
    weeks = OutcomeSettings.load().extension_weeks
    guarantee = Guarantee.objects.select_related("project__customer").get(pk=claim.guarantee_id)
    created = extend_guarantee(
        guarantee=guarantee, actor=actor, weeks=weeks, reason=f"Continued development (claim #{claim.pk})."
    )
    if not _move(claim, (S.APPROVED,), S.FULFILLED, completed_at=timezone.now()):
        raise _already(claim)
    _event("claim.fulfilled", claim, actor, weeks=[m.week for m in created], ends_on=guarantee.ends_on)
    _notify(claim, "fulfilled", f"Continued development approved: {weeks} more weeks, until {guarantee.ends_on}.")


def _create_tasks(claim: Claim) -> None:
    today = timezone.localdate()
    owner = claim.guarantee.project.customer.owner
    templates = list(MigrationTaskTemplate.objects.all())
    if not templates:
        raise ValidationError("No migration-assistance steps are configured; add them in the admin.")
    MigrationTask.objects.bulk_create(
        MigrationTask(
            claim=claim,
            position=i,
            title=t.title,
            detail=t.detail,
            assignee=owner,
            due_on=today + timedelta(days=t.due_days),
        )
        for i, t in enumerate(templates, 1)
    )


@transaction.atomic
def reject_claim(*, actor: Any, claim: Claim, reason: str) -> Claim:
    if not can_decide(actor, claim):
        raise PermissionDenied("Deciding a refund needs the refund-approval permission.")
    if not reason.strip():
        raise ValidationError("A rejection needs a reason.")
    fields = {"decided_by": actor, "decided_at": timezone.now(), "rejection_reason": reason.strip()}
    if not _move(claim, UNDECIDED, S.REJECTED, **fields):
        raise _already(claim)
    _event("claim.rejected", claim, actor, reason=claim.rejection_reason)
    reason = claim.rejection_reason
    for_csm = f"The claim was rejected. Reason: {reason}"
    _notify(claim, "rejected", f"Your claim was rejected. Reason: {reason}", staff_text=for_csm)
    return claim


@transaction.atomic
def complete_migration_task(*, actor: Any, task: MigrationTask) -> MigrationTask:
    """Mark one step done; the last one fulfils the claim. A second click changes nothing."""
    if not is_staff_user(actor):
        raise PermissionDenied("Only the CSM team tracks migration assistance.")
    claim = task.claim
    if claim.status != S.APPROVED:
        raise ValidationError("The claim is not in progress.")
    now = timezone.now()
    if not MigrationTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now, done_by=actor):
        raise ValidationError("This step is already done.")
    task.done_at, task.done_by = now, actor
    record_event(
        action="migration_task.done",
        obj=task,
        actor=actor,
        customer_id=_customer_id(claim),
        data={"claim_id": claim.pk, "title": task.title},
    )
    if not claim.tasks.filter(done_at__isnull=True).exists() and _move(
        claim, (S.APPROVED,), S.FULFILLED, completed_at=now
    ):
        _event("claim.fulfilled", claim, actor, steps=claim.tasks.count())
        _notify(claim, "fulfilled", "Migration assistance is complete: every step is done.")
    return task


def _customer_id(claim: Claim) -> int:
    return claim.guarantee.project.customer_id


def _event(action: str, claim: Claim, actor: Any, **data: Any) -> None:
    record_event(
        action=action,
        obj=claim,
        actor=actor,
        customer_id=_customer_id(claim),
        data={"guarantee_id": claim.guarantee_id, "status": claim.status, **data},
    )
    webhook_events.claim_status_changed(claim, _customer_id(claim))
    hooks.customer_changed(_customer_id(claim))
    if claim.status in CLOSED:
        hooks.support_case_closed("claim", claim.pk)


def _notify(claim: Claim, step: str, text: str, *, staff_text: str = "") -> None:
    """`text` is written for the customer; `staff_text` for their CSM, when the customer's wording would not fit."""
    customer = claim.guarantee.project.customer
    subject = f"{customer.name}: claim #{claim.pk} ({claim.get_remedy_display()}) {step.replace('_', ' ')}"
    notify.to_csm_and_customer(
        event_key=f"claim:{claim.pk}:{step}",
        customer=customer,
        subject=subject,
        staff_body=staff_text or text,
        client_body=text,
        staff_link=notify.staff_url("claim", claim.pk),
        client_link=notify.client_url("claim", claim.pk),
    )
