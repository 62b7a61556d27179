"""User acceptance testing: invited participants approving / all invited x 100 (no vote counts as not approving)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import RatioMethod
from apps.guarantees.methods.fields import AnswerField, MethodEvidence, Who, count_field


@dataclass(frozen=True)
class UserTestingEvidence(MethodEvidence):
    participants_approving: int = count_field(not_above="participants_total")
    participants_total: int = count_field(positive=True)


class UserTesting(RatioMethod):
    key, label, position = "user_testing", "User acceptance testing", 11
    evidence_class = UserTestingEvidence
    ratio = (
        "Participants approving",
        "Participants invited",
        "invited UAT participants approved (one who has not voted counts as not approving)",
    )
    who, invitation = Who.INVITED, "vote in the user acceptance test"
    questions = (AnswerField("approves", "Do you accept it after testing?", "yes_no"),)

    def summary(self, answer: Mapping[str, Any]) -> str:
        return f"Accepts: {'yes' if answer.get('approves') else 'no'}"

    def evidence_from_answers(self, answers: Sequence[Mapping[str, Any]], asked: int) -> dict[str, Any]:
        return {"participants_approving": sum(1 for a in answers if a.get("approves")), "participants_total": asked}

    def demo_answer(self, pct: int, position: int, count: int) -> dict[str, Any]:
        return {"approves": position < round(pct * count / 100)}
