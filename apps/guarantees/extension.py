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
from django.utils import timezone

from apps.audit.services import record_event
from apps.guarantees.activation import copy_week
from apps.guarantees.models import Guarantee, GuaranteeTemplate, Milestone
from apps.guarantees.transitions import transition_guarantee


@transaction.atomic
def extend_guarantee(*, guarantee: Guarantee, actor: Any, weeks: int, reason: str) -> list[Milestone]:
    """Add `weeks` new weeks after the last one and re-open a claim-eligible guarantee.

    1. Take the template's last `weeks` weeks (thresholds and criteria as they are now in the template).
    2. Start from today or the old end date, whichever is later; keep the template's spacing between due days.
    3. Create the weeks with their criteria, move the end date, and move the status back to active.
    """
    if guarantee.status != Guarantee.Status.CLAIM_ELIGIBLE:
        raise ValidationError("Only a claim-eligible guarantee can be extended.")
    template = GuaranteeTemplate.objects.filter(service_type=guarantee.service_type).first()
    all_weeks = list(template.milestones.prefetch_related("criteria").order_by("week")) if template else []
    if weeks < 1 or len(all_weeks) < weeks:
        raise ValidationError(f"The template has fewer than {weeks} weeks to copy; check it in the admin.")
    copied = all_weeks[-weeks:]
    base_day = all_weeks[-weeks - 1].due_day if len(all_weeks) > weeks else 0
    start = max(timezone.localdate(), guarantee.ends_on)
    last_week = guarantee.milestones.aggregate(last=Max("week"))["last"] or 0
    created = [
        copy_week(guarantee, week, number=last_week + i, due=start + timedelta(days=week.due_day - base_day))
        for i, week in enumerate(copied, 1)
    ]
    old_end = guarantee.ends_on
    guarantee.ends_on = start + timedelta(days=template.duration_days - base_day)
    guarantee.save(update_fields=["ends_on"])
    transition_guarantee(guarantee=guarantee, to_status=Guarantee.Status.ACTIVE, actor=actor, reason=reason,
                         data={"extended_weeks": [m.week for m in created]})  # fmt: skip
    record_event(
        action="guarantee.extended", obj=guarantee, actor=actor, customer_id=guarantee.project.customer_id,
        data={"weeks": [m.week for m in created], "old_ends_on": old_end, "ends_on": guarantee.ends_on,
              "template": template.name, "reason": reason},
    )  # fmt: skip
    return created
