"""Training completion: min(sessions held / planned, 1) x attendance %."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, round1
from apps.guarantees.methods.base import ONE, Method, MethodScore, MethodSettings, ScorePart, demo_number, finish
from apps.guarantees.methods.fields import MethodEvidence, count_field, percent_field


@dataclass(frozen=True)
class TrainingCompletionEvidence(MethodEvidence):
    sessions_held: int = count_field("Sessions held")  # may exceed the plan; the ratio is capped at 1
    sessions_planned: int = count_field("Sessions planned", positive=True)
    attendance_percent: Decimal = percent_field("Attendance %")


class TrainingCompletion(Method):
    key, label, position = "training_completion", "Training completion", 14
    evidence_class = TrainingCompletionEvidence

    def score(self, evidence: TrainingCompletionEvidence, settings: MethodSettings) -> MethodScore:
        ratio = min(Decimal(evidence.sessions_held) / Decimal(evidence.sessions_planned), ONE)
        score, _ = finish(ratio * evidence.attendance_percent)
        parts = (
            ScorePart(
                "Sessions ratio",
                round1(ratio * HUNDRED),
                f"{evidence.sessions_held} / {evidence.sessions_planned} held, as %, capped at 100",
            ),
            ScorePart("Attendance", evidence.attendance_percent, "%"),
            ScorePart("Score", score, "sessions ratio x attendance %"),
        )
        reason = (
            f"{evidence.sessions_held} of {evidence.sessions_planned} sessions held, "
            f"{evidence.attendance_percent}% attendance: {score}."
        )
        return MethodScore(score, parts, reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"sessions_held": 4, "sessions_planned": 4, "attendance_percent": demo_number(pct)}
