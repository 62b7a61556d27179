"""Background work of the guarantee: thin functions that take ids and call one service."""

from __future__ import annotations

from django.utils import timezone

from apps.guarantees.models import Milestone
from apps.guarantees.reminders import RUNNING, send_due_reminders
from apps.guarantees.validation import validate_milestone as _validate


def validate_milestone(milestone_id: int) -> str | None:
    result = _validate(milestone_id=milestone_id)
    return None if result is None else result.status.value


def run_guarantee_routine() -> int:
    """Hourly: score weeks whose due date passed without full evidence, then queue the reminders due today."""
    today = timezone.localdate()
    overdue = Milestone.objects.filter(
        guarantee__status__in=RUNNING,
        review=Milestone.Review.OPEN,
        status=Milestone.Status.PENDING,
        due_date__lt=today,
    ).values_list("pk", flat=True)
    for milestone_id in list(overdue):
        _validate(milestone_id=milestone_id, as_of=today)
    return send_due_reminders(today=today)
