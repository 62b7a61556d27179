"""Milestone validation: recompute the score from the latest evidence, keep the record, act on the status."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.customers.models import Stakeholder
from apps.guarantees import hooks
from apps.guarantees.models import (
    EscalationText,
    Evidence,
    MethodSettings,
    Milestone,
    MilestoneAction,
    MilestoneScore,
    RecoveryText,
)
from apps.guarantees.notify import client_url, staff_url
from apps.guarantees.recording import lock_milestone
from apps.guarantees.scoring import (
    Action,
    ActionText,
    Criterion,
    MilestoneResult,
    MilestoneStatus,
    evidence_digest,
    recovery_actions,
    score_milestone,
)
from apps.guarantees.transitions import sync_guarantee_status
from apps.notifications import events as webhook_events
from apps.notifications.services import notify_stakeholder, notify_user


def current_evidence(milestone: Milestone) -> list[Evidence]:
    return [
        c.latest_evidence
        for c in milestone.criteria.select_related("latest_evidence__criterion")
        if c.latest_evidence is not None
    ]


def digest_of(milestone: Milestone) -> str:
    """SHA-256 of the exact evidence set the milestone stands on now (one version per criterion)."""
    return evidence_digest(evidence.digest_item() for evidence in current_evidence(milestone))


def result_for(milestone: Milestone, *, as_of: date, settings_row: MethodSettings | None = None) -> MilestoneResult:
    settings_row = settings_row or MethodSettings.load()
    criteria = [Criterion(c.key, c.name, c.weight, c.score) for c in milestone.criteria.all()]
    return score_milestone(
        criteria,
        milestone.pass_threshold,
        milestone.escalation_threshold,
        milestone.due_date,
        as_of,
        complete_at=settings_row.complete_at,
    )


@transaction.atomic
def validate_milestone(*, milestone_id: int, as_of: date | None = None) -> MilestoneResult | None:
    """Recompute a milestone; safe to run any number of times (nothing new is stored when nothing changed).

    1. Lock the milestone; a closed week keeps the score it was signed off with.
    2. Score it with the pure rule; store a score record when the score, status or evidence set changed.
    3. On reaching at risk or failed: create recovery (and escalation) actions and notify, once per round.
    4. Bring the guarantee's status in line with its weeks.
    """
    milestone = lock_milestone(milestone_id)
    if milestone.is_closed or milestone.guarantee.is_final:
        return None
    settings_row = MethodSettings.load()
    result = result_for(milestone, as_of=as_of or timezone.localdate(), settings_row=settings_row)
    digest = digest_of(milestone)
    previous = milestone.status
    _store(milestone, result, digest, settings_row)
    if milestone.status != previous:
        webhook_events.milestone_status_changed(milestone, previous)
        hooks.customer_changed(milestone.guarantee.project.customer_id)
    if result.status != previous and result.status in (MilestoneStatus.AT_RISK, MilestoneStatus.FAILED):
        _create_actions(milestone, result, settings_row)
        _notify_status(milestone, result)
    sync_guarantee_status(
        guarantee=milestone.guarantee, actor=None, reason=f"Week {milestone.week} is {result.status.value}."
    )
    return result


def _store(milestone: Milestone, result: MilestoneResult, digest: str, settings_row: MethodSettings) -> None:
    last = milestone.scores.filter(round=milestone.round).first()
    unchanged = last is not None and (last.score, last.status, last.evidence_digest, last.reason) == (
        result.score,
        result.status.value,
        digest,
        result.reason,
    )
    if unchanged:
        return
    MilestoneScore.objects.create(
        milestone=milestone,
        round=milestone.round,
        score=result.score,
        status=result.status.value,
        parts=[
            {
                "key": c.key,
                "name": c.name,
                "weight": str(c.weight),
                "score": None if c.score is None else str(c.score),
                "contribution": str(c.contribution),
                "complete": c.complete,
                "reason": c.reason,
            }
            for c in result.criteria
        ],
        missing=list(result.missing),
        reason=result.reason[:400],
        settings={
            **settings_row.snapshot(),
            "pass_threshold": str(result.pass_threshold),
            "escalation_threshold": str(result.escalation_threshold),
        },
        evidence_digest=digest,
    )
    milestone.status, milestone.score = result.status.value, result.score
    milestone.status_reason, milestone.scored_at = result.reason[:400], timezone.now()
    milestone.save(update_fields=["status", "score", "status_reason", "scored_at"])


def _create_actions(milestone: Milestone, result: MilestoneResult, settings_row: MethodSettings) -> None:
    methods = dict(milestone.criteria.values_list("key", "method"))
    recovery = {t.method: ActionText(t.title, t.detail) for t in RecoveryText.objects.all()}
    escalation = [ActionText(t.title, t.detail) for t in EscalationText.objects.all()]
    actions = recovery_actions(result, methods, recovery, escalation, limit=settings_row.recovery_action_limit)
    due_on = timezone.localdate() + timedelta(days=settings_row.action_due_days)
    owner = milestone.guarantee.project.customer.owner
    # Escalation steps belong to the CSM's team lead when one is set; recovery steps to the CSM.
    lead = owner.team_lead if owner.team_lead_id and owner.team_lead.is_active else owner
    for position, action in enumerate(actions):
        _add_action(milestone, action, position, due_on, owner if action.criterion_key else lead)


def _add_action(milestone: Milestone, action: Action, position: int, due_on: date, owner: Any) -> None:
    kind = MilestoneAction.Kind.RECOVERY if action.criterion_key else MilestoneAction.Kind.ESCALATION
    key = f"{kind}:{action.criterion_key or position}"
    MilestoneAction.objects.get_or_create(
        milestone=milestone,
        round=milestone.round,
        dedupe_key=key,
        defaults={
            "kind": kind,
            "criterion_key": action.criterion_key or "",
            "title": action.title[:250],
            "detail": action.detail,
            "assignee": owner,
            "due_on": due_on,
        },
    )


def escalation_recipients(csm: Any) -> list[Any]:
    """Whom a failed week is escalated to: the CSM's team lead (set in the admin), or the admins when none is set."""
    lead = csm.team_lead
    if lead is not None and lead.is_active and lead.is_staff and lead.pk != csm.pk:
        return [lead]
    return list(get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(pk=csm.pk).order_by("pk"))


def _notify_status(milestone: Milestone, result: MilestoneResult) -> None:
    guarantee = milestone.guarantee
    customer = guarantee.project.customer
    failed = result.status is MilestoneStatus.FAILED
    label = "failed" if failed else "is at risk"
    subject = f"{customer.name}: week {milestone.week} {label} ({result.score})"
    body = f"{milestone.title} scored {result.score}. {result.reason}"
    key = f"milestone:{milestone.pk}:r{milestone.round}:{result.status.value}"
    notify_user(
        event_key=key,
        user=customer.owner,
        subject=subject,
        body=body + " Recovery actions are listed.",
        url=staff_url(milestone),
        customer_id=customer.pk,
        priority=failed,
    )
    if failed:
        for lead in escalation_recipients(customer.owner):
            notify_user(
                event_key=key,
                user=lead,
                subject=f"Escalation: {subject}",
                url=staff_url(milestone),
                customer_id=customer.pk,
                priority=True,
                body=f"{body} {customer.owner.get_full_name()} owns this customer; the week is escalated to you.",
            )
        executives = Stakeholder.objects.filter(customer=customer, role=Stakeholder.Role.EXECUTIVE)
        for executive in executives:
            notify_stakeholder(
                event_key=key,
                stakeholder=executive,
                subject=subject,
                url=client_url(milestone),
                body=body + " Your customer success manager is escalating it.",
                priority=True,
            )
