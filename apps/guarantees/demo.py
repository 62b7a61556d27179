"""Demo guarantees at every stage, through the services: just activated, week 2 at risk, week 3 failed then
recovered (now awaiting the customer's sign-off), and all four weeks signed off.

Each project goes through the real kickoff (environments marked ready as CI would, then the six phases); the
guarantees that started earlier are activated with their real start date first. Safe to run twice: a demo project
that already exists by name is left alone.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.core.demo import demo_clock, on
from apps.customers.models import Stakeholder
from apps.guarantees.activation import activate_guarantee
from apps.guarantees.demo_answers import answer_as_stakeholders
from apps.guarantees.methods import METHODS
from apps.guarantees.models import Evidence, Guarantee, Milestone
from apps.guarantees.recording import record_evidence
from apps.guarantees.signoff import record_signoff, submit_for_sign_off
from apps.guarantees.validation import digest_of, validate_milestone
from apps.projects import kickoff
from apps.projects.models import Environment, KickoffPhase, Project
from apps.projects.services import create_project, mark_environment
from apps.tiers.models import Tier

# customer, project, service type, tier, price, days since the guarantee started, and the story of its weeks
SCENARIOS: list[dict[str, Any]] = [
    {
        "customer": "Initech Logistics",
        "project": "Route Planner Team Extension",
        "service": "team_augmentation",
        "tier": "team-augmentation",
        "price": 90_000,
        "started_days_ago": 0,
        "weeks": [],
    },
    {
        "customer": "Acme Robotics",
        "project": "Robot Arm Control MVP",
        "service": "mvp_development",
        "tier": "startup-mvp",
        "price": 110_000,
        "started_days_ago": 10,
        "weeks": [
            ("signed", 100),
            ("scored", {"core-features": 80, "api-integration": 60, "security-implementation": 70}),
        ],
    },
    {
        "customer": "Globex Health",
        "project": "Clinical Scheduling Modernization",
        "service": "legacy_modernization",
        "tier": "legacy-modernization-accelerated",
        "price": 420_000,
        "started_days_ago": 19,
        "weeks": [("signed", 90), ("signed", 90), ("recovered", 50, 90)],
    },
    {
        "customer": "Acme Robotics",
        "project": "Parts Catalogue MVP",
        "service": "mvp_development",
        "tier": "startup-mvp",
        "price": 85_000,
        "started_days_ago": 31,
        "weeks": [("signed", 100), ("signed", 90), ("signed", 90), ("signed", 100)],
    },
]


def seed(ctx: Any) -> None:
    made = []
    for spec in SCENARIOS:
        customer = ctx.customers[spec["customer"]]
        if Project.objects.filter(customer=customer, name=spec["project"]).exists():
            continue
        project = _project(ctx, customer, spec)
        guarantee = Guarantee.objects.get(project=project)
        for milestone, story in zip(guarantee.milestones.order_by("week"), spec["weeks"], strict=False):
            # Each week's evidence on its day 5 and the sign-off the next morning (or just now, for this week).
            week_start = guarantee.starts_on + timedelta(days=7 * (milestone.week - 1))
            _play(
                ctx,
                milestone,
                story,
                evidence_at=on(week_start + timedelta(days=4)),
                decided_at=on(week_start + timedelta(days=5), time(11, 0)),
            )
        guarantee.refresh_from_db()
        made.append(f"{spec['project']} ({guarantee.get_status_display().lower()})")
    ctx.log(f"Guarantees under way: {', '.join(made) or 'already there'}")


def _project(ctx: Any, customer: Any, spec: dict[str, Any]) -> Project:
    """Create the project when the proposal was accepted, then on the start date activate and kick it off."""
    tier = Tier.objects.get(slug=spec["tier"])
    started = timezone.localdate() - timedelta(days=spec["started_days_ago"])
    with demo_clock(on(started - timedelta(days=2), time(16, 0))):
        project = _create(ctx, customer, spec, tier)
    with demo_clock(on(started, time(8, 30))):
        if spec["started_days_ago"]:
            activate_guarantee(actor=ctx.csm, project=project, starts_on=started)
        for name in Environment.Name.values:
            mark_environment(
                actor=None, project=project, name=name, url=f"https://{name}.{project.pk}.example", by="API key demo-ci"
            )
        kickoff.start_kickoff(actor=ctx.csm, project=project, standup_time=time(9, 30))
        _run_queued_phases(project, ctx.csm)
    return project


def _create(ctx: Any, customer: Any, spec: dict[str, Any], tier: Tier) -> Project:
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
        has_ui_requirements=spec["service"] == "mvp_development",
        has_compliance_requirements=spec["service"] == "legacy_modernization",
        accepted_at=timezone.now(),  # under the demo clock: two days before the start
    )


def _run_queued_phases(project: Project, actor: Any) -> None:
    # Without a running worker the queued tasks would wait; run each phase here (the worker later skips them).
    while (phase := project.phases.filter(status=KickoffPhase.Status.QUEUED).order_by("position").first()) is not None:
        kickoff.run_phase(project_id=project.pk, phase_key=phase.key, actor_id=actor.pk)


def _evidence(ctx: Any, milestone: Milestone, pct: int | dict[str, int]) -> None:
    for criterion in milestone.criteria.all():
        score = pct if isinstance(pct, int) else pct[criterion.key]
        method = METHODS[criterion.method]
        if method.stakeholder_supplied:  # the company's people answer these (`demo_answers`)
            answer_as_stakeholders(csm=ctx.csm, criterion=criterion, pct=score)
            continue
        record_evidence(
            actor=ctx.csm,
            criterion=criterion,
            data=method.demo_evidence(score),
            source=Evidence.Source.STAFF,
            note="Demo evidence",
        )
    validate_milestone(milestone_id=milestone.pk)


def _play(ctx: Any, milestone: Milestone, story: tuple, *, evidence_at: Any, decided_at: Any) -> None:
    kind = story[0]
    with demo_clock(evidence_at):
        _evidence(ctx, milestone, story[1])
        if kind == "recovered":
            _evidence(ctx, milestone, story[2])
        if kind in ("signed", "recovered"):
            submit_for_sign_off(actor=ctx.csm, milestone=Milestone.objects.get(pk=milestone.pk))
    if kind == "signed":
        with demo_clock(decided_at):
            _sign(milestone)


def _sign(milestone: Milestone) -> None:
    milestone = Milestone.objects.get(pk=milestone.pk)
    approvers = Stakeholder.objects.filter(pk__in=milestone.required_approvers).select_related("user")
    for approver in approvers:
        record_signoff(
            user=approver.user,
            milestone_id=milestone.pk,
            decision="approved",
            reason="Reviewed the evidence with the team; agreed.",
            digest_seen=digest_of(milestone),
            ip=None,
            user_agent="demo data",
        )
