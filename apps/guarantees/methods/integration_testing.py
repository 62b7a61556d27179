"""Integration testing: endpoints passing / all x 100, discounted while the API documentation is unpublished."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import ratio_percent, round1
from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, finish
from apps.guarantees.methods.fields import MethodEvidence, count_field, yes_no_field


@dataclass(frozen=True)
class IntegrationTestingEvidence(MethodEvidence):
    endpoints_passing: int = count_field("Endpoints passing", not_above="endpoints_total")
    endpoints_total: int = count_field("Endpoints in total", positive=True)
    docs_published: bool = yes_no_field("API documentation published")


class IntegrationTesting(Method):
    key, label, position = "integration_testing", "Integration testing", 6
    evidence_class, machine_allowed = IntegrationTestingEvidence, True

    def score(self, evidence: IntegrationTestingEvidence, settings: MethodSettings) -> MethodScore:
        ratio = ratio_percent(evidence.endpoints_passing, evidence.endpoints_total)
        # Undocumented endpoints are only partly usable by the customer's team, hence the discount.
        factor = Decimal(1) if evidence.docs_published else settings.integration_undocumented_factor
        score, _ = finish(ratio * factor)
        docs_note = "published" if evidence.docs_published else "not published"
        parts = (
            ScorePart(
                "Endpoints passing",
                round1(ratio),
                f"{evidence.endpoints_passing} / {evidence.endpoints_total} x 100",
            ),
            ScorePart("Docs factor", factor, f"API docs {docs_note}"),
            ScorePart("Score", score, "endpoints passing % x docs factor"),
        )
        reason = (
            f"{evidence.endpoints_passing} of {evidence.endpoints_total} endpoints passing, docs {docs_note}: {score}."
        )
        return MethodScore(score, parts, reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"endpoints_passing": pct // 5, "endpoints_total": 20, "docs_published": True}
