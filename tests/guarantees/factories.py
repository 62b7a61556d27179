"""Guarantees for tests: activated from the seeded templates, with evidence that scores what you ask for."""

from __future__ import annotations

from decimal import Decimal
from math import gcd
from typing import Any

from apps.customers.models import Stakeholder
from apps.guarantees.activation import activate_guarantee
from apps.guarantees.client_input import invite_participants, record_stakeholder_response
from apps.guarantees.models import Evidence, Guarantee, Milestone
from apps.guarantees.recording import record_evidence
from apps.guarantees.responses import is_response_method
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
        "avg_response_ms": _d(200 - pct),
        "target_response_ms": "100",
        "requests_per_second": _d(pct),
        "target_rps": "100",
        "error_rate_percent": _d(20 - pct / 10),
        "max_error_rate_percent": "10",
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
}


def make_guarantee(*, customer: Any, actor: Any = None, **project_overrides: Any) -> Guarantee:
    project = make_project(customer=customer, actor=actor, **project_overrides)
    return activate_guarantee(actor=actor or customer.owner, project=project)


def week(guarantee: Guarantee, number: int) -> Milestone:
    return guarantee.milestones.get(week=number)


def give_evidence(milestone: Milestone, pct: int | dict[str, int], *, actor: Any = None) -> list[Evidence]:
    """Record evidence for every criterion of a week; `pct` is one score for all, or per criterion key.

    Methods each stakeholder answers get real answers (`answer_for`), the others the data of `EVIDENCE_AT`.
    """
    rows = []
    for criterion in milestone.criteria.all():
        score = pct if isinstance(pct, int) else pct[criterion.key]
        if is_response_method(criterion.method):
            rows.append(answer_for(criterion, score, actor=actor))
            continue
        rows.append(
            record_evidence(
                actor=actor or milestone.guarantee.project.customer.owner,
                criterion=criterion,
                data=EVIDENCE_AT[criterion.method](score),
                source=Evidence.Source.STAFF,
            )
        )
    return rows


def people(customer: Any, count: int, prefix: str, *, start: int = 1, **fields: Any) -> list[Stakeholder]:
    """`count` stakeholders of the customer named "<prefix> <start>".. (created once, found again on later calls)."""
    slug = prefix.lower().replace(" ", "-")
    return [
        Stakeholder.objects.get_or_create(
            customer=customer, email=f"{slug}-{i}@{customer.pk}.example", defaults={"name": f"{prefix} {i}", **fields}
        )[0]
        for i in range(start, start + count)
    ]


def _whole_answers(pct: int, count: int = 10) -> list[int]:
    """`count` whole answers from 1 to 10 whose mean x 10 is `pct` (pct from 10 to 100)."""
    assert 10 <= pct <= 100, "answers from 1 to 10 score 10 to 100"
    total = pct * count // 10
    assert total * 10 == pct * count, f"{count} whole answers cannot average {pct / 10}"
    base, extra = divmod(total, count)
    return [base + 1 if i < extra else base for i in range(count)]


def answer_for(criterion: Any, pct: int, *, actor: Any = None) -> Evidence:
    """Real stakeholder answers (recorded by the CSM on their behalf, with a note) that make the method score pct."""
    customer = criterion.milestone.guarantee.project.customer
    actor = actor if getattr(actor, "is_staff", False) else customer.owner
    method, evidence = criterion.method, None

    def say(stakeholder: Stakeholder, values: dict[str, Any]) -> Evidence:
        return record_stakeholder_response(
            actor=actor,
            criterion=criterion,
            stakeholder=stakeholder,
            values=values,
            note="Fixture: given in a meeting.",
        )

    if method == "stakeholder_sign_off":
        approvers = list(Stakeholder.objects.filter(customer=customer, is_approver=True).order_by("pk"))
        # Too few approvers to reach pct (40% of 1): add "Approver n" people until the share is whole.
        step = 100 // gcd(pct, 100)
        needed = max(step, -(-len(approvers) // step) * step)
        added = sum(1 for a in approvers if a.email.startswith("approver-"))
        approvers += people(customer, needed - len(approvers), "Approver", start=added + 1, is_approver=True)
        yes = pct * len(approvers) // 100
        for i, approver in enumerate(approvers):
            evidence = say(approver, {"approved": i < yes})
        return evidence
    if method == "stakeholder_demo":
        return say(people(customer, 1, "Demo viewer")[0], {"features_demonstrated": pct, "features_planned": 100})
    # Always the same ten people, so a later call replaces each one's answer rather than adding to them.
    ratings = _whole_answers(max(pct, 10))
    if method == "stakeholder_feedback":
        for person, rating in zip(people(customer, len(ratings), "Rater"), ratings, strict=True):
            evidence = say(person, {"rating": rating})
        return evidence
    if method == "user_testing":
        count = 10
        assert pct % 10 == 0, "UAT fixtures use 10 participants"
        testers = people(customer, count, "Tester")
        invite_participants(actor=actor, criterion=criterion, stakeholders=testers)
        for i, tester in enumerate(testers):
            evidence = say(tester, {"approves": i < pct * count // 100})
        return evidence
    respondents = people(customer, len(ratings), "Respondent")
    invite_participants(actor=actor, criterion=criterion, stakeholders=respondents)
    for person, score in zip(respondents, ratings, strict=True):
        evidence = say(person, {"score": score})
    return evidence


def bulk_guarantees(*, customer: Any, count: int) -> None:
    """Many guarantees cheaply (bulk inserts, no services), for query-count bounds on lists."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.projects.models import Project
    from apps.tiers.models import Tier

    tier = Tier.objects.get(slug="startup-mvp")
    now, today = timezone.now(), timezone.localdate()
    projects = Project.objects.bulk_create(
        Project(
            customer=customer,
            name=f"Bulk {i}",
            service_type="mvp_development",
            tier=tier,
            tier_slug=tier.slug,
            tier_name=tier.name,
            developer_agents=3,
            price=Decimal(1000),
            timeline_weeks=4,
            guarantee_amount=Decimal(1000),
            guarantee_threshold=Decimal(80),
            accepted_at=now,
            status=Project.Status.ACTIVE,
        )
        for i in range(count)
    )
    guarantees = Guarantee.objects.bulk_create(
        Guarantee(
            project=p,
            service_type="mvp_development",
            template_name="Bulk",
            amount=Decimal(1000),
            threshold=Decimal(80),
            starts_on=today,
            ends_on=today + timedelta(days=30),
            activated_at=now,
            status_changed_at=now,
        )
        for p in projects
    )
    Milestone.objects.bulk_create(
        Milestone(
            guarantee=g,
            week=w,
            title=f"Week {w}",
            due_date=today + timedelta(days=7 * w),
            pass_threshold=Decimal(85),
            escalation_threshold=Decimal(70),
        )
        for g in guarantees
        for w in (1, 2, 3, 4)
    )
