"""Automated testing: coverage % and pass rate, weighted (DOMAIN: 0.6 x coverage + 0.4 x pass rate)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import ratio_percent, round1
from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, demo_number, finish
from apps.guarantees.methods.fields import MethodEvidence, count_field, percent_field


@dataclass(frozen=True)
class AutomatedTestingEvidence(MethodEvidence):
    coverage_percent: Decimal = percent_field("Coverage %")
    tests_passed: int = count_field("Tests passed", not_above="tests_total")
    tests_total: int = count_field("Tests in total", positive=True)


class AutomatedTesting(Method):
    key, label, position = "automated_testing", "Automated testing", 5
    evidence_class, machine_allowed = AutomatedTestingEvidence, True

    def score(self, evidence: AutomatedTestingEvidence, settings: MethodSettings) -> MethodScore:
        pass_rate = ratio_percent(evidence.tests_passed, evidence.tests_total)
        coverage_w, pass_w = settings.testing_coverage_weight, settings.testing_pass_rate_weight
        score, _ = finish(coverage_w * evidence.coverage_percent + pass_w * pass_rate)
        parts = (
            ScorePart("Coverage", evidence.coverage_percent, f"% x {coverage_w}"),
            ScorePart(
                "Pass rate",
                round1(pass_rate),
                f"{evidence.tests_passed} / {evidence.tests_total} x 100, x {pass_w}",
            ),
            ScorePart("Score", score, f"{coverage_w} x coverage + {pass_w} x pass rate"),
        )
        reason = f"{evidence.coverage_percent}% coverage, {round1(pass_rate)}% of tests passing: {score}."
        return MethodScore(score, parts, reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"coverage_percent": demo_number(pct), "tests_passed": pct * 4, "tests_total": 400}
