"""Automated verification: named pass/fail checks (repository, pipeline, environments...), passed / all x 100."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.guarantees.methods.base import Method, MethodScore, MethodSettings, ScorePart, ratio_score
from apps.guarantees.methods.fields import MethodEvidence, checks_field

DEMO_CHECKS = [
    "repository",
    "ci pipeline",
    "dev env",
    "staging env",
    "secrets vault",
    "monitoring",
    "backups",
    "sso",
    "feature flags",
    "runbook",
]


@dataclass(frozen=True)
class AutomatedVerificationEvidence(MethodEvidence):
    checks: tuple[tuple[str, bool], ...] = checks_field(
        "Checks", help_text="One per line, for example: CI pipeline green = pass"
    )  # (check name, passed)


class AutomatedVerification(Method):
    key, label, position = "automated_verification", "Automated verification", 3
    evidence_class, machine_allowed = AutomatedVerificationEvidence, True

    def score(self, evidence: AutomatedVerificationEvidence, settings: MethodSettings) -> MethodScore:
        checks = evidence.checks
        passed = sum(1 for _, ok in checks if ok)
        failed = [name for name, ok in checks if not ok]
        what = "checks passed" + (f" (failed: {', '.join(failed)})" if failed else "")
        result = ratio_score(passed, len(checks), "Checks passed", "Checks", what)
        # One part per check, so the page shows which named check failed, not only how many.
        per_check = tuple(ScorePart(name, Decimal(int(ok)), "passed" if ok else "failed") for name, ok in checks)
        return MethodScore(result.score, per_check + result.parts, result.reason)

    def demo_evidence(self, pct: int) -> dict[str, Any]:
        return {"checks": [{"name": name, "passed": i < pct // 10} for i, name in enumerate(DEMO_CHECKS)]}
