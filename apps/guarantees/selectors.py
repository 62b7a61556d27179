"""Reads for the guarantee pages (staff and client faces share them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from apps.customers.models import Stakeholder
from apps.guarantees import responses
from apps.guarantees.client_input import recorded_by_text
from apps.guarantees.methods import METHODS
from apps.guarantees.models import (
    Evidence,
    Guarantee,
    Milestone,
    MilestoneAction,
    MilestoneCriterion,
    Participant,
    SignOff,
)
from apps.guarantees.scoring import MilestoneResult
from apps.guarantees.validation import digest_of, result_for


def guarantee_list(*, user: Any, status: str = "") -> QuerySet[Guarantee]:
    guarantees = Guarantee.objects.visible_to(user).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("week"))
    )
    if status:
        guarantees = guarantees.filter(status=status)
    return guarantees.order_by("-activated_at", "-pk")


@dataclass(frozen=True)
class Day:
    number: int
    on: date
    state: str  # past, today, future
    milestone: Milestone | None


def timeline(guarantee: Guarantee, milestones: list[Milestone], today: date) -> list[Day]:
    """One entry per day of the guarantee (day 1 = the day after activation), checkpoints on their due days."""
    by_date = {m.due_date: m for m in milestones}
    days = []
    for number in range(1, guarantee.duration_days + 1):
        on = guarantee.starts_on + timedelta(days=number)
        state = "today" if on == today else ("past" if on < today else "future")
        days.append(Day(number, on, state, by_date.get(on)))
    return days


def trend_points(milestones: list[Milestone], width: int = 300, height: int = 100) -> dict[str, Any]:
    """SVG coordinates of the weekly scores (x by week, y by score), for the score-trend line."""
    scored = [m for m in milestones if m.score is not None]
    if not scored:
        return {"points": "", "dots": []}
    step = width / max(len(milestones) - 1, 1)
    dots = []
    for m in scored:
        x = round((m.week - 1) * step, 1)
        y = round(height - float(m.score) / 100 * height, 1)
        dots.append({"x": x, "y": y, "week": m.week, "score": m.score, "status": m.status})
    return {"points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots, "width": width, "height": height}


def next_due(milestones: list[Milestone], today: date) -> dict[str, Any] | None:
    """The first week not yet closed, with what it still needs."""
    open_week = next((m for m in milestones if not m.is_closed), None)
    if open_week is None:
        return None
    missing = [c.name for c in open_week.criteria.all() if c.latest_evidence_id is None]
    days_left = (open_week.due_date - today).days
    return {"milestone": open_week, "days_left": days_left, "days_overdue": -days_left, "missing": missing}


def guarantee_page(guarantee: Guarantee, today: date) -> dict[str, Any]:
    milestones = list(
        guarantee.milestones.order_by("week").prefetch_related(
            Prefetch("criteria", queryset=MilestoneCriterion.objects.order_by("position"))
        )
    )
    elapsed = min(max((today - guarantee.starts_on).days, 0), guarantee.duration_days)
    return {
        "guarantee": guarantee,
        "project": guarantee.project,
        "milestones": milestones,
        "days": timeline(guarantee, milestones, today),
        "trend": trend_points(milestones),
        "next_due": next_due(milestones, today),
        "elapsed": elapsed,
        "today": today,
    }


@dataclass(frozen=True)
class CriterionRow:
    criterion: MilestoneCriterion
    method_label: str
    contribution: Decimal | None
    complete: bool
    versions: list[Evidence]
    stakeholder_input: bool
    answers: list[dict[str, Any]] = field(default_factory=list)  # the latest answer of each stakeholder
    invited: list[dict[str, Any]] = field(default_factory=list)  # UAT / survey: who is asked, who answered


def milestone_page(milestone: Milestone, today: date) -> dict[str, Any]:
    criteria = list(
        milestone.criteria.order_by("position")
        .select_related("latest_evidence")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("submitted_by").order_by("-version")),
            Prefetch("participants", queryset=Participant.objects.select_related("stakeholder")),
        )
    )
    result: MilestoneResult = result_for(milestone, as_of=today)
    parts = {c.key: c for c in result.criteria}
    rows = [
        CriterionRow(
            c,
            METHODS[c.method].label,
            parts[c.key].contribution if c.score is not None else None,
            parts[c.key].complete,
            list(c.evidence.all()),
            METHODS[c.method].stakeholder_supplied,
            *answers_of(c),
        )
        for c in criteria
    ]
    latest_evidence_at = max((v.created_at for row in rows for v in row.versions[:1]), default=None)
    return {
        "milestone": milestone,
        "guarantee": milestone.guarantee,
        "rows": rows,
        "result": result,
        "validating": latest_evidence_at is not None
        and (milestone.scored_at is None or milestone.scored_at < latest_evidence_at),
        "actions": list(milestone.actions.select_related("assignee").order_by("-round", "kind", "pk")),
        "signoffs": list(milestone.signoffs.select_related("stakeholder").order_by("-round", "decided_at")),
        "approvers": _approvers(milestone),
        "digest": digest_of(milestone),
        "history": list(milestone.scores.order_by("-computed_at")[:10]),
        "reopened_by": _last_rejection(milestone),
    }


def answer_rows(criterion: MilestoneCriterion) -> list[dict[str, Any]]:
    """Each stakeholder's latest answer in words, with who recorded it ("recorded by <CSM> for <stakeholder>")."""
    latest = criterion.latest_evidence
    if latest is None or not responses.is_response_method(criterion.method):
        return []
    summary = responses.RESPONSES[criterion.method].summary
    with_files = {v.version: v for v in criterion.evidence.all() if v.file}
    return [
        {
            "stakeholder_id": c.get("stakeholder_id"),
            "name": c.get("name"),
            "answer": summary(c),
            "attribution": recorded_by_text(c),
            "on_behalf": bool(c.get("on_behalf")),
            "note": c.get("note", ""),
            "version": c.get("version"),
            "document": with_files.get(c.get("version")),
        }
        for c in latest.contributions
    ]


def answers_of(criterion: MilestoneCriterion) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    answers = answer_rows(criterion)
    answered = {a["stakeholder_id"] for a in answers}
    invited = [
        {"name": p.stakeholder.name, "answered": p.stakeholder_id in answered} for p in criterion.participants.all()
    ]
    return answers, invited


def _last_rejection(milestone: Milestone) -> SignOff | None:
    """The rejection that reopened the current round, if the week is open again after one."""
    if milestone.review != Milestone.Review.OPEN or milestone.round == 1:
        return None
    return (
        SignOff.objects.filter(milestone=milestone, round=milestone.round - 1, decision=SignOff.Decision.REJECTED)
        .select_related("stakeholder")
        .first()
    )


def _approvers(milestone: Milestone) -> list[dict[str, Any]]:
    """Who was asked to sign off this round, and what each decided so far."""
    if not milestone.required_approvers:
        return []
    decisions = {s.stakeholder_id: s for s in SignOff.objects.filter(milestone=milestone, round=milestone.round)}
    people = Stakeholder.objects.filter(pk__in=milestone.required_approvers).order_by("name")
    return [{"stakeholder": p, "decision": decisions.get(p.pk)} for p in people]


def open_actions(milestone: Milestone) -> list[MilestoneAction]:
    return list(milestone.actions.filter(round=milestone.round, status=MilestoneAction.Status.OPEN))
