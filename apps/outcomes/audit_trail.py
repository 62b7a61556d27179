"""A guarantee's full trail: every audit event on it, its weeks, evidence, sign-offs, final validation and claims."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from apps.audit.models import AuditEvent
from apps.guarantees.models import Evidence, Guarantee, Milestone, MilestoneAction, SignOff
from apps.outcomes.models import Claim, FinalInput, FinalValidation, MigrationTask, Payout, SuccessDocument

EVIDENCE_KEYS = ("evidence_digest", "file_sha256", "version", "evidence", "inputs_hash", "signoff_id", "reference")


def _ids(queryset: QuerySet) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def trail_events(guarantee: Guarantee) -> QuerySet[AuditEvent]:
    """Oldest first. One query per related table to collect ids, then one for the events."""
    objects: dict[Any, list[str]] = {
        Guarantee: [str(guarantee.pk)],
        Milestone: _ids(Milestone.objects.filter(guarantee=guarantee)),
        Evidence: _ids(Evidence.objects.filter(criterion__milestone__guarantee=guarantee)),
        SignOff: _ids(SignOff.objects.filter(milestone__guarantee=guarantee)),
        MilestoneAction: _ids(MilestoneAction.objects.filter(milestone__guarantee=guarantee)),
        FinalInput: _ids(FinalInput.objects.filter(guarantee=guarantee)),
        FinalValidation: _ids(FinalValidation.objects.filter(guarantee=guarantee)),
        SuccessDocument: _ids(SuccessDocument.objects.filter(guarantee=guarantee)),
        Claim: _ids(Claim.objects.filter(guarantee=guarantee)),
        Payout: _ids(Payout.objects.filter(guarantee=guarantee)),
        MigrationTask: _ids(MigrationTask.objects.filter(claim__guarantee=guarantee)),
    }
    query = Q(pk__in=[])
    for model, ids in objects.items():
        if ids:
            query |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    return AuditEvent.objects.filter(query).select_related("actor").order_by("created_at", "id")


def evidence_of(event: AuditEvent) -> dict[str, Any]:
    """The parts of an event's data that say which evidence (version, digest, file hash, reference) it acted on."""
    return {key: event.data[key] for key in EVIDENCE_KEYS if key in (event.data or {})}


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.created_at.isoformat(),
        "actor": event.actor_label,
        "role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": event.object_repr,
        "ip": event.ip,
        "request_id": event.request_id,
        "data": event.data,
    }
