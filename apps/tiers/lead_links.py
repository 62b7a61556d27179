"""The lead status moves a proposal causes, made through the leads app's own service."""

from __future__ import annotations

from typing import Any

from apps.leads import services as lead_services
from apps.leads.models import Lead


def is_closed(lead: Lead) -> bool:
    return lead.status in (Lead.Status.WON, Lead.Status.LOST)


def mark_proposal_sent(*, lead: Lead, actor: Any) -> None:
    """A lead with a proposal out is in the proposal stage (a re-sent or newer version leaves it there)."""
    if lead.status != Lead.Status.PROPOSAL:
        lead_services.change_lead_status(actor=actor, lead=lead, status=Lead.Status.PROPOSAL)


def mark_won(*, lead: Lead, actor: Any) -> None:
    mark_proposal_sent(lead=lead, actor=actor)
    lead_services.change_lead_status(actor=actor, lead=lead, status=Lead.Status.WON)


def mark_lost(*, lead: Lead, actor: Any, reason: str) -> None:
    lead_services.change_lead_status(actor=actor, lead=lead, status=Lead.Status.LOST, lost_reason=reason[:2000])
