"""Documentation review: checklist items done / all x 100."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ratio_score
from apps.guarantees.methods.fields import MethodEvidence, count_field


@dataclass(frozen=True)
class DocumentationReviewEvidence(MethodEvidence):
    checklist_done: int = count_field("Checklist items complete", not_above="checklist_total")
    checklist_total: int = count_field("Checklist items", positive=True)


class DocumentationReview(Method):
    key = "documentation_review"
    label = "Documentation review"
    position = 13
    evidence_class = DocumentationReviewEvidence

    def score(self, evidence: DocumentationReviewEvidence, settings: MethodSettings) -> MethodScore:
        return ratio_score(
            evidence.checklist_done,
            evidence.checklist_total,
            "Checklist items done",
            "Checklist items",
            "documentation checklist items done",
        )

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"checklist_done": pct // 5, "checklist_total": 20}
