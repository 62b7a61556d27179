"""Stakeholder demo: features demonstrated / planned x 100, as confirmed by the stakeholders who saw it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import RatioMethod
from apps.guarantees.methods.fields import AnswerField, MethodEvidence, Who, count_field, text_field


@dataclass(frozen=True)
class StakeholderDemoEvidence(MethodEvidence):
    # never more than planned (DOMAIN: demonstrated <= planned)
    features_demonstrated: int = count_field(not_above="features_planned")
    features_planned: int = count_field(positive=True)
    confirmed_by: str = text_field()  # the stakeholder(s) who confirmed the demo in the client view


class StakeholderDemo(RatioMethod):
    key, label, position = "stakeholder_demo", "Stakeholder demo", 8
    evidence_class = StakeholderDemoEvidence
    ratio = ("Features demonstrated", "Features planned", "planned features demonstrated, confirmed by {confirmed_by}")
    who = Who.STAKEHOLDERS
    questions = (
        AnswerField("features_demonstrated", "Features you saw demonstrated", "count", not_above="features_planned"),
        AnswerField("features_planned", "Features planned for the demo", "count", minimum=1),
    )

    def summary(self, answer: Mapping[str, Any]) -> str:
        return (
            f"{answer.get('features_demonstrated')} of {answer.get('features_planned')} planned features demonstrated"
        )

    def evidence_from_answers(self, answers: Sequence[Mapping[str, Any]], asked: int) -> dict[str, Any]:
        # The confirmations summed (a single confirmation is itself).
        return {
            "features_demonstrated": sum(int(a["features_demonstrated"]) for a in answers),
            "features_planned": sum(int(a["features_planned"]) for a in answers),
            "confirmed_by": ", ".join(a["name"] for a in answers),
        }

    def demo_answer(self, pct: int, position: int, count: int) -> dict[str, Any]:
        return {"features_demonstrated": round(pct / 5), "features_planned": 20}
