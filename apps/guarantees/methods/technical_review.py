"""Technical review: a reviewer's score out of 10, x 10."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, demo_number, finish
from apps.guarantees.methods.fields import TEN, MethodEvidence, number_field, text_field


@dataclass(frozen=True)
class TechnicalReviewEvidence(MethodEvidence):
    reviewer: str = text_field("Reviewer", max_length=150)
    score: Decimal = number_field("Review score", maximum=TEN, help_text="Out of 10")  # decimals allowed
    notes: str = text_field("Review notes", required=False, multiline=True)


class TechnicalReview(Method):
    key, label, position = "technical_review", "Technical review", 2
    evidence_class = TechnicalReviewEvidence

    def score(self, evidence: TechnicalReviewEvidence, settings: MethodSettings) -> MethodScore:
        score, _ = finish(evidence.score * TEN)
        parts = (
            ScorePart("Review score", evidence.score, f"out of 10, by {evidence.reviewer}"),
            ScorePart("Score", score, f"{evidence.score} x 10"),
        )
        return MethodScore(score, parts, f"{evidence.reviewer} scored it {evidence.score}/10: {score}.")

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {
            "reviewer": "Priya Raman, principal architect",
            "score": demo_number(pct / 10),
            "notes": "Reviewed against the agreed non-functional requirements.",
        }
