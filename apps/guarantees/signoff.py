"""Staff validation hands a week to the approvers; their decisions close it or reopen it. Weeks close in order."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.customers.models import Stakeholder
from apps.guarantees import hooks
from apps.guarantees.models import Milestone, SignOff
from apps.guarantees.notify import client_url, staff_url
from apps.guarantees.recording import ensure_open, lock_milestone
from apps.guarantees.scoring import can_sign_off
from apps.guarantees.validation import digest_of
from apps.notifications import events as webhook_events
from apps.notifications.services import notify_stakeholder, notify_user, resolve_requests


def eligible_approvers(milestone: Milestone) -> list[Stakeholder]:
    """Approvers of the customer who can sign in to the client view."""
    approvers = Stakeholder.objects.filter(
        customer_id=milestone.guarantee.project.customer_id, is_approver=True, user__is_active=True
    ).select_related("user")
    return [s for s in approvers if s.has_client_login]


@transaction.atomic
def submit_for_sign_off(*, actor: Any, milestone: Milestone) -> Milestone:
    """The CSM's validation: the week is scored and goes to every approver with a login for their decision."""
    milestone = lock_milestone(milestone.pk)
    ensure_open(milestone)
    if milestone.status == Milestone.Status.PENDING:
        raise ValidationError(f"Week {milestone.week} is still waiting for evidence; it cannot be validated yet.")
    approvers = eligible_approvers(milestone)
    if not approvers:
        raise ValidationError("No approver of this customer has a client-view login: invite one first.")
    milestone.review = Milestone.Review.AWAITING_SIGN_OFF
    milestone.required_approvers = [s.pk for s in approvers]
    milestone.submitted_at = timezone.now()
    milestone.save(update_fields=["review", "required_approvers", "submitted_at"])
    record_event(
        action="milestone.submitted_for_sign_off",
        obj=milestone,
        actor=actor,
        customer_id=_customer_id(milestone),
        data={
            "round": milestone.round,
            "score": milestone.score,
            "status": milestone.status,
            "approvers": milestone.required_approvers,
            "evidence_digest": digest_of(milestone),
        },
    )
    for approver in approvers:
        notify_stakeholder(
            event_key=_request_key(milestone, milestone.round),
            stakeholder=approver,
            subject=f"Please review week {milestone.week}: {milestone.title}",
            url=client_url(milestone),
            body=f"Week {milestone.week} scored {milestone.score}. Please review the evidence and approve or reject.",
        )
    return milestone


@transaction.atomic
def withdraw_from_sign_off(*, actor: Any, milestone: Milestone, reason: str) -> Milestone:
    """The CSM takes a week back (to correct evidence); the round ends and a new one starts."""
    milestone = lock_milestone(milestone.pk)
    if milestone.review != Milestone.Review.AWAITING_SIGN_OFF:
        raise ValidationError(f"Week {milestone.week} is not awaiting sign-off.")
    if not reason.strip():
        raise ValidationError("Say why the week is taken back.")
    _reopen(milestone, actor=actor, action="milestone.withdrawn", reason=reason)
    return milestone


@transaction.atomic
def record_signoff(
    *, user: Any, milestone_id: int, decision: str, reason: str, digest_seen: str, ip: str | None, user_agent: str
) -> SignOff:
    """Record an approver's decision on the current round.

    1. Lock the milestone row, so racing decisions run one after the other and the last approval sees the others.
    2. Check: awaiting sign-off, an approver asked for this round, earlier weeks closed, a reason for a rejection,
       and the evidence unchanged since the approver opened it (the digest they saw is the digest stored).
    3. Insert the decision; the unique constraint turns a duplicate into a refusal, never a second row.
    4. A rejection reopens the week; the last required approval closes it.
    """
    milestone = lock_milestone(milestone_id)
    stakeholder = user.client_stakeholder
    _check_decision(milestone, stakeholder, decision, reason, digest_seen)
    try:
        with transaction.atomic():
            signoff = SignOff.objects.create(
                milestone=milestone,
                round=milestone.round,
                stakeholder=stakeholder,
                user=user,
                decision=decision,
                reason=reason.strip(),
                evidence_digest=digest_seen,
                ip=ip or None,
                user_agent=user_agent[:400],
            )
    except IntegrityError:
        raise ValidationError("You have already decided on this round of the week.") from None
    record_event(
        action=f"milestone.sign_off_{decision}",
        obj=milestone,
        actor=user,
        customer_id=_customer_id(milestone),
        data={
            "round": milestone.round,
            "stakeholder_id": stakeholder.pk,
            "reason": signoff.reason,
            "evidence_digest": digest_seen,
            "signoff_id": signoff.pk,
        },
    )
    # This approver's "Please review week N" is done; a rejection ends the round and with it everyone's request.
    resolve_requests(event_key=_request_key(milestone, milestone.round), user_ids=[user.pk])
    if decision == SignOff.Decision.REJECTED:
        _reopen(milestone, actor=user, action="milestone.reopened", reason=signoff.reason)
    elif _all_approved(milestone):
        close_week(milestone=milestone, actor=user)
    return signoff


def previous_weeks_closed(milestone: Milestone) -> bool:
    earlier = Milestone.objects.filter(guarantee_id=milestone.guarantee_id, week__lt=milestone.week)
    return not earlier.exclude(review=Milestone.Review.CLOSED).exists()


def _check_decision(milestone: Milestone, stakeholder: Any, decision: str, reason: str, digest_seen: str) -> None:
    if stakeholder is None or stakeholder.customer_id != _customer_id(milestone) or not stakeholder.is_approver:
        raise ValidationError("Only the customer's approvers can sign off a week.")
    if decision not in SignOff.Decision.values:
        raise ValidationError("Choose approve or reject.")
    if milestone.review != Milestone.Review.AWAITING_SIGN_OFF:
        raise ValidationError(f"Week {milestone.week} is not awaiting sign-off.")
    if stakeholder.pk not in milestone.required_approvers:
        raise ValidationError("You were not among the approvers asked to sign off this round.")
    refusal = can_sign_off(milestone.week, previous_weeks_closed(milestone))
    if refusal:
        raise ValidationError(refusal)
    if decision == SignOff.Decision.REJECTED and not reason.strip():
        raise ValidationError("A rejection needs a reason.")
    if digest_seen != digest_of(milestone):
        raise ValidationError("The evidence changed since you opened this page. Please review it again.")


def _all_approved(milestone: Milestone) -> bool:
    approved = set(
        SignOff.objects.filter(
            milestone=milestone, round=milestone.round, decision=SignOff.Decision.APPROVED
        ).values_list("stakeholder_id", flat=True)
    )
    return set(milestone.required_approvers) <= approved


def _request_key(milestone: Milestone, round_number: int) -> str:
    return f"milestone:{milestone.pk}:r{round_number}:sign_off_requested"


def _reopen(milestone: Milestone, *, actor: Any, action: str, reason: str) -> None:
    ended_round = milestone.round
    resolve_requests(event_key=_request_key(milestone, ended_round))
    milestone.review, milestone.round = Milestone.Review.OPEN, milestone.round + 1
    milestone.required_approvers, milestone.submitted_at = [], None
    milestone.save(update_fields=["review", "round", "required_approvers", "submitted_at"])
    record_event(
        action=action,
        obj=milestone,
        actor=actor,
        customer_id=_customer_id(milestone),
        data={"ended_round": ended_round, "new_round": milestone.round, "reason": reason},
    )
    owner = milestone.guarantee.project.customer.owner
    notify_user(
        event_key=f"milestone:{milestone.pk}:r{ended_round}:reopened",
        user=owner,
        customer_id=_customer_id(milestone),
        subject=f"Week {milestone.week} was reopened",
        url=staff_url(milestone),
        body=f"{milestone.title} is open again (round {milestone.round}). Reason: {reason}",
    )


def close_week(*, milestone: Milestone, actor: Any) -> Milestone:
    """Close a week (validated and signed off). When the last week closes, run the final-week hooks after commit.

    Call it inside the transaction that recorded the last approval, with the milestone row locked.
    """
    milestone.review, milestone.closed_at = Milestone.Review.CLOSED, timezone.now()
    milestone.save(update_fields=["review", "closed_at"])
    record_event(
        action="milestone.closed",
        obj=milestone,
        actor=actor,
        customer_id=_customer_id(milestone),
        data={"round": milestone.round, "score": milestone.score, "status": milestone.status},
    )
    webhook_events.milestone_signed_off(milestone)
    hooks.customer_changed(_customer_id(milestone))
    notify_user(
        event_key=f"milestone:{milestone.pk}:closed",
        user=milestone.guarantee.project.customer.owner,
        subject=f"Week {milestone.week} signed off",
        url=staff_url(milestone),
        customer_id=_customer_id(milestone),
        body=f"{milestone.title} was signed off by every approver with a score of {milestone.score}.",
    )
    guarantee = milestone.guarantee
    if not guarantee.milestones.exclude(review=Milestone.Review.CLOSED).exists():
        record_event(
            action="guarantee.last_week_closed",
            obj=guarantee,
            actor=actor,
            customer_id=_customer_id(milestone),
            data={"week": milestone.week},
        )
        for task in hooks.LAST_WEEK_CLOSED:
            transaction.on_commit(lambda task=task: async_task(task, guarantee.pk))
    return milestone


def _customer_id(milestone: Milestone) -> int:
    return milestone.guarantee.project.customer_id
