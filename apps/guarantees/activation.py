"""Guarantee activation (kickoff phase 5): 30 days, four weeks whose criteria are copied from the template."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record_event
from apps.guarantees.methods import METHODS
from apps.guarantees.methods.base import require_weights_sum_to_one
from apps.guarantees.models import Guarantee, GuaranteeTemplate, Milestone, MilestoneCriterion, TemplateMilestone


@transaction.atomic
def activate_guarantee(*, actor: Any, project: Any, starts_on: date | None = None) -> Guarantee:
    """Create the project's guarantee from its service type's template; a second call returns the same one.

    `starts_on` (default today) lets a guarantee agreed earlier be entered with its real dates.

    1. Load and check the template (weights sum to 1, known methods, escalation <= pass): an admin's slip shows
       as a clear error on the kickoff phase instead of a broken guarantee.
    2. Copy each week and its criteria, so a later template edit never changes this guarantee.
    3. Record the activation.
    """
    existing = Guarantee.objects.filter(project=project).first()
    if existing is not None:
        return existing
    template = GuaranteeTemplate.objects.filter(service_type=project.service_type).first()
    if template is None:
        raise ValidationError(
            f"No guarantee template for {project.get_service_type_display()}: add one in the admin, then retry."
        )
    weeks = list(template.milestones.prefetch_related("criteria"))
    _check_template(template, weeks)
    now, today = timezone.now(), starts_on or timezone.localdate()
    guarantee = Guarantee(
        project=project,
        service_type=project.service_type,
        template_name=template.name,
        amount=project.guarantee_amount,
        threshold=project.guarantee_threshold,
        status=Guarantee.Status.ACTIVE,
        starts_on=today,
        ends_on=today + timedelta(days=template.duration_days),
        activated_at=now,
        status_changed_at=now,
    )
    guarantee.full_clean()
    guarantee.save()
    for week in weeks:
        copy_week(guarantee, week, number=week.week, due=today + timedelta(days=week.due_day))
    record_event(
        action="guarantee.activated",
        obj=guarantee,
        actor=actor,
        customer_id=project.customer_id,
        data={
            "template": template.name,
            "amount": guarantee.amount,
            "threshold": guarantee.threshold,
            "starts_on": guarantee.starts_on,
            "ends_on": guarantee.ends_on,
            "weeks": len(weeks),
        },
    )
    return guarantee


def _check_template(template: GuaranteeTemplate, weeks: list[TemplateMilestone]) -> None:
    if not weeks:
        raise ValidationError(f"The template {template.name!r} has no weeks: add them in the admin, then retry.")
    for week in weeks:
        criteria = list(week.criteria.all())
        if not criteria:
            raise ValidationError(f"{template.name}, week {week.week} has no criteria.")
        try:
            require_weights_sum_to_one(
                f"{template.name}, week {week.week}: criterion weights", tuple(c.weight for c in criteria)
            )
        except ValueError as error:
            raise ValidationError(str(error)) from None
        unknown = [c.method for c in criteria if c.method not in METHODS]
        if unknown:
            raise ValidationError(f"{template.name}, week {week.week}: unknown methods {', '.join(unknown)}.")
        if week.escalation_threshold > week.pass_threshold:
            raise ValidationError(f"{template.name}, week {week.week}: escalation threshold above pass threshold.")
        if week.due_day > template.duration_days:
            raise ValidationError(f"{template.name}, week {week.week} is due after the guarantee ends.")


def copy_week(
    guarantee: Guarantee, week: TemplateMilestone, *, number: int, due: date, guarantee_round: int = 1
) -> Milestone:
    """A template week becomes the guarantee's own milestone `number`, with its criteria (later edits stay apart)."""
    milestone = Milestone.objects.create(
        guarantee=guarantee,
        week=number,
        title=week.title,
        due_date=due,
        guarantee_round=guarantee_round,
        pass_threshold=week.pass_threshold,
        escalation_threshold=week.escalation_threshold,
    )
    MilestoneCriterion.objects.bulk_create(
        MilestoneCriterion(
            milestone=milestone, position=c.position, key=c.key, name=c.name, weight=c.weight, method=c.method
        )
        for c in week.criteria.all()
    )
    return milestone
