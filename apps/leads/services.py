"""Writes on leads: intake, edits, scoring, stop overrides, status moves, and guarantee outcomes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.leads.models import GuaranteeOutcome, Lead, LeadScore
from apps.leads.scoring.facts import facts_hash
from apps.leads.scoring.run import new_score, status_after
from apps.leads.scoring.versions import config_for, current_version

# Fields a form or the API may set; the rest (status, scores, overrides) move only through the services below.
INPUT_FIELDS = [
    "organization_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "service_type",
    "timeline_weeks",
    "complexity",
    "requirements",
    "technology_preferences",
    "compliance_requirements",
    "required_integrations",
    "budget_usd",
    "business_criticality",
    "team_size",
    "has_ui_requirements",
    "has_fallback_plan",
    "answers",
    "owner",
]
MIN_REASON_LENGTH = 10


def _apply(lead: Lead, data: dict[str, Any]) -> list[str]:
    changed = []
    for name in INPUT_FIELDS:
        if name in data and getattr(lead, name) != data[name]:
            setattr(lead, name, data[name])
            changed.append(name)
    return changed


def _validate(lead: Lead) -> str:
    """full_clean plus the rules' own checks; returns the inputs hash of the valid lead."""
    lead.full_clean(exclude=["latest_score", "overridden_by"])
    try:
        return facts_hash(lead.facts())
    except (TypeError, ValueError) as exc:
        raise ValidationError({"answers": str(exc)}) from exc


def enqueue_scoring(lead: Lead) -> None:
    """Score the lead in the background once the current transaction commits."""
    lead_id = lead.pk
    transaction.on_commit(lambda: async_task("apps.leads.tasks.score_lead", lead_id))


@transaction.atomic
def create_lead(*, actor: Any, data: dict[str, Any], source: str = Lead.Source.FORM, actor_label: str = "") -> Lead:
    lead = Lead(source=source, status=Lead.Status.NEW)
    _apply(lead, data)
    lead.inputs_hash = _validate(lead)
    lead.save()
    record_event(
        action="lead.created",
        obj=lead,
        actor=actor,
        actor_label=actor_label,
        data={"source": source, "service_type": lead.service_type},
    )
    enqueue_scoring(lead)
    return lead


@transaction.atomic
def update_lead(*, actor: Any, lead: Lead, data: dict[str, Any], actor_label: str = "") -> Lead:
    """Change a lead's inputs; when anything the rules read changes, it is scored again."""
    changed = _apply(lead, data)
    if not changed:
        return lead
    new_hash = _validate(lead)
    fields = [*changed, "updated_at"]
    if new_hash != lead.inputs_hash:
        lead.inputs_hash = new_hash
        fields.append("inputs_hash")
        if lead.status in Lead.OPEN_STATUSES:
            lead.status = Lead.Status.SCORING if lead.latest_score_id else Lead.Status.NEW
            fields.append("status")
        enqueue_scoring(lead)
    lead.save(update_fields=fields)
    record_event(action="lead.updated", obj=lead, actor=actor, actor_label=actor_label, data={"fields": changed})
    return lead


@transaction.atomic
def score_lead(*, lead_id: int) -> LeadScore | None:
    """Score a lead with the current published configuration. Running it again with the same inputs and
    configuration changes nothing. Returns the score now in force (None when the lead is gone).

    1. Lock the lead, compute its facts and their hash.
    2. Same hash and version as the latest score: stop. A score stored earlier for them: point back to it.
    3. Otherwise store a new score; move the status; after commit, ask the tiers app to refresh.
    """
    lead = Lead.objects.select_for_update(of=("self",)).select_related("latest_score").filter(pk=lead_id).first()
    if lead is None:
        return None
    version = current_version()
    facts = lead.facts()
    inputs_hash = facts_hash(facts)
    before = lead.latest_score
    if before and before.config_version_id == version.pk and before.inputs_hash == inputs_hash:
        score = before
    else:
        score = LeadScore.objects.filter(lead=lead, config_version=version, inputs_hash=inputs_hash).first()
    if score is None:
        score = new_score(lead, facts, version, config_for(version), inputs_hash)
        score.save()
    old_status = lead.status
    new_status = status_after(old_status, score.qualification_level)
    if score == before and new_status == old_status and lead.inputs_hash == inputs_hash:
        return before
    lead.latest_score, lead.inputs_hash = score, inputs_hash
    lead.probability_band, lead.status = score.probability_band, new_status
    lead.save(update_fields=["latest_score", "inputs_hash", "probability_band", "status", "updated_at"])
    record_event(
        action="lead.scored",
        obj=lead,
        data={
            "qualification": score.qualification_score,
            "feasibility": score.feasibility_score,
            "version": version.number,
            "status": [old_status, lead.status],
            "stops": score.stops,
        },
    )
    transaction.on_commit(lambda: async_task("apps.tiers.tasks.refresh_recommendations", lead_id))
    return score


def rescore_lead(*, lead: Lead) -> None:
    """Queue a scoring now (for a lead whose background scoring was lost): harmless when nothing changed."""
    with transaction.atomic():
        enqueue_scoring(lead)


@transaction.atomic
def override_stop(*, actor: Any, lead: Lead, reason: str) -> Lead:
    """A CSM lets a stopped lead (unqualified and/or infeasible) go on, with a written reason that is audited."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"Write why (at least {MIN_REASON_LENGTH} characters)."})
    if lead.score_pending:
        raise ValidationError("The lead is still being scored; wait for the result before overriding it.")
    if not lead.open_stops:
        raise ValidationError("This lead is not stopped, so there is nothing to override.")
    stops = lead.stops
    lead.overridden_stops, lead.override_reason = stops, reason
    lead.overridden_by, lead.overridden_at = actor, timezone.now()
    lead.save(update_fields=["overridden_stops", "override_reason", "overridden_by", "overridden_at", "updated_at"])
    record_event(
        action="lead.stop_overridden",
        obj=lead,
        actor=actor,
        data={"stops": stops, "reason": reason, "score_id": lead.latest_score_id},
    )
    return lead


# Which status may follow which, by hand; scoring moves the open statuses itself.
ALLOWED_MOVES = {
    Lead.Status.PROPOSAL: set(Lead.OPEN_STATUSES),
    Lead.Status.WON: {Lead.Status.PROPOSAL},
    Lead.Status.LOST: {*Lead.OPEN_STATUSES, Lead.Status.PROPOSAL},
}


@transaction.atomic
def change_lead_status(*, actor: Any, lead: Lead, status: str, lost_reason: str = "") -> Lead:
    """Move a lead to proposal, won or lost. A proposal needs a current score and no open stop; lost needs a reason."""
    if status not in ALLOWED_MOVES or lead.status not in ALLOWED_MOVES[status]:
        raise ValidationError(f"A {lead.get_status_display().lower()} lead cannot be moved to {status}.")
    if status == Lead.Status.PROPOSAL and (lead.score_pending or lead.is_stopped):
        raise ValidationError("Only a scored lead that is not stopped (or whose stop was overridden) gets a proposal.")
    lost_reason = (lost_reason or "").strip()
    if status == Lead.Status.LOST and not lost_reason:
        raise ValidationError({"lost_reason": "Say why the lead was lost."})
    old = lead.status
    lead.status, lead.lost_reason = status, lost_reason if status == Lead.Status.LOST else ""
    lead.full_clean(exclude=["latest_score", "overridden_by", "owner"])
    lead.save(update_fields=["status", "lost_reason", "updated_at"])
    record_event(
        action="lead.status_changed",
        obj=lead,
        actor=actor,
        data={"from": old, "to": status, "lost_reason": lead.lost_reason},
    )
    return lead


@transaction.atomic
def record_guarantee_outcome(*, lead: Lead, succeeded: bool) -> GuaranteeOutcome:
    """Record how the lead's guarantee closed, in the probability band the lead had when last scored.

    Called by the guarantees app when a guarantee closes. Calling it again for the same lead updates the outcome.
    """
    band = lead.probability_band or (lead.latest_score.probability_band if lead.latest_score else "")
    if not band:
        raise ValidationError("The lead has never been scored, so it has no probability band.")
    outcome, _ = GuaranteeOutcome.objects.update_or_create(lead=lead, defaults={"band": band, "succeeded": succeeded})
    record_event(action="lead.guarantee_outcome", obj=lead, data={"band": band, "succeeded": succeeded})
    return outcome
