"""Automated quality checks: quality gates passed / all x 100."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ratio_score
from apps.guarantees.methods.fields import MethodEvidence, count_field


@dataclass(frozen=True)
class AutomatedQualityChecksEvidence(MethodEvidence):
    gates_passed: int = count_field("Quality gates passed", not_above="gates_total")
    gates_total: int = count_field("Quality gates in total", positive=True)


class AutomatedQualityChecks(Method):
    key = "automated_quality_checks"
    label = "Automated quality checks"
    position = 9
    evidence_class = AutomatedQualityChecksEvidence
    machine_allowed = True

    def score(self, evidence: AutomatedQualityChecksEvidence, settings: MethodSettings) -> MethodScore:
        return ratio_score(evidence.gates_passed, evidence.gates_total, "Gates passed", "Gates", "quality gates passed")

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"gates_passed": pct // 10, "gates_total": 10}
