"""Demo data: one progress update on each demo project that has none, posted through the service (so every
stakeholder gets their role's version). Safe to run twice: a project with an update is left alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.projects.models import Project
from apps.projects.services_progress import post_progress_update

STORY = {
    "achievements": ["Authentication and roles delivered", "First API integration running in staging"],
    "blockers": ["Waiting for production credentials from the customer's IT team"],
    "upcoming": ["Feature-complete demo at the end of the week"],
}


def seed(ctx: Any) -> None:
    made = []
    for project in Project.objects.filter(progress_updates__isnull=True).select_related("customer"):
        behind = project.pk % 2 == 0
        percent = Decimal(35 if behind else 55)
        post_progress_update(
            actor=ctx.csm, project=project, percent_complete=percent, risk_level="high" if behind else "low", **STORY
        )
        made.append(project.name)
    ctx.log(f"Progress updates posted: {', '.join(made) or 'already there'}")
