"""My work: what needs a CSM's attention today, from the portal's own data.

Each section is one small object in `WORK_SECTIONS` (a key, a heading, a sentence for its empty state and one
function that reads its items). A section costs one query whatever the book's size: the items shown (at most
`limit`), each row carrying the section's total from an uncorrelated count subquery (PostgreSQL runs it once, as an
InitPlan, and the list keeps its index scan and LIMIT) or, for a section marked `window_total`, a window count; no
row means a total of 0. Later apps add their sections with one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.urls import reverse

from apps.guarantees.models import Milestone, MilestoneAction, MilestoneCriterion
from apps.leads.models import Lead
from apps.outcomes.models import Claim, Payout
from apps.retention.models import Task
from apps.tiers.models import Proposal

SECTION_LIMIT = 10


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    due: dt.date | None
    detail: str = ""
    waiting_since: dt.datetime | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class Scope:
    """Whose work: one CSM's (`owner`) or everyone's (`owner` None, admins only)."""

    owner: Any | None
    today: dt.date
    now: dt.datetime


@dataclass
class WorkSection:
    key: str
    heading: str
    empty: str
    items: list[WorkItem] = field(default_factory=list)
    count: int = 0

    def overdue_count(self, today: dt.date) -> int:
        return sum(1 for item in self.items if item.is_overdue(today))


@dataclass(frozen=True)
class SectionSpec:
    key: str
    heading: str
    empty: str
    read: Callable[[Scope], tuple[QuerySet, Callable[[Any], WorkItem]]]
    # True where the list sorts every matching row anyway (no index gives its order): a window count
    # (`COUNT(*) OVER ()`) then reads the joins once instead of twice. Elsewhere the count subquery keeps the
    # list's early stop at the LIMIT (the leads' window count took 27 ms against 0.3 ms).
    window_total: bool = False


def _owned(queryset: QuerySet, path: str, scope: Scope) -> QuerySet:
    return queryset if scope.owner is None else queryset.filter(**{path: scope.owner})


def _awaiting_sign_off(scope: Scope):
    milestones = _owned(
        Milestone.objects.filter(review=Milestone.Review.AWAITING_SIGN_OFF),
        "guarantee__project__customer__owner",
        scope,
    ).select_related("guarantee__project__customer")

    def item(milestone: Milestone) -> WorkItem:
        project = milestone.guarantee.project
        return WorkItem(
            title=f"Week {milestone.week} of {project.name} awaits sign-off",
            url=reverse("guarantees:milestone", args=[milestone.pk]),
            due=milestone.due_date,
            detail=project.customer.name,
            waiting_since=milestone.submitted_at,
        )

    return milestones.order_by("due_date", "pk"), item


def _evidence_missing(scope: Scope):
    missing = MilestoneCriterion.objects.filter(milestone=OuterRef("pk"), latest_evidence__isnull=True)
    milestones = _owned(
        Milestone.objects.filter(
            review=Milestone.Review.OPEN,
            due_date__lte=scope.today + dt.timedelta(days=7),
            guarantee__status__in=["active", "at_risk", "failed_week"],
        ).filter(Exists(missing)),
        "guarantee__project__customer__owner",
        scope,
    ).select_related("guarantee__project__customer")

    def item(milestone: Milestone) -> WorkItem:
        project = milestone.guarantee.project
        return WorkItem(
            title=f"Week {milestone.week} of {project.name} is missing evidence",
            url=reverse("guarantees:milestone", args=[milestone.pk]),
            due=milestone.due_date,
            detail=project.customer.name,
        )

    return milestones.order_by("due_date", "pk"), item


def _actions(scope: Scope):
    actions = MilestoneAction.objects.filter(status=MilestoneAction.Status.OPEN)
    if scope.owner is not None:
        actions = actions.filter(
            Q(assignee=scope.owner) | Q(milestone__guarantee__project__customer__owner=scope.owner)
        )
    actions = actions.select_related("milestone__guarantee__project__customer")

    def item(action: MilestoneAction) -> WorkItem:
        milestone = action.milestone
        return WorkItem(
            title=f"{action.get_kind_display()}: {action.title}",
            url=reverse("guarantees:milestone", args=[milestone.pk]),
            due=action.due_on,
            detail=f"{milestone.guarantee.project.customer.name} · week {milestone.week}",
        )

    return actions.order_by("due_on", "pk"), item


def _claims(scope: Scope):
    claims = _owned(
        Claim.objects.filter(status__in=[Claim.Status.OPENED, Claim.Status.UNDER_REVIEW]),
        "guarantee__project__customer__owner",
        scope,
    ).select_related("guarantee__project__customer")

    def item(claim: Claim) -> WorkItem:
        project = claim.guarantee.project
        step = "awaits review" if claim.status == Claim.Status.OPENED else "awaits a decision"
        return WorkItem(
            title=f"Claim on {project.name} {step}",
            url=reverse("outcomes:claim", args=[claim.pk]),
            due=None,
            detail=f"{project.customer.name} · {claim.get_remedy_display()}",
            waiting_since=claim.status_changed_at,
        )

    return claims.order_by("opened_at", "pk"), item


def _refunds(scope: Scope):
    payouts = _owned(
        Payout.objects.filter(status__in=[Payout.Status.APPROVED, Payout.Status.RECORDED]),
        "guarantee__project__customer__owner",
        scope,
    ).select_related("guarantee__project__customer")

    def item(payout: Payout) -> WorkItem:
        project = payout.guarantee.project
        return WorkItem(
            title=f"Refund for {project.name}: {payout.get_status_display().lower()}",
            url=reverse("outcomes:claim", args=[payout.claim_id]),
            due=None,
            detail=project.customer.name,
            waiting_since=payout.approved_at,
        )

    return payouts.order_by("approved_at", "pk"), item


def _leads(scope: Scope):
    leads = _owned(Lead.objects.filter(status__in=Lead.OPEN_STATUSES), "owner", scope)

    def item(lead: Lead) -> WorkItem:
        waiting = "waits to be scored" if lead.status in (Lead.Status.NEW, Lead.Status.SCORING) else "waits a decision"
        return WorkItem(
            title=f"{lead.organization_name} {waiting}",
            url=reverse("leads:detail", args=[lead.pk]),
            due=None,
            detail=lead.get_status_display(),
            waiting_since=lead.created_at,
        )

    return leads.order_by("created_at", "pk"), item


def _proposals(scope: Scope):
    proposals = _owned(
        Proposal.objects.filter(
            status=Proposal.Status.SENT,
            expires_at__isnull=False,
            expires_at__lte=scope.now + dt.timedelta(days=7),
        ),
        "lead__owner",
        scope,
    ).select_related("lead", "tier")

    def item(proposal: Proposal) -> WorkItem:
        return WorkItem(
            title=f"Proposal to {proposal.lead.organization_name} expires",
            url=reverse("tiers:proposal_detail", args=[proposal.pk]),
            due=proposal.expires_at.date(),
            detail=f"{proposal.tier.name} · version {proposal.version}",
        )

    return proposals.order_by("expires_at", "pk"), item


def _follow_ups(scope: Scope):
    tasks = Task.objects.filter(status=Task.Status.OPEN, run__isnull=True)
    if scope.owner is not None:
        tasks = tasks.filter(owner=scope.owner)
    tasks = tasks.select_related("customer")

    def item(task: Task) -> WorkItem:
        return WorkItem(
            title=task.title,
            url=reverse("customers:detail", args=[task.customer_id]),
            due=task.due_on,
            detail=f"{task.customer.name} · {task.get_kind_display()}",
        )

    return tasks.order_by("due_on", "pk"), item


def _playbook_tasks(scope: Scope):
    tasks = _owned(Task.objects.filter(status=Task.Status.OPEN, run__isnull=False), "owner", scope)
    tasks = tasks.select_related("customer", "run__playbook")

    def item(task: Task) -> WorkItem:
        return WorkItem(
            title=task.title,
            url=reverse("customers:detail", args=[task.customer_id]) + "#playbooks",
            due=task.due_on,
            detail=f"{task.customer.name} · {task.run.playbook.name} playbook",
        )

    return tasks.order_by("due_on", "pk"), item


WORK_SECTIONS: list[SectionSpec] = [
    SectionSpec(
        "sign_off",
        "Weeks awaiting sign-off",
        "No week is waiting for a customer's sign-off.",
        _awaiting_sign_off,
    ),
    SectionSpec(
        "evidence",
        "Milestones due within 7 days with missing evidence",
        "Every milestone due this week has its evidence.",
        _evidence_missing,
        window_total=True,
    ),
    SectionSpec(
        "actions",
        "Recovery and escalation actions",
        "No recovery or escalation action is open.",
        _actions,
    ),
    SectionSpec(
        "follow_ups",
        "Follow-ups (detractors and retention tasks)",
        "No follow-up is open: no detractor is waiting for a call.",
        _follow_ups,
    ),
    SectionSpec(
        "playbook_tasks",
        "Playbook tasks",
        "No playbook task is open.",
        _playbook_tasks,
    ),
    SectionSpec("claims", "Open claims", "No claim is waiting for review or a decision.", _claims),
    SectionSpec(
        "refunds",
        "Refunds awaiting finance",
        "No approved refund is waiting to be paid.",
        _refunds,
    ),
    SectionSpec(
        "leads",
        "Leads waiting to be scored or decided",
        "Every lead has been scored and decided.",
        _leads,
    ),
    SectionSpec(
        "proposals",
        "Proposals expiring within 7 days",
        "No sent proposal expires this week.",
        _proposals,
    ),
]


def _total(queryset: QuerySet) -> Subquery:
    """The queryset's row count as a scalar subquery (one row: a count grouped by a constant)."""
    counted = queryset.order_by().values(_one=Value(1)).annotate(_n=Count("*")).values("_n")
    return Subquery(counted, output_field=IntegerField())


def my_work(*, scope: Scope, limit: int = SECTION_LIMIT) -> list[WorkSection]:
    sections = []
    for spec in WORK_SECTIONS:
        queryset, to_item = spec.read(scope)
        total = Window(Count("*")) if spec.window_total else _total(queryset)
        rows = list(queryset.annotate(_section_total=total)[:limit])
        items = [to_item(row) for row in rows]
        count = rows[0]._section_total if rows else 0
        sections.append(WorkSection(spec.key, spec.heading, spec.empty, items=items, count=count))
    return sections
