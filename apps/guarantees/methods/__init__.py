"""The 15 validation methods of a milestone criterion, one module each, and their registry.

Pure rules (no Django, no clock). Usage:

    spec = METHODS["automated_testing"]
    evidence = spec.evidence_class(coverage_percent=Decimal("82.5"), tests_passed=190, tests_total=200)
    spec.score(evidence, settings)   # MethodScore(score, parts, reason)

Evidence classes raise ValueError with a human message on impossible input, so a form can show it as is.
To add a method, add a module here (see `base.Method` and docs/architecture.md).
"""

from __future__ import annotations

from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart
from apps.guarantees.methods.registry import (
    METHODS,
    evidence_from_data,
    evidence_to_data,
    field_names,
    score_evidence,
    spec_for,
)

__all__ = [
    "METHODS",
    "Method",
    "MethodScore",
    "MethodSettings",
    "ScorePart",
    "evidence_from_data",
    "evidence_to_data",
    "field_names",
    "score_evidence",
    "spec_for",
]
