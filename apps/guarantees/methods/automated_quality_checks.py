"""Automated quality checks: quality gates passed / all x 100 (a project's quality-gate run posts it too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import RatioMethod
from apps.guarantees.methods.fields import MethodEvidence, count_field


@dataclass(frozen=True)
class AutomatedQualityChecksEvidence(MethodEvidence):
    gates_passed: int = count_field("Quality gates passed", not_above="gates_total")
    gates_total: int = count_field("Quality gates in total", positive=True)


class AutomatedQualityChecks(RatioMethod):
    key, label, position = "automated_quality_checks", "Automated quality checks", 9
    evidence_class, machine_allowed = AutomatedQualityChecksEvidence, True
    ratio = ("Gates passed", "Gates", "quality gates passed")

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"gates_passed": pct // 10, "gates_total": 10}
