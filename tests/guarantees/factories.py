"""Guarantees for tests: activated from the seeded templates, with evidence that scores what you ask for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.guarantees.activation import activate_guarantee
from apps.guarantees.models import Evidence, Guarantee, Milestone
from apps.guarantees.recording import record_evidence
from tests.projects.factories import make_project


def _d(value: float) -> str:
    return str(Decimal(str(value)))


# Evidence data that makes each method score exactly `pct` (0-100, whole tens are safe for every method).
EVIDENCE_AT = {
    "stakeholder_sign_off": lambda pct: {"approved": pct // 10, "required": 10},
    "technical_review": lambda pct: {"reviewer": "Rita Reviewer", "score": _d(pct / 10), "notes": ""},
    "automated_verification": lambda pct: {
        "checks": [{"name": f"check {i}", "passed": i < pct // 10} for i in range(10)]
    },
    "stakeholder_feedback": lambda pct: {"ratings": [_d(max(pct, 10) / 10)]},
    "automated_testing": lambda pct: {"coverage_percent": _d(pct), "tests_passed": pct, "tests_total": 100},
    "integration_testing": lambda pct: {"endpoints_passing": pct, "endpoints_total": 100, "docs_published": True},
    "security_audit": lambda pct: {"critical": 0, "high": 0, "medium": (100 - pct) // 5, "low": 3},
    "stakeholder_demo": lambda pct: {"features_demonstrated": pct, "features_planned": 100, "confirmed_by": "Ann"},
    "automated_quality_checks": lambda pct: {"gates_passed": pct, "gates_total": 100},
    "performance_testing": lambda pct: {
        "avg_response_ms": _d(200 - pct), "target_response_ms": "100", "requests_per_second": _d(pct),
        "target_rps": "100", "error_rate_percent": _d(20 - pct / 10), "max_error_rate_percent": "10",
    },
    "user_testing": lambda pct: {"participants_approving": pct, "participants_total": 100},
    "deployment_verification": lambda pct: (
        {"uptime_percent": "99.95", "target_uptime_percent": "99.9", "checklist_done": 5, "checklist_total": 5}
        if pct == 100
        else {"uptime_percent": _d(pct), "target_uptime_percent": "100", "checklist_done": 5, "checklist_total": 5}
    ),
    "documentation_review": lambda pct: {"checklist_done": pct, "checklist_total": 100},
    "training_completion": lambda pct: {"sessions_held": 2, "sessions_planned": 2, "attendance_percent": _d(pct)},
    "satisfaction_survey": lambda pct: {"score": _d(max(pct, 10) / 10), "response_rate_percent": "80"},
}  # fmt: skip


def make_guarantee(*, customer: Any, actor: Any = None, **project_overrides: Any) -> Guarantee:
    project = make_project(customer=customer, actor=actor, **project_overrides)
    return activate_guarantee(actor=actor or customer.owner, project=project)


def week(guarantee: Guarantee, number: int) -> Milestone:
    return guarantee.milestones.get(week=number)


def give_evidence(milestone: Milestone, pct: int | dict[str, int], *, actor: Any = None) -> list[Evidence]:
    """Record evidence for every criterion of a week; `pct` is one score for all, or per criterion key."""
    rows = []
    for criterion in milestone.criteria.all():
        score = pct if isinstance(pct, int) else pct[criterion.key]
        rows.append(
            record_evidence(
                actor=actor or milestone.guarantee.project.customer.owner,
                criterion=criterion,
                data=EVIDENCE_AT[criterion.method](score),
                source=Evidence.Source.STAFF,
            )  # fmt: skip
        )
    return rows


def bulk_guarantees(*, customer: Any, count: int) -> None:
    """Many guarantees cheaply (bulk inserts, no services), for query-count bounds on lists."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.projects.models import Project
    from apps.tiers.models import Tier

    tier = Tier.objects.get(slug="startup-mvp")
    now, today = timezone.now(), timezone.localdate()
    projects = Project.objects.bulk_create(
        Project(customer=customer, name=f"Bulk {i}", service_type="mvp_development", tier=tier, tier_slug=tier.slug,
                tier_name=tier.name, developer_agents=3, price=Decimal(1000), timeline_weeks=4,
                guarantee_amount=Decimal(1000), guarantee_threshold=Decimal(80), accepted_at=now,
                status=Project.Status.ACTIVE)
        for i in range(count)
    )  # fmt: skip
    guarantees = Guarantee.objects.bulk_create(
        Guarantee(project=p, service_type="mvp_development", template_name="Bulk", amount=Decimal(1000),
                  threshold=Decimal(80), starts_on=today, ends_on=today + timedelta(days=30), activated_at=now,
                  status_changed_at=now)
        for p in projects
    )  # fmt: skip
    Milestone.objects.bulk_create(
        Milestone(guarantee=g, week=w, title=f"Week {w}", due_date=today + timedelta(days=7 * w),
                  pass_threshold=Decimal(85), escalation_threshold=Decimal(70))
        for g in guarantees for w in (1, 2, 3, 4)
    )  # fmt: skip
