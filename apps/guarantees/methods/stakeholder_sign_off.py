"""Stakeholder sign-off: approvals of the customer's approvers / all its approvers x 100."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import RatioMethod
from apps.guarantees.methods.fields import AnswerField, MethodEvidence, Who, count_field


@dataclass(frozen=True)
class StakeholderSignOffEvidence(MethodEvidence):
    approved: int = count_field(not_above="required")  # required approvers who approved
    required: int = count_field(positive=True)


class StakeholderSignOff(RatioMethod):
    key, label, position = "stakeholder_sign_off", "Stakeholder sign-off", 1
    evidence_class = StakeholderSignOffEvidence
    ratio = ("Approved", "Required approvers", "required approvers approved")
    who = Who.APPROVERS
    questions = (AnswerField("approved", "Do you approve this deliverable?", "yes_no"),)

    def summary(self, answer: Mapping[str, Any]) -> str:
        return "Approved" if answer.get("approved") else "Not approved"

    def evidence_from_answers(self, answers: Sequence[Mapping[str, Any]], asked: int) -> dict[str, Any]:
        return {"approved": sum(1 for a in answers if a.get("approved")), "required": asked}

    def demo_answer(self, pct: int, position: int, count: int) -> dict[str, Any]:
        return {"approved": position < round(pct * count / 100)}
