"""Deployment verification: min(uptime / target, 1) x 100 x the share of the go-live checklist done."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, round1
from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, demo_number, finish
from apps.guarantees.methods.fields import MethodEvidence, count_field, percent_field


@dataclass(frozen=True)
class DeploymentVerificationEvidence(MethodEvidence):
    uptime_percent: Decimal = percent_field("Measured uptime %")
    # Left out, the configured target applies (DOMAIN default 99.9); evidence may raise it, never lower it.
    target_uptime_percent: Decimal = percent_field(
        "Target uptime %",
        positive=True,
        configured="target_uptime_percent",
        help_text="Empty: the configured target. It may be raised, never lowered.",
    )
    checklist_done: int = count_field("Checklist items done", not_above="checklist_total")
    checklist_total: int = count_field("Checklist items", positive=True)


class DeploymentVerification(Method):
    key, label, position = "deployment_verification", "Deployment verification", 12
    evidence_class, machine_allowed = DeploymentVerificationEvidence, True

    def score(self, evidence: DeploymentVerificationEvidence, settings: MethodSettings) -> MethodScore:
        """Meeting the uptime target does not excuse an unfinished checklist."""
        e = evidence
        share = Decimal(e.checklist_done) / Decimal(e.checklist_total)
        uptime_ratio = min(e.uptime_percent / e.target_uptime_percent, Decimal(1))
        score, _ = finish(uptime_ratio * HUNDRED * share)
        parts = (
            ScorePart(
                "Uptime", round1(uptime_ratio * HUNDRED), f"min({e.uptime_percent}% / {e.target_uptime_percent}%, 1)"
            ),
            ScorePart("Checklist share", round1(share * HUNDRED), f"{e.checklist_done} / {e.checklist_total}"),
            ScorePart("Score", score, "min(uptime / target, 1) x 100 x checklist share"),
        )
        reason = (
            f"{e.uptime_percent}% uptime vs {e.target_uptime_percent}% target, "
            f"{e.checklist_done} of {e.checklist_total} checklist items: {score}."
        )
        return MethodScore(score, parts, reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {
            "uptime_percent": demo_number(pct),
            "target_uptime_percent": "100",
            "checklist_done": 12,
            "checklist_total": 12,
        }
