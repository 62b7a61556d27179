"""The outcomes app's writes, in one place for other apps and views to import."""

from apps.outcomes.claims import (
    approve_claim,
    complete_migration_task,
    open_claim,
    reject_claim,
    start_review,
)
from apps.outcomes.final import run_final_validation, save_final_input, update_business_impact
from apps.outcomes.payouts import record_payout, settle_payout

__all__ = [
    "approve_claim",
    "complete_migration_task",
    "open_claim",
    "record_payout",
    "reject_claim",
    "run_final_validation",
    "save_final_input",
    "settle_payout",
    "start_review",
    "update_business_impact",
]
