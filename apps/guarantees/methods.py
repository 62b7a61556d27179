"""The 15 validation methods of a milestone criterion: evidence classes, scoring rules and their registry.

Pure rules (no Django, no clock). Usage:

    spec = METHODS["automated_testing"]
    evidence = spec.evidence_class(coverage_percent=Decimal("82.5"), tests_passed=190, tests_total=200)
    result = spec.score(evidence, settings)   # MethodScore(score, parts, reason)

Evidence classes raise ValueError with a human message on impossible input, so a form can show it as is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apps.guarantees.methods_base import MethodScore, MethodSettings, ScorePart
from apps.guarantees.methods_human import (
    DocumentationReviewEvidence,
    SatisfactionSurveyEvidence,
    StakeholderDemoEvidence,
    StakeholderFeedbackEvidence,
    StakeholderSignOffEvidence,
    TechnicalReviewEvidence,
    TrainingCompletionEvidence,
    UserTestingEvidence,
    score_documentation_review,
    score_satisfaction_survey,
    score_stakeholder_demo,
    score_stakeholder_feedback,
    score_stakeholder_sign_off,
    score_technical_review,
    score_training_completion,
    score_user_testing,
)
from apps.guarantees.methods_machine import (
    AutomatedQualityChecksEvidence,
    AutomatedTestingEvidence,
    AutomatedVerificationEvidence,
    DeploymentVerificationEvidence,
    IntegrationTestingEvidence,
    PerformanceTestingEvidence,
    SecurityAuditEvidence,
    score_automated_quality_checks,
    score_automated_testing,
    score_automated_verification,
    score_deployment_verification,
    score_integration_testing,
    score_performance_testing,
    score_security_audit,
)

__all__ = [
    "METHODS",
    "AutomatedQualityChecksEvidence",
    "AutomatedTestingEvidence",
    "AutomatedVerificationEvidence",
    "DeploymentVerificationEvidence",
    "DocumentationReviewEvidence",
    "IntegrationTestingEvidence",
    "MethodScore",
    "MethodSettings",
    "MethodSpec",
    "PerformanceTestingEvidence",
    "SatisfactionSurveyEvidence",
    "ScorePart",
    "SecurityAuditEvidence",
    "StakeholderDemoEvidence",
    "StakeholderFeedbackEvidence",
    "StakeholderSignOffEvidence",
    "TechnicalReviewEvidence",
    "TrainingCompletionEvidence",
    "UserTestingEvidence",
    "score_evidence",
]


@dataclass(frozen=True)
class MethodSpec:
    key: str
    label: str
    evidence_class: type
    score: Callable[[Any, MethodSettings], MethodScore]
    stakeholder_supplied: bool  # a stakeholder gives this evidence in the client view
    machine_allowed: bool  # CI, scanners or monitors may post this evidence through the API


# fmt: off
_SPECS = (
    # key, label,
    #     evidence class, scoring rule, stakeholder supplied, machine evidence allowed
    MethodSpec("stakeholder_sign_off", "Stakeholder sign-off",
               StakeholderSignOffEvidence, score_stakeholder_sign_off, True, False),
    MethodSpec("technical_review", "Technical review",
               TechnicalReviewEvidence, score_technical_review, False, False),
    MethodSpec("automated_verification", "Automated verification",
               AutomatedVerificationEvidence, score_automated_verification, False, True),
    MethodSpec("stakeholder_feedback", "Stakeholder feedback",
               StakeholderFeedbackEvidence, score_stakeholder_feedback, True, False),
    MethodSpec("automated_testing", "Automated testing",
               AutomatedTestingEvidence, score_automated_testing, False, True),
    MethodSpec("integration_testing", "Integration testing",
               IntegrationTestingEvidence, score_integration_testing, False, True),
    MethodSpec("security_audit", "Security audit",
               SecurityAuditEvidence, score_security_audit, False, True),
    MethodSpec("stakeholder_demo", "Stakeholder demo",
               StakeholderDemoEvidence, score_stakeholder_demo, True, False),
    MethodSpec("automated_quality_checks", "Automated quality checks",
               AutomatedQualityChecksEvidence, score_automated_quality_checks, False, True),
    MethodSpec("performance_testing", "Performance testing",
               PerformanceTestingEvidence, score_performance_testing, False, True),
    MethodSpec("user_testing", "User acceptance testing",
               UserTestingEvidence, score_user_testing, True, False),
    MethodSpec("deployment_verification", "Deployment verification",
               DeploymentVerificationEvidence, score_deployment_verification, False, True),
    MethodSpec("documentation_review", "Documentation review",
               DocumentationReviewEvidence, score_documentation_review, False, False),
    MethodSpec("training_completion", "Training completion",
               TrainingCompletionEvidence, score_training_completion, False, False),
    MethodSpec("satisfaction_survey", "Satisfaction survey",
               SatisfactionSurveyEvidence, score_satisfaction_survey, True, False),
)
# fmt: on

METHODS: dict[str, MethodSpec] = {spec.key: spec for spec in _SPECS}


def score_evidence(method_key: str, evidence: object, settings: MethodSettings) -> MethodScore:
    """Score evidence by method key, refusing another method's evidence (wrong form for a criterion)."""
    spec = METHODS.get(method_key)
    if spec is None:
        raise ValueError(f"Unknown validation method {method_key!r}.")
    if not isinstance(evidence, spec.evidence_class):
        raise ValueError(f"{spec.label} needs {spec.evidence_class.__name__}, not {type(evidence).__name__}.")
    return spec.score(evidence, settings)
