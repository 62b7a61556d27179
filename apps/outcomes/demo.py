"""Demo guarantees at their end, built through the services: one succeeded (with its success document), and three
claim-eligible ones with one claim per remedy (refund paid, continued development, migration assistance).

No guarantees demo step existed, so the projects and guarantees are made here with the owners' services
(`create_project`, `activate_guarantee`); each week gets evidence, staff validation and the executive's sign-off with
a comment, and closing the last week decides the guarantee. Safe to run twice: a demo project that exists by name is
left alone.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.core.demo import demo_clock, on
from apps.customers.models import Stakeholder
from apps.guarantees.demo_answers import answer_as_stakeholders
from apps.guarantees.methods import METHODS
from apps.guarantees.models import Evidence, Guarantee, Milestone
from apps.guarantees.services import (
    activate_guarantee,
    record_evidence,
    record_signoff,
    submit_for_sign_off,
    validate_milestone,
)
from apps.guarantees.validation import digest_of
from apps.outcomes import services
from apps.outcomes.models import FinalCriterionConfig, Payout, Remedy, SuccessDocument
from apps.projects import kickoff
from apps.projects.models import Environment, KickoffPhase, Project
from apps.projects.services import create_project, mark_environment
from apps.tiers.models import Tier


def _d(value: float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.1")))


# This demo's evidence, scoring about `pct` (its own figures; a method not listed enters its `demo_evidence`). The
# five methods each stakeholder answers are not here: the company's people answer them (`demo_answers`).
EVIDENCE = {
    "technical_review": lambda pct: {"reviewer": "Priya Raman (architect)", "score": _d(pct / 10), "notes": ""},
    "automated_verification": lambda pct: {
        "checks": [
            {"name": name, "passed": i < round(pct / 20)}
            for i, name in enumerate(["repo", "ci", "dev", "staging", "secrets"])
        ]
    },
    "automated_testing": lambda pct: {
        "coverage_percent": _d(min(pct + 2, 100)),
        "tests_passed": pct,
        "tests_total": 100,
    },
    "integration_testing": lambda pct: {"endpoints_passing": pct, "endpoints_total": 100, "docs_published": True},
    "security_audit": lambda pct: {"critical": 0, "high": 0, "medium": (100 - pct) // 5, "low": 2},
    "automated_quality_checks": lambda pct: {"gates_passed": pct // 10, "gates_total": 10},
    "performance_testing": lambda pct: {
        "avg_response_ms": _d(200 - pct),
        "target_response_ms": "100",
        "requests_per_second": _d(pct),
        "target_rps": "100",
        "error_rate_percent": _d(20 - pct / 10),
        "max_error_rate_percent": "10",
    },
    "deployment_verification": lambda pct: {
        "uptime_percent": _d(pct),
        "target_uptime_percent": "100",
        "checklist_done": 5,
        "checklist_total": 5,
    },
    "documentation_review": lambda pct: {"checklist_done": pct, "checklist_total": 100},
    "training_completion": lambda pct: {"sessions_held": 2, "sessions_planned": 2, "attendance_percent": _d(pct)},
}

# customer, project, service type, tier, price, evidence level, sign-off comments, then what happens. Each started
# over 30 days ago, so its dates read true; continued development's two extra weeks still lie ahead.
SCENARIOS: list[dict[str, Any]] = [
    {
        "customer": "Acme Robotics",
        "project": "Fleet Telemetry MVP",
        "service": "mvp_development",
        "tier": "startup-mvp",
        "price": 120_000,
        "level": 96,
        "end": "success",
        "started_days_ago": 40,
        "comments": [
            "Architecture review was thorough; exactly what our platform team needed.",
            "Core features landed with tests we trust.",
            "The demo convinced our operations leads.",
            "Smooth go-live and a team that can run it without you.",
        ],
    },
    {
        "customer": "Globex Health",
        "project": "Patient Claims Portal",
        "service": "mvp_development",
        "tier": "startup-mvp",
        "price": 140_000,
        "level": 55,
        "end": Remedy.REFUND,
        "started_days_ago": 37,
        "comments": [],
    },
    {
        "customer": "Acme Robotics",
        "project": "Warehouse Robotics API",
        "service": "mvp_development",
        "tier": "startup-mvp",
        "price": 95_000,
        "level": 58,
        "end": Remedy.CONTINUED_DEVELOPMENT,
        "started_days_ago": 31,
        "comments": [],
    },
    {
        "customer": "Globex Health",
        "project": "Records System Modernization",
        "service": "legacy_modernization",
        "tier": "legacy-modernization-accelerated",
        "price": 400_000,
        "level": 60,
        "end": Remedy.MIGRATION_ASSISTANCE,
        "started_days_ago": 34,
        "comments": [],
    },
]

IMPACT = (
    "Fleet status now reaches the control room in under 2 seconds instead of 15 minutes.\n"
    "Two dispatcher roles moved to exception handling; the ops team estimates 600 hours saved per quarter."
)


def seed(ctx: Any) -> None:
    """One scenario at a time, each in its own transactions (the services are atomic)."""
    made = []
    for spec in SCENARIOS:
        customer = ctx.customers[spec["customer"]]
        if Project.objects.filter(customer=customer, name=spec["project"]).exists():
            continue
        guarantee = _guarantee(ctx, customer, spec)
        _run_weeks(ctx, guarantee, spec)
        # Day 30: the figures go in and the final validation decides; the claim follows a few days later.
        with demo_clock(on(guarantee.ends_on, time(9, 0))):
            _enter_figures(ctx, guarantee)
            services.run_final_validation(guarantee_id=guarantee.pk)
        guarantee.refresh_from_db()
        with demo_clock(on(guarantee.ends_on + timedelta(days=1), time(14, 0))):
            _end(ctx, guarantee, spec)
        guarantee.refresh_from_db()
        made.append(f"{spec['project']} ({guarantee.get_status_display().lower()})")
    ctx.log(f"Guarantee outcomes: {', '.join(made) or 'already there'}")


def _guarantee(ctx: Any, customer: Any, spec: dict[str, Any]) -> Guarantee:
    """The proposal accepted two days before the start, then on the start day the real kickoff and activation."""
    started = timezone.localdate() - timedelta(days=spec["started_days_ago"])
    with demo_clock(on(started - timedelta(days=2), time(16, 0))):
        project = _project(ctx, customer, spec)
    with demo_clock(on(started, time(8, 30))):
        guarantee = activate_guarantee(actor=ctx.csm, project=project, starts_on=started)
        _kickoff(ctx, project)
    return guarantee


def _kickoff(ctx: Any, project: Project) -> None:
    """The kickoff as the worker runs it: environments reported ready by CI, then the six phases in order."""
    for name in Environment.Name.values:
        mark_environment(
            actor=None, project=project, name=name, url=f"https://{name}.{project.pk}.example", by="API key demo-ci"
        )
    kickoff.start_kickoff(actor=ctx.csm, project=project, standup_time=time(9, 30))
    while (phase := project.phases.filter(status=KickoffPhase.Status.QUEUED).order_by("position").first()) is not None:
        kickoff.run_phase(project_id=project.pk, phase_key=phase.key, actor_id=ctx.csm.pk)


def _project(ctx: Any, customer: Any, spec: dict[str, Any]) -> Project:
    tier = Tier.objects.get(slug=spec["tier"])
    price = Decimal(spec["price"])
    return create_project(
        actor=ctx.csm,
        customer=customer,
        name=spec["project"],
        service_type=spec["service"],
        tier=tier,
        price=price,
        timeline_weeks=max(tier.weeks_min, 4),
        guarantee_amount=min(price, tier.refund_cap),
        guarantee_threshold=tier.guarantee_threshold,
        has_ui_requirements=True,
        has_compliance_requirements=False,
        accepted_at=timezone.now(),  # under the demo clock: two days before the start
    )


def _run_weeks(ctx: Any, guarantee: Guarantee, spec: dict[str, Any]) -> None:
    """Evidence for every criterion, the CSM's validation, and the executive's sign-off, week by week."""
    executive = Stakeholder.objects.get(customer=guarantee.project.customer, role=Stakeholder.Role.EXECUTIVE)
    for milestone in guarantee.milestones.order_by("week"):
        week_start = guarantee.starts_on + timedelta(days=7 * (milestone.week - 1))
        # Evidence through the week, validated and sent for sign-off on day 5, approved the next morning.
        with demo_clock(on(week_start + timedelta(days=4), time(10, 0))):
            for criterion in milestone.criteria.all():
                method = METHODS[criterion.method]
                if method.stakeholder_supplied:
                    answer_as_stakeholders(csm=ctx.csm, criterion=criterion, pct=spec["level"])
                    continue
                data = EVIDENCE.get(method.key, method.demo_evidence)(spec["level"])
                record_evidence(actor=ctx.csm, criterion=criterion, data=data, source=Evidence.Source.STAFF)
            validate_milestone(milestone_id=milestone.pk)
            milestone = Milestone.objects.get(pk=milestone.pk)
            submit_for_sign_off(actor=ctx.csm, milestone=milestone)
        comments = spec["comments"]
        reason = comments[milestone.week - 1] if comments else "Evidence reviewed; it reflects where we are."
        with demo_clock(on(week_start + timedelta(days=5), time(11, 0))):
            record_signoff(
                user=executive.user,
                milestone_id=milestone.pk,
                decision="approved",
                reason=reason,
                digest_seen=digest_of(milestone),
                ip=None,
                user_agent="demo data",
            )


def _enter_figures(ctx: Any, guarantee: Guarantee) -> None:
    figures = {
        "performance-improvement": {"value": Decimal("22"), "note": "Load test vs legacy baseline, JMeter report"},
        "vulnerability-reduction": {"baseline": Decimal("40"), "current": Decimal("24"), "note": "SAST scans"},
        "velocity-improvement": {"value": Decimal("25"), "note": "Jira velocity, sprints 1 vs 4"},
    }
    for config in FinalCriterionConfig.objects.filter(service_type=guarantee.service_type):
        figure = figures.get(config.key)
        if config.entered_by_csm and figure:
            services.save_final_input(
                actor=ctx.csm,
                guarantee=guarantee,
                config=config,
                source_note=figure["note"],
                value=figure.get("value"),
                baseline=figure.get("baseline"),
                current=figure.get("current"),
            )


def _end(ctx: Any, guarantee: Guarantee, spec: dict[str, Any]) -> None:
    if spec["end"] == "success":
        document = SuccessDocument.objects.get(guarantee=guarantee)
        services.update_business_impact(actor=ctx.csm, document=document, business_impact=IMPACT)
        return
    executive = Stakeholder.objects.get(customer=guarantee.project.customer, role=Stakeholder.Role.EXECUTIVE)
    opener = executive.user if spec["end"] != Remedy.MIGRATION_ASSISTANCE else ctx.csm
    claim = services.open_claim(
        actor=opener,
        guarantee=guarantee,
        remedy=spec["end"],
        description="The guarantee ended below its success threshold.",
    )
    approver = ctx.admin if spec["end"] == Remedy.REFUND else ctx.csm
    services.start_review(actor=ctx.csm, claim=claim)
    services.approve_claim(actor=approver, claim=claim)
    if spec["end"] == Remedy.REFUND:
        payout = Payout.objects.get(claim=claim)
        reference = f"DEMO-REFUND-{guarantee.pk:05d}"
        services.record_payout(actor=ctx.admin, payout=payout, reference=reference, amount=payout.amount)
        services.settle_payout(payout_id=payout.pk)
    elif spec["end"] == Remedy.MIGRATION_ASSISTANCE:
        for task in claim.tasks.order_by("position")[:2]:
            services.complete_migration_task(actor=ctx.csm, task=task)
