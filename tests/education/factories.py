"""Education plans for tests, made through the service so items are scheduled as in production."""

from __future__ import annotations

from typing import Any

from apps.education.models import EducationPlan
from apps.education.services import schedule_plan


def plan_for(stakeholder: Any, *, background: str = "business", source_key: str = "test", **kw: Any) -> EducationPlan:
    plan = schedule_plan(
        actor=None,
        stakeholder=stakeholder,
        background=background,
        service_type="mvp_development",
        source_key=source_key,
        **kw,
    )
    assert plan is not None
    return plan
