"""The one place a guarantee's status changes: allowed moves, a conditional update, an audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.guarantees.models import Guarantee, Milestone
from apps.notifications import events as webhook_events

S = Guarantee.Status
# Final validation ends in succeeded or claim eligible; a remedy of continued development re-opens the guarantee.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.ACTIVE: {S.AT_RISK, S.FAILED_WEEK, S.SUCCEEDED, S.CLAIM_ELIGIBLE},
    S.AT_RISK: {S.ACTIVE, S.FAILED_WEEK, S.SUCCEEDED, S.CLAIM_ELIGIBLE},
    S.FAILED_WEEK: {S.ACTIVE, S.AT_RISK, S.SUCCEEDED, S.CLAIM_ELIGIBLE},
    S.SUCCEEDED: set(),
    S.CLAIM_ELIGIBLE: {S.ACTIVE},
}


class StaleStatus(ValidationError):
    """Someone else moved the guarantee first; the caller's view of it is out of date."""


@transaction.atomic
def transition_guarantee(
    *, guarantee: Guarantee, to_status: str, actor: Any, reason: str, data: dict[str, Any] | None = None
) -> bool:
    """Move a guarantee from the status the caller saw to `to_status`. Returns False when it was already there.

    1. Refuse a move the table above does not allow.
    2. Conditional update (WHERE status = the status the caller saw): of two racing callers exactly one moves it.
    3. Record the change as an audit event in the same transaction.
    """
    from_status = guarantee.status
    if to_status == from_status:
        return False
    if to_status not in ALLOWED_TRANSITIONS.get(from_status, set()):
        raise ValidationError(f"A guarantee cannot move from {from_status} to {to_status}.")
    now = timezone.now()
    claimed = Guarantee.objects.filter(pk=guarantee.pk, status=from_status)
    moved = claimed.update(status=to_status, status_changed_at=now)
    if not moved:
        current = Guarantee.objects.values_list("status", flat=True).get(pk=guarantee.pk)
        guarantee.status = current
        if current == to_status:
            return False
        raise StaleStatus(f"The guarantee moved to {current} meanwhile; reload and try again.")
    guarantee.status, guarantee.status_changed_at = to_status, now
    record_event(
        action="guarantee.status_changed",
        obj=guarantee,
        actor=actor,
        customer_id=guarantee.project.customer_id,
        data={"from": from_status, "to": to_status, "reason": reason, **(data or {})},
    )
    webhook_events.guarantee_status_changed(guarantee, from_status)
    return True


def status_from_milestones(statuses: list[str]) -> str:
    """While the guarantee runs, its status follows its weeks: any failed week, else any at risk, else active."""
    if Milestone.Status.FAILED in statuses:
        return S.FAILED_WEEK
    if Milestone.Status.AT_RISK in statuses:
        return S.AT_RISK
    return S.ACTIVE


def sync_guarantee_status(*, guarantee: Guarantee, actor: Any, reason: str) -> bool:
    """Bring a running guarantee's status in line with its weeks; final statuses are left to final validation."""
    if guarantee.is_final:
        return False
    statuses = list(guarantee.milestones.values_list("status", flat=True))
    return transition_guarantee(
        guarantee=guarantee, to_status=status_from_milestones(statuses), actor=actor, reason=reason
    )
