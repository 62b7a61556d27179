"""Background work of the tiers app: thin, takes ids, calls one service, safe to run twice."""

from __future__ import annotations

from apps.tiers import services


def refresh_recommendations(lead_id: int) -> bool:
    """Recompute a lead's tier recommendation after it was (re)scored. True when the stored one changed."""
    return services.refresh_recommendations_for(lead_id=lead_id)


def refresh_open_leads() -> int:
    """After a tier or settings change: recompute every open lead's recommendation. Returns how many changed."""
    return sum(services.refresh_recommendations_for(lead_id=pk) for pk in services.open_lead_ids())
