"""The webhook events other apps emit, each with one line in the service that makes the change.

Each function builds the event's `data` from the changed object (read by attribute, so this module imports no other
app's models) and queues it for the company's endpoints inside the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from apps.notifications.models import WebhookEventType as T
from apps.notifications.webhooks import emit_event


def _stamp() -> str:
    return str(int(timezone.now().timestamp() * 1_000_000))


def milestone_status_changed(milestone: Any, previous: str) -> None:
    guarantee = milestone.guarantee
    data = {
        "milestone_id": milestone.pk,
        "guarantee_id": guarantee.pk,
        "project_id": guarantee.project_id,
        "week": milestone.week,
        "title": milestone.title,
        "from": previous,
        "to": milestone.status,
        "score": milestone.score,
        "round": milestone.round,
    }
    emit_event(
        event_type=T.MILESTONE_STATUS_CHANGED,
        customer_id=guarantee.project.customer_id,
        key=f"{milestone.pk}:{_stamp()}",
        data=data,
    )


def milestone_signed_off(milestone: Any) -> None:
    guarantee = milestone.guarantee
    data = {
        "milestone_id": milestone.pk,
        "guarantee_id": guarantee.pk,
        "project_id": guarantee.project_id,
        "week": milestone.week,
        "title": milestone.title,
        "score": milestone.score,
        "status": milestone.status,
        "round": milestone.round,
        "closed_at": milestone.closed_at,
    }
    emit_event(
        event_type=T.MILESTONE_SIGNED_OFF,
        customer_id=guarantee.project.customer_id,
        key=f"{milestone.pk}:r{milestone.round}",
        data=data,
    )


def guarantee_status_changed(guarantee: Any, previous: str) -> None:
    data = {"guarantee_id": guarantee.pk, "project_id": guarantee.project_id, "from": previous, "to": guarantee.status}
    emit_event(
        event_type=T.GUARANTEE_STATUS_CHANGED,
        customer_id=guarantee.project.customer_id,
        key=f"{guarantee.pk}:{_stamp()}",
        data=data,
    )


def claim_status_changed(claim: Any, customer_id: int) -> None:
    data = {
        "claim_id": claim.pk,
        "guarantee_id": claim.guarantee_id,
        "status": claim.status,
        "remedy": claim.remedy,
        "amount": claim.amount,
    }
    emit_event(event_type=T.CLAIM_STATUS_CHANGED, customer_id=customer_id, key=f"{claim.pk}:{claim.status}", data=data)


def survey_answered(evidence: Any, stakeholder: Any) -> None:
    criterion = evidence.criterion
    data = {
        "milestone_id": criterion.milestone_id,
        "criterion": criterion.key,
        "stakeholder_id": stakeholder.pk,
        "score": evidence.score,
        "answers": evidence.data,
    }
    emit_event(event_type=T.SURVEY_ANSWERED, customer_id=stakeholder.customer_id, key=f"{evidence.pk}", data=data)
