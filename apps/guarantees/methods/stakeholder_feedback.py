"""Stakeholder feedback: the mean of the stakeholders' 1-10 ratings, x 10."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import ZERO, round1
from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, demo_rating, finish
from apps.guarantees.methods.fields import TEN, AnswerField, MethodEvidence, Who, ratings_field


@dataclass(frozen=True)
class StakeholderFeedbackEvidence(MethodEvidence):
    ratings: tuple[Decimal, ...] = ratings_field()  # one 1-10 rating per stakeholder


class StakeholderFeedback(Method):
    key, label, position = "stakeholder_feedback", "Stakeholder feedback", 4
    evidence_class = StakeholderFeedbackEvidence
    who = Who.STAKEHOLDERS
    questions = (AnswerField("rating", "Your rating (1 = poor, 10 = excellent)", "rating"),)

    def score(self, evidence: StakeholderFeedbackEvidence, settings: MethodSettings) -> MethodScore:
        ratings = evidence.ratings
        mean = sum(ratings, ZERO) / len(ratings)
        score, _ = finish(mean * TEN)
        parts = (
            ScorePart("Ratings", Decimal(len(ratings)), "from stakeholders, 1-10 each"),
            ScorePart("Mean rating", round1(mean), f"{' + '.join(str(r) for r in ratings)} / {len(ratings)}"),
            ScorePart("Score", score, "mean x 10"),
        )
        return MethodScore(score, parts, f"Mean of {len(ratings)} rating(s) is {round1(mean)}/10: {score}.")

    def summary(self, answer: Mapping[str, Any]) -> str:
        return f"Rating {answer.get('rating')}/10"

    def evidence_from_answers(self, answers: Sequence[Mapping[str, Any]], asked: int) -> dict[str, Any]:
        return {"ratings": [str(a["rating"]) for a in answers]}

    def demo_answer(self, pct: int, position: int, count: int) -> dict[str, Any]:
        return {"rating": demo_rating(pct, position)}
