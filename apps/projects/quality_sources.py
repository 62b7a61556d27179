"""Reads behind the process gates: a project's weeks, sign-off requests, escalations and survey results.

Each function turns the portal's rows into the pure inputs of `quality.py` and returns its `Measure`, so the run
page can show the number, the count behind it and every record it counted.

Deadlines, from data the portal already keeps:
- a sign-off request (a week sent to the approvers) is answered when the first approver decides (approves or
  rejects); its deadline is the week's due date, or the day it was sent when that is later, plus the configured
  grace days. A round the CSM took back before anyone decided is not counted (nobody had to answer it).
- an escalation (the escalation actions of a failed week's round) is answered when all its actions are done; its
  deadline is the actions' own due date (set when the week failed).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.projects import quality
from apps.projects.models import Project

SUBMITTED = "milestone.submitted_for_sign_off"


def _local(moment: datetime | None) -> date | None:
    return None if moment is None else timezone.localdate(moment)


def _milestones(project: Project) -> list[Any]:
    guarantee = getattr(project, "guarantee", None)
    if guarantee is None:
        return []
    return list(guarantee.milestones.order_by("week"))


def milestone_adherence(project: Project, today: date) -> quality.Measure:
    weeks = [
        quality.DueWeek(f"Week {m.week}: {m.title}", m.due_date, _local(m.closed_at) if m.is_closed else None)
        for m in _milestones(project)
    ]
    return quality.milestone_adherence(weeks, today)


def responsiveness(project: Project, today: date, grace_days: int) -> quality.Measure:
    milestones = _milestones(project)
    return quality.responsiveness(
        [*_signoff_requests(milestones, grace_days), *_escalation_requests(milestones)], today
    )


def _signoff_requests(milestones: list[Any], grace_days: int) -> list[quality.Request]:
    from apps.guarantees.models import SignOff

    by_id = {str(m.pk): m for m in milestones}
    sent = AuditEvent.objects.filter(action=SUBMITTED, object_type="guarantees.milestone", object_id__in=list(by_id))
    first_decision: dict[tuple[int, int], datetime] = {}
    for milestone_id, round_, decided_at in SignOff.objects.filter(milestone__in=milestones).values_list(
        "milestone_id", "round", "decided_at"
    ):
        key = (milestone_id, round_)
        first_decision[key] = min(decided_at, first_decision.get(key, decided_at))
    requests = []
    for event in sent.order_by("created_at"):
        milestone, round_ = by_id[event.object_id], event.data.get("round")
        answered = first_decision.get((milestone.pk, round_))
        if answered is None and round_ != milestone.round:
            continue  # taken back by the CSM before anyone decided
        asked = timezone.localdate(event.created_at)
        deadline = max(milestone.due_date, asked) + timedelta(days=grace_days)
        label = f"Sign-off of week {milestone.week} (round {round_})"
        requests.append(quality.Request(label, asked, deadline, _local(answered)))
    return requests


def _escalation_groups(milestones: list[Any]) -> dict[tuple[Any, int], list[Any]]:
    from apps.guarantees.models import MilestoneAction

    groups: dict[tuple[Any, int], list[Any]] = defaultdict(list)
    actions = MilestoneAction.objects.filter(milestone__in=milestones, kind=MilestoneAction.Kind.ESCALATION)
    by_pk = {m.pk: m for m in milestones}
    for action in actions.order_by("created_at", "pk"):
        groups[(by_pk[action.milestone_id], action.round)].append(action)
    return groups


def _resolved_at(actions: list[Any]) -> datetime | None:
    if any(a.done_at is None for a in actions):
        return None
    return max(a.done_at for a in actions)


def _escalation_requests(milestones: list[Any]) -> list[quality.Request]:
    requests = []
    for (milestone, round_), actions in _escalation_groups(milestones).items():
        label = f"Escalation of week {milestone.week} (round {round_})"
        asked = timezone.localdate(min(a.created_at for a in actions))
        deadline = max(a.due_on for a in actions)
        requests.append(quality.Request(label, asked, deadline, _local(_resolved_at(actions))))
    return requests


def escalation_resolution(project: Project) -> quality.Measure:
    escalations = []
    for (milestone, round_), actions in _escalation_groups(_milestones(project)).items():
        resolved = _resolved_at(actions)
        raised = min(a.created_at for a in actions)
        hours = None if resolved is None else Decimal((resolved - raised).total_seconds()) / Decimal(3600)
        escalations.append(quality.Escalation(f"Escalation of week {milestone.week} (round {round_})", hours))
    return quality.escalation_resolution(escalations)


def satisfaction(project: Project) -> quality.Measure:
    """The latest satisfaction survey evidence of each of the project's weeks that has one."""
    from apps.guarantees.models import MilestoneCriterion

    criteria = MilestoneCriterion.objects.filter(
        milestone__guarantee__project=project, method="satisfaction_survey", latest_evidence__isnull=False
    ).select_related("latest_evidence", "milestone")
    scores = []
    for criterion in criteria.order_by("milestone__week", "position"):
        score = criterion.latest_evidence.data.get("score")
        if score is not None:
            label = f"Week {criterion.milestone.week}: {criterion.name} (v{criterion.latest_evidence.version})"
            scores.append((label, Decimal(str(score))))
    return quality.satisfaction(scores)


def process_measures(project: Project, *, today: date, grace_days: int) -> dict[str, quality.Measure]:
    measures = (
        milestone_adherence(project, today),
        responsiveness(project, today, grace_days),
        escalation_resolution(project),
        satisfaction(project),
    )
    return {m.key: m for m in measures}
