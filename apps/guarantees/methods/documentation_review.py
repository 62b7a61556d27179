"""Documentation review: checklist items done / all x 100."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods.base import RatioMethod
from apps.guarantees.methods.fields import MethodEvidence, count_field


@dataclass(frozen=True)
class DocumentationReviewEvidence(MethodEvidence):
    checklist_done: int = count_field("Checklist items complete", not_above="checklist_total")
    checklist_total: int = count_field("Checklist items", positive=True)


class DocumentationReview(RatioMethod):
    key, label, position = "documentation_review", "Documentation review", 13
    evidence_class = DocumentationReviewEvidence
    ratio = ("Checklist items done", "Checklist items", "documentation checklist items done")

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"checklist_done": pct // 5, "checklist_total": 20}
