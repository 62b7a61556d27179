"""Evidence a stakeholder gives in the client view: approvals, ratings, UAT votes, demo confirmations, surveys.

Each stakeholder's input is kept per person (`contributions`); the method's evidence is rebuilt from all of them,
so a stakeholder who changes their rating replaces it rather than adding a second one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.customers.models import Stakeholder
from apps.guarantees.methods import METHODS
from apps.guarantees.models import Evidence, MilestoneCriterion
from apps.guarantees.recording import lock_milestone, record_evidence
from apps.notifications import events as webhook_events

# Methods where every stakeholder adds their own input; the others take one confirmation that replaces the last.
PER_PERSON = {"stakeholder_sign_off", "stakeholder_feedback", "user_testing"}


def stakeholder_methods() -> set[str]:
    return {key for key, spec in METHODS.items() if spec.stakeholder_supplied}


@transaction.atomic
def record_stakeholder_input(
    *, user: Any, criterion: MilestoneCriterion, values: dict[str, Any], upload: Any = None, note: str = ""
) -> Evidence:
    """Record one stakeholder's input as the criterion's next evidence version.

    The milestone is locked before the earlier inputs are read, so two stakeholders answering at once both count.
    """
    lock_milestone(criterion.milestone_id)
    criterion = MilestoneCriterion.objects.select_related("latest_evidence").get(pk=criterion.pk)
    stakeholder = user.client_stakeholder
    if criterion.method not in stakeholder_methods():
        raise ValidationError("This criterion's evidence is recorded by your customer success manager.")
    if criterion.method == "stakeholder_sign_off" and not stakeholder.is_approver:
        raise ValidationError("Only approvers can approve this deliverable.")
    entry = {"stakeholder_id": stakeholder.pk, "name": stakeholder.name, **values}
    contributions = _merged(criterion, entry)
    data = _data_for(criterion.method, contributions, stakeholder)
    evidence = record_evidence(
        actor=user, criterion=criterion, data=data, source=Evidence.Source.CLIENT, note=note, upload=upload,
        contributions=contributions,
    )  # fmt: skip
    if criterion.method == "satisfaction_survey":
        webhook_events.survey_answered(evidence, stakeholder)
    return evidence


def _merged(criterion: MilestoneCriterion, entry: dict[str, Any]) -> list[dict[str, Any]]:
    if criterion.method not in PER_PERSON:
        return [entry]
    latest = criterion.latest_evidence
    # A version the CSM entered as totals has no per-person inputs: stakeholder input starts a fresh tally.
    earlier = latest.contributions if latest is not None else []
    return [c for c in earlier if c.get("stakeholder_id") != entry["stakeholder_id"]] + [entry]


def _data_for(method: str, contributions: list[dict[str, Any]], stakeholder: Stakeholder) -> dict[str, Any]:
    if method == "stakeholder_sign_off":
        approvers = Stakeholder.objects.filter(customer_id=stakeholder.customer_id, is_approver=True)
        approver_ids = set(approvers.values_list("pk", flat=True))
        approved = sum(1 for c in contributions if c.get("approved") and c["stakeholder_id"] in approver_ids)
        return {"approved": approved, "required": max(len(approver_ids), 1)}
    if method == "stakeholder_feedback":
        return {"ratings": [c["rating"] for c in contributions]}
    if method == "user_testing":
        approving = sum(1 for c in contributions if c.get("approves"))
        return {"participants_approving": approving, "participants_total": len(contributions)}
    entry = {k: v for k, v in contributions[0].items() if k not in ("stakeholder_id", "name")}
    if method == "stakeholder_demo":
        return {**entry, "confirmed_by": stakeholder.name}
    return entry
