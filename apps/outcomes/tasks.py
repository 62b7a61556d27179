"""Background work of the outcomes app: thin functions that take ids and call one service (each safe to rerun)."""

from __future__ import annotations

from django.utils import timezone

from apps.guarantees.models import Guarantee
from apps.outcomes.final import run_final_validation as _run_final_validation
from apps.outcomes.payouts import settle_payout as _settle_payout

RUNNING = (Guarantee.Status.ACTIVE, Guarantee.Status.AT_RISK, Guarantee.Status.FAILED_WEEK)


def run_final_validation(guarantee_id: int) -> str | None:
    validation = _run_final_validation(guarantee_id=guarantee_id)
    return None if validation is None else validation.outcome


def run_due_final_validations() -> int:
    """Scheduled: decide every running guarantee whose end date has come. Returns how many were decided."""
    today = timezone.localdate()
    due = Guarantee.objects.filter(status__in=RUNNING, ends_on__lte=today).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if _run_final_validation(guarantee_id=pk, as_of=today) is not None)


def settle_payout(payout_id: int) -> bool:
    return _settle_payout(payout_id=payout_id)
