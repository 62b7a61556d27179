"""Continued development (a claim remedy): the guarantee runs on with extra weeks copied from its template's last weeks.

Owned by the outcomes engineer (issue 6); it only adds rows through this app's models and moves the status through
`transition_guarantee`, the one place a guarantee's status changes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from apps.audit.services import record_event
from apps.guarantees.activation import copy_week
from apps.guarantees.models import Guarantee, GuaranteeTemplate, Milestone
from apps.guarantees.transitions import transition_guarantee

DAYS_PER_WEEK = 7  # a week is 7 days by definition, not a business number


@transaction.atomic
def extend_guarantee(*, guarantee: Guarantee, actor: Any, weeks: int, reason: str) -> list[Milestone]:
    """Add `weeks` new weeks after the last one and re-open a claim-eligible guarantee.

    1. Take the template's last `weeks` weeks (thresholds and criteria as they are now in the template).
    2. The end date moves exactly `weeks` x 7 days later (DOMAIN: 14 days for two weeks); the new weeks fall due
       every 7 days after the old end date, the last one on the new end date.
    3. Create the weeks with their criteria and the next round number (the extension round's final validation
       counts only its own weeks), move the end date, and move the status back to active.
    """
    if guarantee.status != Guarantee.Status.CLAIM_ELIGIBLE:
        raise ValidationError("Only a claim-eligible guarantee can be extended.")
    template = GuaranteeTemplate.objects.filter(service_type=guarantee.service_type).first()
    all_weeks = list(template.milestones.prefetch_related("criteria").order_by("week")) if template else []
    if weeks < 1 or len(all_weeks) < weeks:
        raise ValidationError(f"The template has fewer than {weeks} weeks to copy; check it in the admin.")
    existing = guarantee.milestones.aggregate(last=Max("week"), round=Max("guarantee_round"))
    last_week, next_round = existing["last"] or 0, (existing["round"] or 1) + 1
    old_end = guarantee.ends_on
    created = [
        copy_week(
            guarantee,
            week,
            number=last_week + i,
            due=old_end + timedelta(days=DAYS_PER_WEEK * i),
            guarantee_round=next_round,
        )
        for i, week in enumerate(all_weeks[-weeks:], 1)
    ]
    guarantee.ends_on = old_end + timedelta(days=DAYS_PER_WEEK * weeks)
    guarantee.save(update_fields=["ends_on"])
    transition_guarantee(
        guarantee=guarantee,
        to_status=Guarantee.Status.ACTIVE,
        actor=actor,
        reason=reason,
        data={"extended_weeks": [m.week for m in created]},
    )
    record_event(
        action="guarantee.extended",
        obj=guarantee,
        actor=actor,
        customer_id=guarantee.project.customer_id,
        data={
            "weeks": [m.week for m in created],
            "old_ends_on": old_end,
            "ends_on": guarantee.ends_on,
            "template": template.name,
            "reason": reason,
            "guarantee_round": next_round,
        },
    )
    return created
