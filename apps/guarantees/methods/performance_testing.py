"""Performance testing: response time, throughput and error rate, each against its target and capped at 100,
then weighted (DOMAIN: 0.4 / 0.3 / 0.3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO, clamp, round1
from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, demo_number, finish
from apps.guarantees.methods.fields import MethodEvidence, number_field, percent_field


@dataclass(frozen=True)
class PerformanceTestingEvidence(MethodEvidence):
    avg_response_ms: Decimal = number_field("Average response (ms)")
    target_response_ms: Decimal = number_field("Target response (ms)", positive=True)
    requests_per_second: Decimal = number_field("Requests per second")
    target_rps: Decimal = number_field("Target requests per second", positive=True)
    error_rate_percent: Decimal = percent_field("Error rate %")
    max_error_rate_percent: Decimal = percent_field("Maximum error rate %")  # 0 means no errors are tolerated


def _error_part(error: Decimal, target: Decimal) -> Decimal:
    """The error rate against its target (the maximum tolerated), scored like the response time: at or under the
    target 100 (DOMAIN: each part against its target, capped at 100), then minus the share it overshoots by."""
    if target == 0:
        # With zero tolerance the rule's limit is all-or-nothing: no errors scores 100, any error 0.
        return HUNDRED if error == 0 else ZERO
    return clamp(HUNDRED - (error - target) / target * HUNDRED)


class PerformanceTesting(Method):
    key, label, position = "performance_testing", "Performance testing", 10
    evidence_class, machine_allowed = PerformanceTestingEvidence, True

    def score(self, evidence: PerformanceTestingEvidence, settings: MethodSettings) -> MethodScore:
        e = evidence
        # Each part is clamped on its own, so beating one target cannot hide missing another.
        response = clamp(HUNDRED - (e.avg_response_ms - e.target_response_ms) / e.target_response_ms * HUNDRED)
        throughput = clamp(e.requests_per_second / e.target_rps * HUNDRED)
        errors = _error_part(e.error_rate_percent, e.max_error_rate_percent)
        rw, tw, ew = (
            settings.performance_response_weight,
            settings.performance_throughput_weight,
            settings.performance_error_weight,
        )
        score, _ = finish(rw * response + tw * throughput + ew * errors)
        parts = (
            ScorePart("Response", round1(response), f"{e.avg_response_ms} ms vs {e.target_response_ms} ms, x {rw}"),
            ScorePart("Throughput", round1(throughput), f"{e.requests_per_second} rps vs {e.target_rps} rps, x {tw}"),
            ScorePart("Errors", round1(errors), f"{e.error_rate_percent}% vs max {e.max_error_rate_percent}%, x {ew}"),
            ScorePart("Score", score, f"{rw} x response + {tw} x throughput + {ew} x errors, each part 0-100"),
        )
        reason = (
            f"{e.avg_response_ms} ms, {e.requests_per_second} rps, {e.error_rate_percent}% errors against targets: "
            f"{score}."
        )
        return MethodScore(score, parts, reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {
            "avg_response_ms": demo_number(400 - 2 * pct),
            "target_response_ms": "200",
            "requests_per_second": demo_number(5 * pct),
            "target_rps": "500",
            "error_rate_percent": demo_number(2 - pct / 100),
            "max_error_rate_percent": "1",
        }
