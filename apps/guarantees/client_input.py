"""The customer's voice: each stakeholder's answer (approval, rating, demo confirmation, UAT vote, survey answer).

Every answer is kept per person in the evidence's `contributions` (the latest per stakeholder counts, never replacing
another's); the method's evidence is computed from all of them by `apps.guarantees.responses`, and each change adds a
new evidence version with its score. A CSM may record an answer on a stakeholder's behalf only with a note or an
attached document; the answer then reads "recorded by <CSM> for <stakeholder>" everywhere.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers.models import Stakeholder
from apps.guarantees import responses
from apps.guarantees.models import Evidence, MilestoneCriterion, Participant
from apps.guarantees.notify import client_url
from apps.guarantees.recording import ensure_open, lock_milestone, record_evidence
from apps.notifications import events as webhook_events
from apps.notifications.services import notify_stakeholder


def stakeholder_methods() -> set[str]:
    return set(responses.RESPONSES)


def invited_ids(criterion: MilestoneCriterion) -> set[int]:
    return set(Participant.objects.filter(criterion=criterion).values_list("stakeholder_id", flat=True))


def approver_ids(customer_id: int) -> set[int]:
    return set(Stakeholder.objects.filter(customer_id=customer_id, is_approver=True).values_list("pk", flat=True))


def may_answer(criterion: MilestoneCriterion, stakeholder: Stakeholder) -> bool:
    """Whether this stakeholder's role lets them answer this criterion (approvers; invited participants)."""
    if not responses.is_response_method(criterion.method):
        return False
    return responses.may_answer(
        criterion.method,
        is_approver=stakeholder.is_approver,
        is_invited=Participant.objects.filter(criterion=criterion, stakeholder=stakeholder).exists(),
    )


def answerable_stakeholders(criterion: MilestoneCriterion) -> Any:
    """The stakeholders whose answer this criterion takes (whom a CSM may record one for)."""
    customer_id = criterion.milestone.guarantee.project.customer_id
    people = Stakeholder.objects.filter(customer_id=customer_id).order_by("name")
    who = responses.RESPONSES[criterion.method].who
    if who == responses.Who.APPROVERS:
        return people.filter(is_approver=True)
    if who == responses.Who.INVITED:
        return people.filter(pk__in=Participant.objects.filter(criterion=criterion).values("stakeholder_id"))
    return people


def recorded_by_text(entry: dict[str, Any]) -> str:
    """How an answer is attributed on every page and in the API."""
    if entry.get("on_behalf"):
        return f"recorded by {entry.get('recorded_by', 'a customer success manager')} for {entry.get('name')}"
    return f"given by {entry.get('name')}"


@transaction.atomic
def record_stakeholder_response(
    *,
    actor: Any,
    criterion: MilestoneCriterion,
    values: dict[str, Any],
    stakeholder: Stakeholder | None = None,
    note: str = "",
    upload: Any = None,
) -> Evidence:
    """Record one stakeholder's answer as the criterion's next evidence version.

    1. Lock the milestone (two stakeholders answering at once both count) and refuse a closed or locked week.
    2. Decide whose answer it is: a customer login answers for itself; staff answer for a named stakeholder of the
       customer, and only with a note or a document.
    3. Refuse what the stakeholder's role does not allow; check the answer (the same check as every form).
    4. Merge it with the others' latest answers, compute the method's evidence and record it.
    """
    milestone = lock_milestone(criterion.milestone_id)
    ensure_open(milestone)
    criterion = MilestoneCriterion.objects.select_related("latest_evidence").get(pk=criterion.pk)
    if not responses.is_response_method(criterion.method):
        raise ValidationError("This criterion's evidence is recorded by your customer success manager.")
    customer_id = milestone.guarantee.project.customer_id
    stakeholder, on_behalf = _whose(actor, stakeholder, customer_id, note=note, upload=upload)
    if not may_answer(criterion, stakeholder):
        raise ValidationError(responses.WHO_REFUSAL[responses.RESPONSES[criterion.method].who])
    try:
        answer = responses.check_answer(criterion.method, values)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    version = (Evidence.objects.filter(criterion=criterion).aggregate(v=Max("version"))["v"] or 0) + 1
    entry = {
        "stakeholder_id": stakeholder.pk,
        "name": stakeholder.name,
        **answer,
        "on_behalf": on_behalf,
        "recorded_by": actor.get_full_name() if on_behalf else stakeholder.name,
        "recorded_by_id": actor.pk,
        "note": note.strip(),
        "version": version,
        "document": bool(upload),
        "at": timezone.now().isoformat(),
    }
    contributions = responses.merge(_earlier(criterion), entry)
    evidence = _record(actor, criterion, contributions, customer_id, note=note, upload=upload, on_behalf=on_behalf)
    if criterion.method == "satisfaction_survey":
        webhook_events.survey_answered(evidence, stakeholder)
    return evidence


def record_stakeholder_input(
    *, user: Any, criterion: MilestoneCriterion, values: dict[str, Any], upload: Any = None, note: str = ""
) -> Evidence:
    """A customer login's own answer (the client view)."""
    return record_stakeholder_response(actor=user, criterion=criterion, values=values, note=note, upload=upload)


def _whose(
    actor: Any, stakeholder: Stakeholder | None, customer_id: int, *, note: str, upload: Any
) -> tuple[Stakeholder, bool]:
    if not getattr(actor, "is_staff", False):
        own = actor.client_stakeholder
        if own is None or own.customer_id != customer_id or (stakeholder is not None and stakeholder.pk != own.pk):
            raise ValidationError("You can only give your own answer.")
        return own, False
    if stakeholder is None or stakeholder.customer_id != customer_id:
        raise ValidationError("Choose the stakeholder of this customer whose answer you record.")
    if not note.strip() and not upload:
        raise ValidationError(
            f"Recording {stakeholder.name}'s answer on their behalf needs a note or an attached document saying how "
            "they gave it."
        )
    return stakeholder, True


def _earlier(criterion: MilestoneCriterion) -> list[dict[str, Any]]:
    latest = criterion.latest_evidence
    return list(latest.contributions) if latest is not None else []


def _record(
    actor: Any, criterion: MilestoneCriterion, contributions: list[dict[str, Any]], customer_id: int, **kwargs: Any
) -> Evidence:
    on_behalf = kwargs.pop("on_behalf", False)
    try:
        data = responses.evidence_data(
            criterion.method, contributions, approver_ids=approver_ids(customer_id), invited_ids=invited_ids(criterion)
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    source = Evidence.Source.STAFF if on_behalf or getattr(actor, "is_staff", False) else Evidence.Source.CLIENT
    return record_evidence(
        actor=actor, criterion=criterion, data=data, source=source, contributions=contributions, **kwargs
    )


@transaction.atomic
def invite_participants(
    *, actor: Any, criterion: MilestoneCriterion, stakeholders: list[Stakeholder], announce: bool = True
) -> list[Participant]:
    """Invite stakeholders to answer a UAT or survey criterion; the score is recomputed over everyone invited.

    Invitations are added, never removed: the denominator a customer was shown does not shrink behind them.
    `announce=False` when the caller tells them itself (the retention app's week-4 survey emails its own link).
    """
    milestone = lock_milestone(criterion.milestone_id)
    ensure_open(milestone)
    criterion = MilestoneCriterion.objects.select_related("latest_evidence").get(pk=criterion.pk)
    method = responses.RESPONSES.get(criterion.method)
    if method is None or method.who != responses.Who.INVITED:
        raise ValidationError("Only UAT and satisfaction-survey criteria have invited participants.")
    customer_id = milestone.guarantee.project.customer_id
    if any(s.customer_id != customer_id for s in stakeholders):
        raise ValidationError("Only stakeholders of this customer can be invited.")
    already = invited_ids(criterion)
    added = [
        Participant(criterion=criterion, stakeholder=s, invited_by=actor) for s in stakeholders if s.pk not in already
    ]
    for participant in added:
        participant.full_clean()
        participant.save()
        if announce:
            _announce(participant, criterion)
    if added:
        record_event(
            action="criterion.participants_invited",
            obj=criterion,
            actor=actor,
            customer_id=customer_id,
            data={
                "milestone_id": milestone.pk,
                "criterion": criterion.key,
                "stakeholders": [p.stakeholder.name for p in added],
            },
        )
        earlier = _earlier(criterion)
        if earlier:  # the answers so far now count over a larger group
            _record(actor, criterion, earlier, customer_id, note="Recomputed: participants invited.")
    return added


def _announce(participant: Participant, criterion: MilestoneCriterion) -> None:
    milestone = criterion.milestone
    ask = responses.RESPONSES[criterion.method].invitation
    notify_stakeholder(
        event_key=f"criterion:{criterion.pk}:invited",
        stakeholder=participant.stakeholder,
        subject=f"You are invited to {ask} (week {milestone.week})",
        body=f"Please {ask} for “{criterion.name}” in week {milestone.week}: {milestone.title}.",
        url=client_url(milestone),
    )
