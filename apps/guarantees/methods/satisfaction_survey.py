"""Satisfaction survey: the invited stakeholders' mean answer (1-10) x 10, scaled down while fewer than the
configured share of them answered (DOMAIN: full weight from an 80% response rate)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO, round1, round2
from apps.guarantees.methods.base import ONE, Method, MethodScore, MethodSettings, ScorePart, demo_rating, finish
from apps.guarantees.methods.fields import (
    RATING_MIN,
    TEN,
    AnswerField,
    MethodEvidence,
    Who,
    number_field,
    percent_field,
)


@dataclass(frozen=True)
class SatisfactionSurveyEvidence(MethodEvidence):
    score: Decimal = number_field(minimum=RATING_MIN, maximum=TEN)  # survey result, 1-10
    response_rate_percent: Decimal = percent_field()


def _shown(value: Decimal) -> Decimal:
    """Two decimals at most, without trailing zeros or an exponent: 8.333... -> 8.33, 90.00 -> 90."""
    return Decimal(format(round2(value).normalize(), "f"))


class SatisfactionSurvey(Method):
    key, label, position = "satisfaction_survey", "Satisfaction survey", 15
    evidence_class = SatisfactionSurveyEvidence
    who = Who.INVITED
    invitation = "answer the satisfaction survey"
    questions = (AnswerField("score", "How satisfied are you (1 = not at all, 10 = fully)?", "rating"),)

    def score(self, evidence: SatisfactionSurveyEvidence, settings: MethodSettings) -> MethodScore:
        # A survey few people answered says less, so the score shrinks until the response rate reaches the bar.
        full_rate = settings.survey_full_response_rate_percent
        factor = min(evidence.response_rate_percent / full_rate, ONE)
        score, _ = finish(evidence.score * TEN * factor)
        # A mean of answers or a response rate like 2 / 3 has many digits: scored exactly, shown to two decimals.
        shown_score, shown_rate = _shown(evidence.score), _shown(evidence.response_rate_percent)
        parts = (
            ScorePart("Survey score", shown_score, "out of 10"),
            ScorePart("Response factor", round1(factor * HUNDRED), f"min({shown_rate}% / {full_rate}%, 1), as %"),
            ScorePart("Score", score, "survey score x 10 x response factor"),
        )
        reason = f"Survey {shown_score}/10 at {shown_rate}% response: {score}."
        return MethodScore(score, parts, reason)

    def summary(self, answer: Mapping[str, Any]) -> str:
        return f"Satisfaction {answer.get('score')}/10"

    def evidence_from_answers(self, answers: Sequence[Mapping[str, Any]], asked: int) -> dict[str, Any]:
        """The mean answer and the response rate (answers / invited x 100)."""
        if not answers:
            raise ValueError("No invited stakeholder has answered the survey yet.")
        mean = sum((Decimal(a["score"]) for a in answers), ZERO) / len(answers)
        rate = Decimal(len(answers)) / Decimal(asked) * HUNDRED
        return {"score": str(mean), "response_rate_percent": str(rate)}

    def demo_answer(self, pct: int, position: int, count: int) -> dict[str, Any]:
        return {"score": demo_rating(pct, position)}
