"""Recording evidence: a new version each time (nothing overwritten), scored by the method's pure rule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.guarantees.files import check_upload
from apps.guarantees.methods import METHODS, evidence_from_data, evidence_to_data, score_evidence
from apps.guarantees.methods.base import as_number, human
from apps.guarantees.methods.fields import declared
from apps.guarantees.models import Evidence, MethodSettings, Milestone, MilestoneCriterion


def lock_milestone(milestone_id: int) -> Milestone:
    """Lock the milestone row: evidence, validation and sign-off of one milestone then happen one at a time."""
    return (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("guarantee__project__customer")
        .get(pk=milestone_id)
    )


def ensure_open(milestone: Milestone) -> None:
    if milestone.guarantee.is_final:
        raise ValidationError("This guarantee has ended; its evidence is final.")
    if milestone.review == Milestone.Review.AWAITING_SIGN_OFF:
        raise ValidationError(f"Week {milestone.week} is awaiting sign-off: evidence is locked until the decision.")
    if milestone.review == Milestone.Review.CLOSED:
        raise ValidationError(f"Week {milestone.week} is closed: its evidence is final.")


@transaction.atomic
def record_evidence(
    *,
    actor: Any,
    criterion: MilestoneCriterion,
    data: dict[str, Any],
    source: str,
    note: str = "",
    upload: Any = None,
    contributions: list[dict[str, Any]] | None = None,
    actor_label: str = "",
) -> Evidence:
    """Add the next evidence version of a criterion, score it, and queue the milestone's revalidation.

    1. Lock the milestone and refuse when it is awaiting sign-off or closed.
    2. Refuse totals for a method each stakeholder answers (they come through `record_stakeholder_response`);
       fill in, or refuse to lower, a configured target (the uptime target); build the method's evidence from `data`
       (ValueError becomes a ValidationError a form can show).
    3. Check the file by its content and size; hash it.
    4. Store the version with its score and parts; point the criterion at it; audit; revalidate after commit.
    """
    milestone = lock_milestone(criterion.milestone_id)
    ensure_open(milestone)
    if METHODS[criterion.method].stakeholder_supplied and contributions is None:
        # The customer's voice comes from the customer: totals typed by someone else are not evidence.
        raise ValidationError(
            f"{METHODS[criterion.method].label} is given by each stakeholder; record a stakeholder's answer instead."
        )
    settings_row = MethodSettings.load()
    data = with_configured_values(criterion.method, data, settings_row)
    try:
        evidence_obj = evidence_from_data(criterion.method, data)
    except (ValueError, TypeError) as error:
        raise ValidationError(str(error)) from None
    result = score_evidence(criterion.method, evidence_obj, settings_row.to_config())
    checked = check_upload(upload) if upload else None
    version = (Evidence.objects.filter(criterion=criterion).aggregate(v=Max("version"))["v"] or 0) + 1
    evidence = Evidence(
        criterion=criterion,
        version=version,
        method=criterion.method,
        data=evidence_to_data(evidence_obj),
        contributions=contributions or [],
        score=result.score,
        reason=result.reason[:400],
        note=note,
        parts=[{"label": p.label, "value": str(p.value), "note": p.note} for p in result.parts],
        source=source,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_by_label=actor_label or getattr(actor, "email", "") or "system",
    )
    if checked:
        evidence.file_name, evidence.file_type = checked.name, checked.content_type
        evidence.file_size, evidence.file_sha256 = checked.size, checked.sha256
        evidence.file.save(checked.name, checked.upload, save=False)
    with _file_removed_on_error(evidence.file):
        evidence.save()
        criterion.score, criterion.latest_evidence = evidence.score, evidence
        criterion.save(update_fields=["score", "latest_evidence"])
        record_event(
            action="evidence.recorded",
            obj=evidence,
            actor=actor,
            customer_id=milestone.guarantee.project.customer_id,
            actor_label=actor_label,
            data={
                "milestone_id": milestone.pk,
                "criterion": criterion.key,
                "version": version,
                "source": source,
                "score": evidence.score,
                "file_sha256": evidence.file_sha256,
            },
        )
    transaction.on_commit(lambda: async_task("apps.guarantees.tasks.validate_milestone", milestone.pk))
    return evidence


def with_configured_values(method: str, data: dict[str, Any], settings_row: Any) -> dict[str, Any]:
    """A field declared `configured=` (deployment verification's uptime target) comes from the settings; evidence
    may raise it, never lower it.

    Every door (staff form, API) goes through here, so none can lower it.
    """
    spec = METHODS.get(method)
    if spec is None or not isinstance(data, dict):
        return data
    for name, field in declared(spec.evidence_class):
        if field.configured:
            data = _at_least_configured(data, name, getattr(settings_row, field.configured))
    return data


def _at_least_configured(data: dict[str, Any], name: str, configured: Decimal) -> dict[str, Any]:
    given = data.get(name)
    if given in (None, ""):
        return {**data, name: str(configured)}
    try:
        target = as_number(given, human(name))
    except ValueError as error:
        raise ValidationError({name: str(error)}) from None
    if target < configured:
        message = (
            f"{human(name)} ({target}) cannot be below the configured target ({configured}%): "
            "evidence may raise the target, never lower it."
        )
        raise ValidationError({name: message})
    return data


@contextmanager
def _file_removed_on_error(field_file: Any) -> Iterator[None]:
    """The file is written before its row; when the row cannot be written, the file must not stay behind."""
    try:
        yield
    except BaseException:
        if field_file:
            field_file.storage.delete(field_file.name)
        raise
