"""Guarantees at their end, built through the owners' services (activation, evidence) and the outcomes services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apps.guarantees.activation import activate_guarantee
from apps.guarantees.models import Guarantee, Milestone, MilestoneCriterion
from apps.guarantees.recording import record_evidence
from apps.outcomes.final import run_final_validation
from apps.outcomes.models import FinalValidation
from tests.projects.factories import make_project


def make_guarantee(*, customer: Any, service_type: str = "mvp_development", **project: Any) -> Guarantee:
    project_row = make_project(customer=customer, service_type=service_type, **project)
    return activate_guarantee(actor=customer.owner, project=project_row)


def set_week_scores(guarantee: Guarantee, scores: list[Decimal | int | None]) -> None:
    """Fixture shortcut: the weekly scores validation would have stored (the scoring itself is tested upstream).

    Call it after recording evidence: in transactional tests each evidence commit revalidates its week.
    """
    for week, score in enumerate(scores, 1):
        Milestone.objects.filter(guarantee=guarantee, week=week).update(
            score=None if score is None else Decimal(score), status="success" if score else "pending"
        )


def add_evidence(guarantee: Guarantee, method: str, data: dict[str, Any], actor: Any = None) -> Any:
    criterion = MilestoneCriterion.objects.filter(milestone__guarantee=guarantee, method=method).order_by(
        "-milestone__week"
    )[0]
    return record_evidence(
        actor=actor or guarantee.project.customer.owner, criterion=criterion, data=data, source="staff"
    )


def coverage(guarantee: Guarantee, percent: str, actor: Any = None) -> Any:
    return add_evidence(
        guarantee, "automated_testing", {"coverage_percent": percent, "tests_passed": 100, "tests_total": 100}, actor
    )


def satisfaction(guarantee: Guarantee, score: str, actor: Any = None) -> Any:
    """Week 4's survey answered by invited stakeholders (whole scores 1-10) whose mean is `score`."""
    from tests.guarantees.factories import answer_for

    surveys = MilestoneCriterion.objects.filter(milestone__guarantee=guarantee, method="satisfaction_survey")
    criterion = surveys.order_by("-milestone__week")[0]
    return answer_for(criterion, int(Decimal(score) * 10), actor=actor)


def finish(guarantee: Guarantee) -> FinalValidation | None:
    """Run final validation on the guarantee's end date (day 30)."""
    return run_final_validation(guarantee_id=guarantee.pk, as_of=guarantee.ends_on)


def succeeded_guarantee(*, customer: Any, **project: Any) -> Guarantee:
    guarantee = make_guarantee(customer=customer, **project)
    coverage(guarantee, "97")
    satisfaction(guarantee, "9.4")
    set_week_scores(guarantee, [96, 97, 95, 98])
    finish(guarantee)
    guarantee.refresh_from_db()
    return guarantee


def failed_guarantee(*, customer: Any, **project: Any) -> Guarantee:
    guarantee = make_guarantee(customer=customer, **project)
    coverage(guarantee, "70")
    satisfaction(guarantee, "6")
    set_week_scores(guarantee, [60, 55, 50, 40])
    finish(guarantee)
    guarantee.refresh_from_db()
    return guarantee


def bulk_guarantees(*, customer: Any, count: int, status: str = "active") -> list[Guarantee]:
    """Many guarantees straight into the tables, for query-count bounds on lists (not a real journey)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.projects.models import Project
    from apps.tiers.models import Tier

    tier, now, today = Tier.objects.get(slug="startup-mvp"), timezone.now(), timezone.localdate()
    projects = Project.objects.bulk_create(
        Project(
            customer=customer,
            name=f"Bulk {i}",
            service_type="mvp_development",
            tier=tier,
            tier_slug=tier.slug,
            tier_name=tier.name,
            developer_agents=3,
            price=Decimal(100000),
            timeline_weeks=6,
            guarantee_amount=Decimal(1000 + i),
            guarantee_threshold=Decimal(80),
            accepted_at=now,
        )
        for i in range(count)
    )
    return Guarantee.objects.bulk_create(
        Guarantee(
            project=p,
            service_type="mvp_development",
            template_name="bulk",
            amount=p.guarantee_amount,
            threshold=Decimal(80),
            status=status,
            starts_on=today,
            ends_on=today + timedelta(days=30),
            activated_at=now,
            status_changed_at=now,
        )
        for p in projects
    )


def bulk_success_documents(guarantees: list[Guarantee]) -> None:
    from apps.outcomes.models import SuccessDocument

    validations = FinalValidation.objects.bulk_create(
        FinalValidation(
            guarantee=g,
            round=1,
            trigger="end_date",
            score=Decimal("97"),
            threshold=Decimal(80),
            outcome="succeeded",
            criteria=[],
            achievements=[],
            case_study_candidate=True,
            reason="bulk",
            config_version=1,
            config={},
            inputs_hash="0" * 64,
        )
        for g in guarantees
    )
    SuccessDocument.objects.bulk_create(
        SuccessDocument(guarantee=v.guarantee, validation=v, summary="bulk", case_study_candidate=True)
        for v in validations
    )
