"""Reminders: approvers of weeks awaiting sign-off, and the CSM of weeks still missing evidence.

Each reminder is an outbox row keyed by milestone, round and moment, so running this any number of times a day
sends each one once. Moments: `before` (from N days before due), `due` (from the due date), `after` (from M days
after); a moment missed while the scheduler was down is still sent once, late rather than never.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from apps.customers.models import Stakeholder
from apps.guarantees.models import Guarantee, MethodSettings, Milestone, SignOff
from apps.guarantees.notify import client_url, staff_url
from apps.notifications.services import notify_stakeholder, notify_user

RUNNING = [Guarantee.Status.ACTIVE, Guarantee.Status.AT_RISK, Guarantee.Status.FAILED_WEEK]


def moment(due: date, today: date, days_before: int, days_after: int) -> str | None:
    """Which reminder is due today for a week due on `due`, if any."""
    if today >= due + timedelta(days=days_after):
        return "after"
    if today >= due:
        return "due"
    if today >= due - timedelta(days=days_before):
        return "before"
    return None


def send_due_reminders(*, today: date) -> int:
    """Queue every reminder due today; returns how many milestones were considered."""
    config = MethodSettings.load()
    horizon = today + timedelta(days=config.reminder_days_before)
    milestones = (
        Milestone.objects.filter(guarantee__status__in=RUNNING, due_date__lte=horizon)
        .filter(Q(review=Milestone.Review.AWAITING_SIGN_OFF) | Q(review=Milestone.Review.OPEN))
        .select_related("guarantee__project__customer__owner")
        .prefetch_related("criteria")
    )
    count = 0
    for milestone in milestones:
        when = moment(milestone.due_date, today, config.reminder_days_before, config.reminder_days_after)
        if when is None:
            continue
        count += 1
        if milestone.review == Milestone.Review.AWAITING_SIGN_OFF:
            _remind_approvers(milestone, when)
        else:
            _remind_csm(milestone, when)
    return count


def _remind_approvers(milestone: Milestone, when: str) -> None:
    decided = SignOff.objects.filter(milestone=milestone, round=milestone.round).values_list("stakeholder_id")
    waiting = Stakeholder.objects.filter(pk__in=milestone.required_approvers).exclude(pk__in=decided)
    wording = {"before": "is due tomorrow", "due": "is due today", "after": "is overdue"}[when]
    for approver in waiting:
        notify_stakeholder(
            event_key=f"milestone:{milestone.pk}:r{milestone.round}:reminder:{when}",
            stakeholder=approver,
            subject=f"Reminder: week {milestone.week} sign-off {wording}",
            url=client_url(milestone),
            body=f"{milestone.title} (due {milestone.due_date:%d %b %Y}) is waiting for your approval or rejection.",
        )


def _remind_csm(milestone: Milestone, when: str) -> None:
    missing = [c.name for c in milestone.criteria.all() if c.latest_evidence_id is None]
    if not missing:
        return
    customer = milestone.guarantee.project.customer
    notify_user(
        event_key=f"milestone:{milestone.pk}:r{milestone.round}:missing_evidence:{when}",
        user=customer.owner,
        subject=f"{customer.name}: week {milestone.week} is missing evidence",
        url=staff_url(milestone),
        customer_id=customer.pk,
        body=f"{milestone.title} is due {milestone.due_date:%d %b %Y}. No evidence yet for: {', '.join(missing)}.",
    )
