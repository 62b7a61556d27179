"""A project's quality-gate run as the evidence of its weeks' automated quality checks (the projects app calls it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.guarantees.models import Evidence, Guarantee, Milestone, MilestoneCriterion
from apps.guarantees.recording import record_evidence

FINAL = [Guarantee.Status.SUCCEEDED, Guarantee.Status.CLAIM_ELIGIBLE]


@transaction.atomic
def record_quality_gate_evidence(
    *, actor: Any, project_id: int, gates_passed: int, gates_total: int, source: str, note: str, actor_label: str = ""
) -> list[Evidence]:
    """Add a new evidence version (gates passed / gates checked) to every `automated_quality_checks` criterion of the
    project's weeks that are still collecting evidence. Weeks awaiting sign-off or closed keep what they were sent
    or signed off with. Returns the new versions (none when the project has no guarantee or no open week)."""
    criteria = (
        MilestoneCriterion.objects.filter(
            milestone__guarantee__project_id=project_id,
            milestone__review=Milestone.Review.OPEN,
            method="automated_quality_checks",
        )
        .exclude(milestone__guarantee__status__in=FINAL)
        .order_by("milestone__week", "position")
    )
    data = {"gates_passed": gates_passed, "gates_total": gates_total}
    return [
        record_evidence(actor=actor, criterion=c, data=data, source=source, note=note, actor_label=actor_label)
        for c in criteria
    ]
