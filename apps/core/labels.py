"""Words people read instead of codes: money, audit actions and any stored code shown on a page or in a CSV header.

Pure (no ORM, no clock): pages, emails, notifications and CSV exports all call these, so a figure or a code reads
the same everywhere.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

# Audit actions as sentences; any action not listed here still reads as words (see `action_label`).
ACTION_LABELS: dict[str, str] = {
    "customer.created": "Customer created",
    "customer.updated": "Customer details changed",
    "stakeholder.added": "Stakeholder added",
    "stakeholder.updated": "Stakeholder details changed",
    "stakeholder.invited": "Invited to the client view",
    "stakeholder.invite_accepted": "Joined the client view",
    "education.plan_scheduled": "Introduction scheduled",
    "education.item_done": "Introduction item marked done",
    "lead.created": "Lead added",
    "lead.scored": "Lead scored",
    "lead.stop_overridden": "Stop overridden",
    "lead.status_changed": "Lead status changed",
    "proposal.created": "Proposal drafted",
    "proposal.sent": "Proposal sent",
    "proposal.accepted": "Proposal accepted",
    "proposal.declined": "Proposal declined",
    "proposal.new_version": "New proposal version",
    "project.created": "Project created",
    "project.kickoff_started": "Kickoff started",
    "project.kickoff_retried": "Kickoff retried",
    "project.environment_marked": "Environment checklist updated",
    "guarantee.activated": "Guarantee started",
    "guarantee.status_changed": "Guarantee status changed",
    "guarantee.final_validated": "Final validation decided",
    "guarantee.extended": "Guarantee extended",
    "evidence.recorded": "Evidence recorded",
    "milestone.submitted_for_sign_off": "Week sent for sign-off",
    "milestone.sign_off_approved": "Week approved",
    "milestone.sign_off_rejected": "Week rejected",
    "milestone.reopened": "Week reopened",
    "milestone.withdrawn": "Week taken back to correct evidence",
    "milestone.closed": "Week closed",
    "success_document.created": "Success document created",
    "success_document.impact_updated": "Business impact updated",
    "scoring_config.published": "Scoring configuration published",
    "api_key.created": "API key created",
    "api_key.revoked": "API key revoked",
    "opportunity.identified": "Expansion opportunity identified",
    "opportunity.added": "Expansion opportunity added",
    "opportunity.to_identified": "Opportunity moved back to identified",
    "opportunity.to_qualified": "Opportunity qualified",
    "opportunity.to_proposal": "Opportunity moved to proposal",
    "opportunity.to_negotiation": "Opportunity moved to negotiation",
    "opportunity.won": "Expansion opportunity won",
    "opportunity.lost": "Expansion opportunity lost",
}


def words(code: Any) -> str:
    """A stored code as words: "very_high" -> "Very high", "in_app" -> "In app" (labels maps are preferred)."""
    text = str(code or "").replace(".", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    """An audit action as a person reads it: "success_document.created" -> "Success document created"."""
    return ACTION_LABELS.get(action) or words(action)


def format_money(value: Any) -> str:
    """US dollars, one way everywhere: 113000.00 -> "$113,000"; cents only when there are any; blank -> "—"."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    digits = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{sign}${digits}"
