"""What a CSM records (touchpoints, reviews, task progress) and what the client view records (activity)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers.models import Customer, Stakeholder
from apps.retention.health import schedule_health
from apps.retention.models import Activity, Review, Task, Touchpoint
from apps.retention.playbooks import finish_run_if_done
from apps.retention.registry import EXPANSION_SIGNALS, FEATURES

FEATURE_KEYS = {key for key, _ in FEATURES}
SIGNAL_KEYS = {key for key, _ in EXPANSION_SIGNALS}


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "This date is in the future."})


@transaction.atomic
def log_touchpoint(
    *, actor: Any, customer: Customer, kind: str, occurred_on: date, stakeholders: Sequence[Stakeholder], note: str
) -> Touchpoint:
    _not_future(occurred_on, "occurred_on")
    if any(s.customer_id != customer.pk for s in stakeholders):
        raise ValidationError({"stakeholders": "Every stakeholder must belong to this customer."})
    touchpoint = Touchpoint(customer=customer, kind=kind, occurred_on=occurred_on, note=note.strip(), logged_by=actor)
    touchpoint.full_clean()
    touchpoint.save()
    touchpoint.stakeholders.set(stakeholders)
    record_event(
        action="touchpoint.logged",
        obj=touchpoint,
        actor=actor,
        customer_id=customer.pk,
        data={"kind": kind, "occurred_on": occurred_on.isoformat(), "stakeholders": [s.pk for s in stakeholders]},
    )
    schedule_health(customer.pk)
    return touchpoint


@transaction.atomic
def record_review(
    *,
    actor: Any,
    customer: Customer,
    reviewed_on: date,
    sentiment: int,
    roi_achieved: Decimal | None,
    business_impact: Decimal | None,
    goals_met: Decimal | None,
    expansion_signals: Sequence[str],
    note: str = "",
) -> Review:
    _not_future(reviewed_on, "reviewed_on")
    unknown = set(expansion_signals) - SIGNAL_KEYS
    if unknown:
        raise ValidationError({"expansion_signals": f"Unknown signal(s): {', '.join(sorted(unknown))}."})
    review = Review(
        customer=customer,
        reviewed_on=reviewed_on,
        sentiment=sentiment,
        roi_achieved=roi_achieved,
        business_impact=business_impact,
        goals_met=goals_met,
        expansion_signals=sorted(set(expansion_signals)),
        note=note.strip(),
        recorded_by=actor,
    )
    review.full_clean()
    review.save()
    record_event(
        action="review.recorded",
        obj=review,
        actor=actor,
        customer_id=customer.pk,
        data={
            "sentiment": sentiment,
            "roi_achieved": roi_achieved,
            "business_impact": business_impact,
            "goals_met": goals_met,
            "signals": review.expansion_signals,
        },
    )
    schedule_health(customer.pk)
    return review


@transaction.atomic
def close_task(*, actor: Any, task: Task, status: str, note: str = "") -> Task:
    """Mark a task done or dropped, once: a conditional update, so a double click changes nothing twice.

    A playbook task dropped needs a note saying why; the run closes when its last open task closes.
    """
    if status not in (Task.Status.DONE, Task.Status.DROPPED):
        raise ValidationError({"status": "A task is closed as done or dropped."})
    note = note.strip()
    if task.run_id and status == Task.Status.DROPPED and not note:
        raise ValidationError({"note": "Say why the playbook task is dropped."})
    now = timezone.now()
    closer = actor if getattr(actor, "is_authenticated", False) else None
    moved = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
        status=status, closed_at=now, close_note=note, closed_by=closer
    )
    if moved:
        task.status, task.closed_at, task.close_note = status, now, note
        action = "playbook.task_closed" if task.run_id else "task.closed"
        data = {"status": status, "note": note} if note else {"status": status}
        record_event(action=action, obj=task, actor=actor, customer_id=task.customer_id, data=data)
        if task.run_id:
            finish_run_if_done(run_id=task.run_id, actor=actor)
    return task


def record_activity(*, stakeholder_id: int, customer_id: int, feature: str, day: date) -> None:
    """One row per stakeholder, day and feature: INSERT ... ON CONFLICT DO NOTHING (no read, no race)."""
    if feature not in FEATURE_KEYS:
        raise ValueError(f"Unknown client-view feature {feature!r}.")
    Activity.objects.bulk_create(
        [Activity(stakeholder_id=stakeholder_id, customer_id=customer_id, day=day, feature=feature)],
        ignore_conflicts=True,
    )
