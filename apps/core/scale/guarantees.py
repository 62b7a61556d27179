"""Guarantees in their first two weeks: one per fifth customer, with a project, four milestones and evidence.

Every guarantee started 0-6 days ago, so its weeks are still open: the evidence recorded so far (the methods a
CSM or a machine records; stakeholder answers are not seeded) is scored by the methods' own rules, and a week with
evidence carries the score record `validate_milestone` would store for it (pending until its due date).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.utils import timezone

from apps.core.scale.people import Book
from apps.core.scale.writer import IdPool, insert
from apps.guarantees.methods import METHODS, evidence_from_data, evidence_to_data, score_evidence
from apps.guarantees.models import (
    Evidence,
    Guarantee,
    GuaranteeTemplate,
    MethodSettings,
    Milestone,
    MilestoneCriterion,
    MilestoneScore,
)
from apps.guarantees.recording import with_configured_values
from apps.guarantees.scoring import Criterion, evidence_digest, score_milestone
from apps.projects.models import Project
from apps.tiers.models import Tier

EVERY = 5  # one guarantee per fifth customer: 2,000 per 10,000
TIERS = {
    "mvp_development": "startup-mvp",
    "legacy_modernization": "legacy-modernization-accelerated",
    "team_augmentation": "team-augmentation",
}
PERCENTS = (100, 90, 80, 70, 90, 60)


class Context:
    """The templates, tiers and settings every guarantee is built from, read once."""

    def __init__(self) -> None:
        self.settings = MethodSettings.load()
        self.config = self.settings.to_config()
        self.templates = {
            t.service_type: (t, [(w, list(w.criteria.all())) for w in t.milestones.all()])
            for t in GuaranteeTemplate.objects.prefetch_related("milestones__criteria")
        }
        self.ids = IdPool()
        self.tiers = {service: Tier.objects.get(slug=slug) for service, slug in TIERS.items()}

    @cache  # noqa: B019  (one context per run)
    def evidence(self, method: str, pct: int) -> tuple[dict[str, Any], Any]:
        data = with_configured_values(method, METHODS[method].demo_evidence(pct), self.settings)
        obj = evidence_from_data(method, data)
        return evidence_to_data(obj), score_evidence(method, obj, self.config)


def build_guarantees(book: Book) -> dict[str, int]:
    ctx, now, today = Context(), timezone.now(), timezone.localdate()
    chosen = [i for i in book.indexes if i % EVERY == 0]
    ids = ctx.ids.take(Project, len(chosen))
    rows: dict[str, list[dict[str, Any]]] = {
        "project": [],
        "guarantee": [],
        "milestone": [],
        "criterion": [],
        "evidence": [],
        "score": [],
    }
    for k, i in enumerate(chosen):
        service = list(TIERS)[i // EVERY % 3]
        _one(ctx, book, i, ids[k], service, now, today, rows)
    insert(Project, rows["project"])
    insert(Guarantee, rows["guarantee"])
    insert(Milestone, rows["milestone"])
    insert(Evidence, rows["evidence"])  # before the criteria that point at their latest version (FKs are deferred)
    insert(MilestoneCriterion, rows["criterion"])
    insert(MilestoneScore, rows["score"])
    return {
        "projects": len(rows["project"]),
        "guarantees": len(rows["guarantee"]),
        "milestones": len(rows["milestone"]),
        "evidence": len(rows["evidence"]),
    }


def _one(ctx: Context, book: Book, i: int, project_id: int, service: str, now: Any, today: Any, rows: dict) -> None:  # noqa: PLR0913
    template, weeks = ctx.templates[service]
    tier = ctx.tiers[service]
    started_ago = i // EVERY % 7
    starts_on = today - timedelta(days=started_ago)
    activated = now - timedelta(days=started_ago)
    price = Decimal(60_000 + (i * 7919) % 300_000)
    rows["project"].append(
        {
            "id": project_id,
            "customer_id": book.customer_ids[i],
            "name": f"Scale project {i:06d}",
            "service_type": service,
            "status": Project.Status.ACTIVE,
            "tier_id": tier.pk,
            "tier_slug": tier.slug,
            "tier_name": tier.name,
            "developer_agents": 3,
            "price": price,
            "timeline_weeks": max(tier.weeks_min, 4),
            "guarantee_amount": min(price, tier.refund_cap),
            "guarantee_threshold": tier.guarantee_threshold,
            "has_ui_requirements": service == "mvp_development",
            "has_compliance_requirements": False,
            "source_lead_id": None,
            "source_proposal_id": None,
            "accepted_at": activated - timedelta(days=2),
            "kickoff_started_at": activated,
            "kickoff_completed_at": activated,
            "created_by_id": book.owner_ids[i],
            "created_at": activated - timedelta(days=2),
            "updated_at": activated,
        }
    )
    guarantee_id = ctx.ids.take(Guarantee, 1)[0]
    rows["guarantee"].append(
        {
            "id": guarantee_id,
            "project_id": project_id,
            "service_type": service,
            "template_name": template.name,
            "amount": min(price, tier.refund_cap),
            "threshold": tier.guarantee_threshold,
            "status": Guarantee.Status.ACTIVE,
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=template.duration_days),
            "activated_at": activated,
            "status_changed_at": activated,
            "created_at": activated,
        }
    )
    milestone_ids = ctx.ids.take(Milestone, len(weeks))
    for (week, criteria), milestone_id in zip(weeks, milestone_ids, strict=True):
        _week(ctx, book, i, guarantee_id, milestone_id, week, criteria, starts_on, activated, today, rows)


def _week(ctx, book, i, guarantee_id, milestone_id, week, criteria, starts_on, activated, today, rows) -> None:  # noqa: ANN001, PLR0913
    due = starts_on + timedelta(days=week.due_day)
    with_evidence = week.week == 1 or (week.week == 2 and today >= starts_on + timedelta(days=3))
    criterion_ids = ctx.ids.take(MilestoneCriterion, len(criteria))
    scored, digest_items = [], []
    for position, (c, criterion_id) in enumerate(zip(criteria, criterion_ids, strict=True)):
        latest, score = None, None
        if with_evidence and not METHODS[c.method].stakeholder_supplied:
            pct = PERCENTS[(i + week.week + position) % len(PERCENTS)]
            latest, score = _evidence(ctx, book, i, criterion_id, c.method, pct, activated, rows, digest_items, c.key)
        rows["criterion"].append(
            {
                "id": criterion_id,
                "milestone_id": milestone_id,
                "position": c.position,
                "key": c.key,
                "name": c.name,
                "weight": c.weight,
                "method": c.method,
                "score": score,
                "latest_evidence_id": latest,
            }
        )
        scored.append(Criterion(c.key, c.name, c.weight, score))
    milestone = {
        "id": milestone_id,
        "guarantee_id": guarantee_id,
        "week": week.week,
        "title": week.title,
        "due_date": due,
        "pass_threshold": week.pass_threshold,
        "escalation_threshold": week.escalation_threshold,
        "status": Milestone.Status.PENDING,
        "score": None,
        "status_reason": "",
        "scored_at": None,
        "review": Milestone.Review.OPEN,
        "round": 1,
        "guarantee_round": 1,
        "required_approvers": [],
        "submitted_at": None,
        "closed_at": None,
    }
    if digest_items:
        result = score_milestone(
            scored, week.pass_threshold, week.escalation_threshold, due, today, complete_at=ctx.settings.complete_at
        )
        milestone.update(
            status=result.status.value,
            score=result.score,
            status_reason=result.reason[:400],
            scored_at=activated + timedelta(hours=2),
        )
        rows["score"].append(_score_row(ctx, milestone_id, result, evidence_digest(digest_items), activated))
    rows["milestone"].append(milestone)


def _evidence(ctx, book, i, criterion_id, method, pct, activated, rows, digest_items, key) -> tuple[int, Any]:  # noqa: ANN001, PLR0913
    """One or two versions (a weaker first try, then the current one); returns (latest id, latest score)."""
    versions = [max(pct - 30, 10), pct] if pct < 90 else [pct]
    ids = ctx.ids.take(Evidence, len(versions))
    for number, (pk, value) in enumerate(zip(ids, versions, strict=True), start=1):
        data, result = ctx.evidence(method, value)
        rows["evidence"].append(
            {
                "id": pk,
                "criterion_id": criterion_id,
                "version": number,
                "method": method,
                "data": data,
                "contributions": [],
                "score": result.score,
                "reason": result.reason[:400],
                "note": "",
                "parts": [{"label": p.label, "value": str(p.value), "note": p.note} for p in result.parts],
                "file": "",
                "file_name": "",
                "file_type": "",
                "file_size": None,
                "file_sha256": "",
                "source": Evidence.Source.API,
                "submitted_by_id": None,
                "submitted_by_label": "API key scale-ci",
                "created_at": activated + timedelta(hours=number),
            }
        )
    digest_items.append(
        {
            "criterion": key,
            "evidence_id": ids[-1],
            "version": len(versions),
            "method": method,
            "data": data,
            "file_sha256": "",
        }
    )
    return ids[-1], result.score


def _score_row(ctx: Context, milestone_id: int, result: Any, digest: str, activated: Any) -> dict[str, Any]:
    return {
        "id": ctx.ids.take(MilestoneScore, 1)[0],
        "milestone_id": milestone_id,
        "round": 1,
        "score": result.score,
        "status": result.status.value,
        "missing": list(result.missing),
        "reason": result.reason[:400],
        "parts": [
            {
                "key": c.key,
                "name": c.name,
                "weight": str(c.weight),
                "score": None if c.score is None else str(c.score),
                "contribution": str(c.contribution),
                "complete": c.complete,
                "reason": c.reason,
            }
            for c in result.criteria
        ],
        "settings": {
            **ctx.settings.snapshot(),
            "pass_threshold": str(result.pass_threshold),
            "escalation_threshold": str(result.escalation_threshold),
        },
        "evidence_digest": digest,
        "computed_at": activated + timedelta(hours=2),
    }
