"""Satisfaction-survey answers that arrive through the retention app's survey (week 4's NPS + CSAT survey).

Each invited stakeholder answers that survey once, in the client view or through a signed link without a login; the
CSAT answer (1-10) is their answer to the satisfaction criterion. They join the criterion's other answers exactly as
an answer given on the guarantee page does (the latest per stakeholder counts, never replacing another's), and the
method's evidence is computed from all of them by `apps.guarantees.responses` as before: mean score of the invited
stakeholders who answered, response rate = responders / invited x 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.dateparse import parse_datetime

from apps.customers.models import Stakeholder
from apps.guarantees.client_input import _earlier, _record, invited_ids
from apps.guarantees.models import Evidence, MilestoneCriterion
from apps.guarantees.recording import ensure_open, lock_milestone
from apps.guarantees.responses import check_answer, merge
from apps.notifications import events as webhook_events


@dataclass(frozen=True)
class SurveyScore:
    """One stakeholder's answer to the survey: its id (kept with the evidence), the CSAT score and when."""

    answer_id: int
    stakeholder: Stakeholder
    score: int
    answered_at: datetime


def _newer(entry: dict[str, Any] | None, answer: SurveyScore) -> bool:
    """Whether the survey answer is news: not counted yet, and not older than what the stakeholder gave since."""
    if entry is None:
        return True
    if entry.get("survey_answer_id") == answer.answer_id:
        return False
    given = parse_datetime(entry.get("at") or "")
    return given is None or given <= answer.answered_at


@transaction.atomic
def record_survey_answers(*, criterion: MilestoneCriterion, answers: Sequence[SurveyScore]) -> Evidence | None:
    """Count the survey's answers for a satisfaction criterion; None when none of them is news.

    1. Lock the milestone; a week awaiting sign-off or closed refuses (ValidationError), as for every door.
    2. Keep the answers of invited stakeholders that are not counted yet and newer than their latest answer.
    3. Merge them with the other stakeholders' latest answers and record the next evidence version.
    """
    milestone = lock_milestone(criterion.milestone_id)
    ensure_open(milestone)
    criterion = MilestoneCriterion.objects.select_related("latest_evidence").get(pk=criterion.pk)
    if criterion.method != "satisfaction_survey":
        raise ValidationError("Only a satisfaction-survey criterion takes survey answers.")
    invited, contributions = invited_ids(criterion), _earlier(criterion)
    latest = {c.get("stakeholder_id"): c for c in contributions}
    news = [a for a in answers if a.stakeholder.pk in invited and _newer(latest.get(a.stakeholder.pk), a)]
    if not news:
        return None
    version = (Evidence.objects.filter(criterion=criterion).aggregate(v=Max("version"))["v"] or 0) + 1
    for answer in news:
        contributions = merge(contributions, _entry(answer, version))
    names = ", ".join(a.stakeholder.name for a in news)
    evidence = _record(
        None,
        criterion,
        contributions,
        milestone.guarantee.project.customer_id,
        note=f"Satisfaction survey answered by {names}.",
        actor_label=f"Satisfaction survey ({names})"[:254],
    )
    for answer in news:
        webhook_events.survey_answered(evidence, answer.stakeholder)
    return evidence


def _entry(answer: SurveyScore, version: int) -> dict[str, Any]:
    stakeholder = answer.stakeholder
    return {
        "stakeholder_id": stakeholder.pk,
        "name": stakeholder.name,
        **check_answer("satisfaction_survey", {"score": answer.score}),
        "on_behalf": False,
        "recorded_by": stakeholder.name,
        "recorded_by_id": None,
        "note": "",
        "version": version,
        "document": False,
        "at": answer.answered_at.isoformat(),
        "survey_answer_id": answer.answer_id,
    }
