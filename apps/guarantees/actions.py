"""Recovery and escalation actions: assigned to a person, with a due date, marked done."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.guarantees import hooks
from apps.guarantees.models import MilestoneAction


@transaction.atomic
def update_action(*, actor: Any, action: MilestoneAction, assignee: Any, due_on: date, status: str) -> MilestoneAction:
    changed = []
    for name, value in (("assignee", assignee), ("due_on", due_on), ("status", status)):
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed.append(name)
    if not changed:
        return action
    if "status" in changed:
        action.done_at = timezone.now() if status == MilestoneAction.Status.DONE else None
        changed.append("done_at")
    action.full_clean()
    action.save(update_fields=changed)
    record_event(
        action="milestone.action_updated",
        obj=action,
        actor=actor,
        customer_id=action.milestone.guarantee.project.customer_id,
        data={"fields": changed, "assignee": getattr(assignee, "email", None), "due_on": due_on, "status": status},
    )
    if "status" in changed and status == MilestoneAction.Status.DONE and action.kind == MilestoneAction.Kind.RECOVERY:
        hooks.support_case_closed("recovery_action", action.pk)
    return action
