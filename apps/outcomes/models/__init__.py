"""Models of how a guarantee ends: configuration, final validation, success documents, claims and refunds."""

from apps.outcomes.models.claims import Claim, MigrationTask, Payout, Remedy
from apps.outcomes.models.config import FinalCriterionConfig, MigrationTaskTemplate, OutcomeSettings
from apps.outcomes.models.validation import FinalInput, FinalValidation, RecordChangeError, SuccessDocument

__all__ = [
    "Claim",
    "FinalCriterionConfig",
    "FinalInput",
    "FinalValidation",
    "MigrationTask",
    "MigrationTaskTemplate",
    "OutcomeSettings",
    "Payout",
    "RecordChangeError",
    "Remedy",
    "SuccessDocument",
]
