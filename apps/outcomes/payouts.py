"""Paying a refund: finance records the transfer (reference and amount), then a task settles it, exactly once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.core.access import is_finance_user
from apps.core.labels import format_money
from apps.guarantees import hooks
from apps.notifications import events as webhook_events
from apps.outcomes import notify
from apps.outcomes.models import Claim, Payout


@transaction.atomic
def record_payout(*, actor: Any, payout: Payout, reference: str, amount: Decimal) -> Payout:
    """Finance records the bank transfer of an approved refund; settlement runs as a task after commit.

    1. Only finance; the amount must be exactly the approved amount; a reference is required and unique.
    2. Conditional update approved -> recorded: a second submit (two clicks, two tabs) is refused, never recorded twice.
    """
    if not is_finance_user(actor):
        raise PermissionDenied("Recording a refund payout needs the refund-approval permission.")
    reference = reference.strip()
    if not reference:
        raise ValidationError("Enter the transfer reference.")
    if amount != payout.amount:
        raise ValidationError(f"The amount must be exactly the approved refund, {format_money(payout.amount)}.")
    now = timezone.now()
    try:
        with transaction.atomic():
            moved = Payout.objects.filter(pk=payout.pk, status=Payout.Status.APPROVED).update(
                status=Payout.Status.RECORDED, reference=reference, recorded_by=actor, recorded_at=now
            )
    except IntegrityError:
        raise ValidationError("That transfer reference is already recorded for another refund.") from None
    if not moved:
        raise ValidationError("This payout is already recorded; nothing was changed.")
    payout.refresh_from_db()
    record_event(
        action="payout.recorded",
        obj=payout,
        actor=actor,
        customer_id=payout.guarantee.project.customer_id,
        data={"claim_id": payout.claim_id, "reference": reference, "amount": payout.amount},
    )
    transaction.on_commit(lambda: async_task("apps.outcomes.tasks.settle_payout", payout.pk))
    return payout


@transaction.atomic
def settle_payout(*, payout_id: int) -> bool:
    """Mark a recorded refund paid and its claim paid; True only for the run that did it (a rerun changes nothing).

    Both moves are conditional updates, so a retried or duplicated task finds nothing left to do.
    """
    now = timezone.now()
    if not Payout.objects.filter(pk=payout_id, status=Payout.Status.RECORDED).update(
        status=Payout.Status.PAID, paid_at=now
    ):
        return False
    payout = Payout.objects.select_related("claim", "guarantee__project__customer__owner").get(pk=payout_id)
    claim = payout.claim
    if not Claim.objects.filter(pk=claim.pk, status=Claim.Status.APPROVED).update(
        status=Claim.Status.PAID, completed_at=now, status_changed_at=now
    ):
        raise ValidationError(f"Claim #{claim.pk} is not approved; the payout was not settled.")
    customer = payout.guarantee.project.customer
    record_event(
        action="payout.paid",
        obj=payout,
        customer_id=customer.pk,
        data={"claim_id": claim.pk, "reference": payout.reference, "amount": payout.amount},
    )
    record_event(
        action="claim.paid",
        obj=claim,
        customer_id=customer.pk,
        data={
            "guarantee_id": payout.guarantee_id,
            "status": Claim.Status.PAID,
            "amount": payout.amount,
            "reference": payout.reference,
        },
    )
    claim.status = Claim.Status.PAID
    webhook_events.claim_status_changed(claim, customer.pk)
    hooks.customer_changed(customer.pk)
    hooks.support_case_closed("claim", claim.pk)
    text = f"The refund of {format_money(payout.amount)} was paid (transfer reference {payout.reference})."
    notify.to_csm_and_customer(
        event_key=f"claim:{claim.pk}:paid",
        customer=customer,
        subject=f"{customer.name}: refund paid",
        staff_body=text,
        client_body=text,
        staff_link=notify.staff_url("claim", claim.pk),
        client_link=notify.client_url("claim", claim.pk),
    )
    return True
