"""Final validation, the service (day 30, or when the last week closes, whichever is first) and what follows a
success. The pure rule is `apps.guarantees.final_rule`; what is stored comes from `apps.outcomes.final_record`."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.guarantees.models import Guarantee, Milestone
from apps.guarantees.scoring import FinalResult
from apps.guarantees.services import transition_guarantee
from apps.outcomes import final_record, notify, selectors
from apps.outcomes.models import FinalCriterionConfig, FinalInput, FinalValidation, SuccessDocument

logger = logging.getLogger(__name__)
Trigger = FinalValidation.Trigger


def lock_guarantee(guarantee_id: int) -> Guarantee:
    """Lock the guarantee row: its final validation and its claims' state changes happen one at a time."""
    return (
        Guarantee.objects.select_for_update(of=("self",))
        .select_related("project__customer__owner")
        .get(pk=guarantee_id)
    )


def due_trigger(guarantee: Guarantee, today: date) -> str | None:
    """End date reached, or the last week closed (whichever came first); None while neither holds."""
    if today >= guarantee.ends_on:
        return Trigger.END_DATE
    last = Milestone.objects.filter(guarantee=guarantee).order_by("-week").first()
    if last is not None and last.review == Milestone.Review.CLOSED:
        return Trigger.LAST_WEEK_CLOSED
    return None


@transaction.atomic
def run_final_validation(*, guarantee_id: int, as_of: date | None = None) -> FinalValidation | None:
    """Decide how the guarantee's current round ended. Safe to run any number of times.

    1. Lock the guarantee. A round already decided returns its record: nothing stored, audited or sent again.
    2. Decide only when due (end date, or last week closed). Closed early but missing a CSM figure: ask the CSM
       (once) and wait; at the end date a missing figure scores 0, as a week without evidence does.
    3. Score with the pure rule; store every figure with its source, the config version and the inputs hash.
    4. Move the guarantee (succeeded or claim eligible), write the success document, notify, record the lead outcome.
    """
    guarantee = lock_guarantee(guarantee_id)
    round_number = selectors.current_round(guarantee)
    existing = FinalValidation.objects.filter(guarantee=guarantee, round=round_number).first()
    if existing is not None or guarantee.is_final:
        return existing
    trigger = due_trigger(guarantee, as_of or timezone.localdate())
    if trigger is None:
        return None
    configs = selectors.criterion_configs(guarantee.service_type)
    if not configs:
        raise ValidationError(f"No final-validation criteria for {guarantee.get_service_type_display()}.")
    actuals = selectors.gather_actuals(guarantee, configs)
    missing = final_record.missing_inputs(configs, actuals)
    if missing and trigger == Trigger.LAST_WEEK_CLOSED:
        _ask_for_inputs(guarantee, round_number, missing)
        return None
    settings = selectors.outcome_settings()
    result = final_record.evaluate(configs, actuals, guarantee.threshold, settings)
    validation = _store(guarantee, round_number, trigger, configs, actuals, result, settings)
    _conclude(guarantee, validation, result)
    return validation


def _store(
    guarantee: Guarantee,
    round_number: int,
    trigger: str,
    configs: list[final_record.CriterionConfig],
    actuals: list[final_record.Actual],
    result: FinalResult,
    settings: final_record.Settings,
) -> FinalValidation:
    validation = FinalValidation(
        guarantee=guarantee,
        round=round_number,
        trigger=trigger,
        score=result.score,
        threshold=result.threshold,
        outcome=result.outcome.value,
        criteria=final_record.criteria_parts(configs, actuals, result),
        achievements=final_record.achievements_parts(configs, result),
        case_study_candidate=result.case_study_candidate,
        reason=result.reason[:400],
        config_version=settings.version,
        config=final_record.config_snapshot(configs, settings),
        inputs_hash=final_record.inputs_hash(
            round_number=round_number,
            threshold=guarantee.threshold,
            configs=configs,
            actuals=actuals,
            settings=settings,
        ),
    )
    validation.full_clean()
    validation.save()
    record_event(
        action="guarantee.final_validated",
        obj=validation,
        customer_id=guarantee.project.customer_id,
        data={
            "guarantee_id": guarantee.pk,
            "round": round_number,
            "trigger": trigger,
            "score": result.score,
            "threshold": result.threshold,
            "outcome": result.outcome.value,
            "inputs_hash": validation.inputs_hash,
            "config_version": settings.version,
            "evidence": [p["evidence"] for p in validation.criteria if p["evidence"]],
        },
    )
    return validation


def _conclude(guarantee: Guarantee, validation: FinalValidation, result: FinalResult) -> None:
    succeeded = validation.outcome == FinalValidation.Outcome.SUCCEEDED
    transition_guarantee(
        guarantee=guarantee,
        to_status=validation.outcome,
        actor=None,
        reason=result.reason,
        data={"final_validation_id": validation.pk, "score": validation.score},
    )
    if succeeded:
        _write_success_document(guarantee, validation, result)
    _notify_outcome(guarantee, validation)
    _record_lead_outcome(guarantee, succeeded)


def _write_success_document(guarantee: Guarantee, validation: FinalValidation, result: FinalResult) -> None:
    project, customer = guarantee.project, guarantee.project.customer
    met = sum(1 for r in result.criteria if r.achievement >= Decimal(100))
    summary = final_record.success_summary(
        project=project.name,
        customer=customer.name,
        score=validation.score,
        threshold=validation.threshold,
        met=met,
        total=len(result.criteria),
    )
    document, created = SuccessDocument.objects.get_or_create(
        guarantee=guarantee,
        defaults={
            "validation": validation,
            "summary": summary,
            "case_study_candidate": validation.case_study_candidate,
        },
    )
    if created:
        record_event(
            action="success_document.created",
            obj=document,
            customer_id=customer.pk,
            data={"final_validation_id": validation.pk, "case_study_candidate": document.case_study_candidate},
        )


def _notify_outcome(guarantee: Guarantee, validation: FinalValidation) -> None:
    customer = guarantee.project.customer
    succeeded = validation.outcome == FinalValidation.Outcome.SUCCEEDED
    verdict = "succeeded" if succeeded else "did not reach its threshold"
    subject = f"{customer.name}: the {guarantee.project.name} guarantee {verdict} ({validation.score})"
    next_step = (
        "The success document is ready."
        if succeeded
        else "The guarantee is claim eligible: a refund, continued development or migration assistance can be claimed."
    )
    notify.to_csm_and_customer(
        event_key=f"final-validation:{validation.pk}",
        customer=customer,
        subject=subject,
        staff_body=f"{validation.reason} {next_step}",
        client_body=f"{validation.reason} {next_step}",
        staff_link=notify.staff_url("guarantee", guarantee.pk),
        client_link=notify.client_url("guarantee", guarantee.pk),
        priority=not succeeded,
    )


def _record_lead_outcome(guarantee: Guarantee, succeeded: bool) -> None:
    """Feed the observed success rates of the lead's probability band (when the project came from a scored lead)."""
    lead_id = guarantee.project.source_lead_id
    if lead_id is None:
        return
    from apps.leads.models import Lead
    from apps.leads.services import record_guarantee_outcome

    lead = Lead.objects.filter(pk=lead_id).first()
    if lead is None:
        return
    try:
        with transaction.atomic():
            record_guarantee_outcome(lead=lead, succeeded=succeeded)
    except ValidationError as error:
        # A lead never scored has no band to count in; the guarantee's outcome stands regardless.
        logger.info("Guarantee %s: lead outcome not recorded (%s)", guarantee.pk, " ".join(error.messages))


def _ask_for_inputs(guarantee: Guarantee, round_number: int, missing: list[str]) -> None:
    customer = guarantee.project.customer
    notify.notify_user(
        event_key=f"final-inputs:{guarantee.pk}:r{round_number}",
        user=customer.owner,
        customer_id=customer.pk,
        subject=f"{customer.name}: enter the final figures to close the guarantee",
        body=f"The last week closed; final validation waits for: {', '.join(missing)}.",
        url=notify.staff_url("inputs", guarantee.pk),
    )


@transaction.atomic
def save_final_input(
    *,
    actor: Any,
    guarantee: Guarantee,
    config: FinalCriterionConfig,
    source_note: str,
    value: Decimal | None = None,
    baseline: Decimal | None = None,
    current: Decimal | None = None,
) -> FinalInput:
    """Enter (or correct) a figure the portal cannot compute, with its source; audited with the old and new values.

    Refused once the guarantee's round is decided: the record keeps what it was decided on.
    """
    guarantee = lock_guarantee(guarantee.pk)
    if guarantee.is_final:
        raise ValidationError("The guarantee has ended; its final figures can no longer change.")
    if not config.entered_by_csm or config.service_type != guarantee.service_type:
        raise ValidationError(f"{config.label} is not entered by hand for this guarantee.")
    row = FinalInput.objects.filter(guarantee=guarantee, key=config.key).first()
    before = (
        None
        if row is None
        else {"value": row.value, "baseline": row.baseline, "current": row.current, "note": row.source_note}
    )
    row = row or FinalInput(guarantee=guarantee, key=config.key)
    row.value, row.baseline, row.current = value, baseline, current
    row.source_note, row.entered_by = source_note, actor
    row.full_clean()
    row.save()
    record_event(
        action="final_input.saved",
        obj=row,
        actor=actor,
        customer_id=guarantee.project.customer_id,
        data={
            "guarantee_id": guarantee.pk,
            "key": config.key,
            "before": before,
            "after": {"value": value, "baseline": baseline, "current": current, "note": source_note},
        },
    )
    # The last week may already be closed and waiting for this figure.
    transaction.on_commit(lambda: async_task("apps.outcomes.tasks.run_final_validation", guarantee.pk))
    return row


@transaction.atomic
def update_business_impact(*, actor: Any, document: SuccessDocument, business_impact: str) -> SuccessDocument:
    old = document.business_impact
    if old == business_impact:
        return document
    document.business_impact, document.impact_updated_by = business_impact, actor
    document.full_clean()
    document.save(update_fields=["business_impact", "impact_updated_by", "updated_at"])
    record_event(
        action="success_document.impact_updated",
        obj=document,
        actor=actor,
        customer_id=document.guarantee.project.customer_id,
        data={"before": old, "after": business_impact},
    )
    return document
