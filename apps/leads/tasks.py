"""Background work of the leads app: thin functions that take ids and call one service."""

from __future__ import annotations

import logging

from django.utils.module_loading import import_string

from apps.leads import services
from apps.leads.scoring import run

logger = logging.getLogger(__name__)
TIERS_REFRESH = "apps.tiers.tasks.refresh_recommendations"


def score_lead(lead_id: int) -> str:
    score = services.score_lead(lead_id=lead_id)
    return f"lead {lead_id}: {'gone' if score is None else f'score {score.pk}'}"


def rescore_open_leads(run_id: int) -> str:
    result = run.run_rescore(run_id=run_id)
    return f"rescore run {run_id}: {'already finished' if result is None else f'{result.done} leads'}"


def refresh_tiers(lead_ids: list[int]) -> str:
    """Ask the tiers app to refresh the recommendations of leads a batched rescore changed.

    One queued task per rescore batch instead of one per lead; each lead is refreshed on its own, so one failure
    does not stop the others.
    """
    refresh = import_string(TIERS_REFRESH)
    failed = 0
    for lead_id in lead_ids:
        try:
            refresh(lead_id)
        except Exception:  # a tiers failure for one lead must not block the rest; it is logged with its trace
            failed += 1
            logger.exception("Refreshing the tier recommendation of lead %s failed", lead_id)
    return f"refreshed {len(lead_ids) - failed} of {len(lead_ids)} leads"
