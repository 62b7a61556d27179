"""Security audit: 100 minus a penalty per finding by severity (DOMAIN: 50 critical, 25 high, 5 medium, 0 low)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO
from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, finish
from apps.guarantees.methods.fields import MethodEvidence, count_field


@dataclass(frozen=True)
class SecurityAuditEvidence(MethodEvidence):
    critical: int = count_field("Critical findings")
    high: int = count_field("High findings")
    medium: int = count_field("Medium findings")
    low: int = count_field("Low findings")


class SecurityAudit(Method):
    key, label, position = "security_audit", "Security audit", 7
    evidence_class, machine_allowed = SecurityAuditEvidence, True

    def score(self, evidence: SecurityAuditEvidence, settings: MethodSettings) -> MethodScore:
        penalties = (
            ("Critical findings", evidence.critical, settings.security_critical_penalty),
            ("High findings", evidence.high, settings.security_high_penalty),
            ("Medium findings", evidence.medium, settings.security_medium_penalty),
            ("Low findings", evidence.low, settings.security_low_penalty),
        )
        deduction = sum((Decimal(n) * each for _, n, each in penalties), ZERO)
        score, floored = finish(HUNDRED - deduction)
        parts = tuple(
            ScorePart(label, Decimal(n), f"-{each} each = -{Decimal(n) * each}") for label, n, each in penalties
        ) + (ScorePart("Score", score, f"100 - {deduction}" + (", floored at 0" if floored else "")),)
        reason = (
            f"{evidence.critical} critical, {evidence.high} high, {evidence.medium} medium, "
            f"{evidence.low} low finding(s): {score}."
        )
        return MethodScore(score, parts, reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"critical": 0, "high": 0, "medium": (100 - pct) // 5, "low": 4}
