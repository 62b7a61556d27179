"""Proposals: build from a recommended tier, edit (a sent one gets a new version), send, and decline.

Acceptance, which converts the lead into a customer and project, lives in `conversion.py`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers.models import Stakeholder
from apps.notifications.models import Channel
from apps.notifications.services import Message, Recipient, queue_message
from apps.tiers import lead_links, links, services
from apps.tiers.models import Proposal, ProposalStakeholder, Tier, TierSettings, json_ready
from apps.tiers.scoring import evaluate_tier, format_money, guarantee_amount

TECHNICAL_ROLES = {Stakeholder.Role.TECHNICAL_LEAD}


@dataclass(frozen=True)
class ProposalTerms:
    """What a CSM decides on a proposal; everything else follows from the tier and the lead."""

    tier: Tier
    price: Decimal
    timeline_weeks: int
    scope_notes: str = ""
    stakeholders: list[dict[str, Any]] = field(default_factory=list)


def default_background(role: str) -> str:
    return (
        ProposalStakeholder.Background.TECHNICAL if role in TECHNICAL_ROLES else ProposalStakeholder.Background.BUSINESS
    )


def tier_quote(*, lead: Any, tier: Tier) -> dict[str, Any]:
    """The stored recommendation's result for this tier, or one computed now (the tier may not be recommended)."""
    recommendation = getattr(lead, "tier_recommendation", None) if lead.pk else None
    stored = recommendation.result_for(tier.slug) if recommendation else None
    if stored is not None:
        return stored
    profile = services.selectors.lead_profile(lead)
    if profile is None:
        raise ValidationError("Score this lead first: the price and timeline come from its feasibility estimate.")
    config, _version = services.selectors.rules_config()
    return services.evaluation_to_json(evaluate_tier(profile, tier.to_spec(), config), tier.pk)


def initial_terms(*, lead: Any, tier: Tier) -> dict[str, Any]:
    """What the proposal form starts from: the quoted price and timeline, and the lead's contact as approver."""
    quote = tier_quote(lead=lead, tier=tier)
    contact = {
        "name": lead.contact_name,
        "email": lead.contact_email,
        "title": "",
        "role": Stakeholder.Role.EXECUTIVE,
        "background": ProposalStakeholder.Background.BUSINESS,
        "is_approver": True,
    }
    return {"price": Decimal(quote["price"]), "timeline_weeks": quote["timeline_weeks"], "stakeholders": [contact]}


def _breakdown(quote: dict[str, Any], price: Decimal) -> list[dict[str, Any]]:
    lines = list(quote["breakdown"])
    recommended = Decimal(quote["price"])
    if price != recommended:
        lines.append({"label": "Adjusted by your customer success manager", "amount": price - recommended})
    return json_ready(lines)


def _apply_terms(proposal: Proposal, terms: ProposalTerms) -> None:
    lead, tier = proposal.lead, terms.tier
    quote = tier_quote(lead=lead, tier=tier)
    proposal.tier = tier
    proposal.price = terms.price
    proposal.recommended_price = Decimal(quote["price"])
    proposal.price_breakdown = _breakdown(quote, terms.price)
    proposal.timeline_weeks = terms.timeline_weeks
    proposal.scope_notes = terms.scope_notes
    proposal.guarantee_amount = guarantee_amount(terms.price, tier.to_spec())
    proposal.guarantee_threshold = tier.guarantee_threshold
    proposal.compatibility = Decimal(quote["compatibility"])
    proposal.reasoning = quote["reasoning"]
    proposal.config_version = TierSettings.current().version
    proposal.contact_name, proposal.contact_email = lead.contact_name, lead.contact_email
    proposal.full_clean()


def _save_stakeholders(proposal: Proposal, people: list[dict[str, Any]]) -> None:
    proposal.stakeholders.all().delete()
    for position, person in enumerate(people):
        row = ProposalStakeholder(proposal=proposal, position=position, **person)
        row.email = row.email.lower()
        row.full_clean(exclude=["proposal"])
        row.save()


def _check_lead_open(lead: Any) -> None:
    if lead_links.is_closed(lead):
        raise ValidationError(f"This lead is {lead.get_status_display().lower()}; it takes no new proposal.")


@transaction.atomic
def create_proposal(*, actor: Any, lead: Any, terms: ProposalTerms) -> Proposal:
    """A draft proposal for a lead. A lead has at most one open (draft or sent) proposal at a time."""
    _check_lead_open(lead)
    if Proposal.objects.filter(lead=lead, status__in=Proposal.OPEN_STATUSES).exists():
        raise ValidationError("This lead already has an open proposal; edit that one instead.")
    latest = Proposal.objects.filter(lead=lead).aggregate(v=Max("version"))["v"] or 0
    proposal = Proposal(lead=lead, version=latest + 1, created_by=actor, status=Proposal.Status.DRAFT)
    _apply_terms(proposal, terms)
    proposal.save()
    _save_stakeholders(proposal, terms.stakeholders)
    record_event(
        action="proposal.created",
        obj=proposal,
        actor=actor,
        data={"lead_id": lead.pk, "tier": terms.tier.slug, "price": terms.price, "version": proposal.version},
    )
    return proposal


@transaction.atomic
def update_proposal(*, actor: Any, proposal: Proposal, terms: ProposalTerms) -> Proposal:
    """Change a proposal. A draft changes in place; a sent one is superseded by a new draft version, so the
    link already emailed stops working and only the newest version can be accepted. Returns the version to show."""
    if proposal.status == Proposal.Status.DRAFT:
        _apply_terms(proposal, terms)
        proposal.save()
        _save_stakeholders(proposal, terms.stakeholders)
        record_event(action="proposal.updated", obj=proposal, actor=actor, data={"version": proposal.version})
        return proposal
    superseded = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.SENT).update(
        status=Proposal.Status.SUPERSEDED, updated_at=timezone.now()
    )
    if not superseded:
        raise ValidationError("Only a draft or a sent proposal can be changed; this one is already decided.")
    new = Proposal(
        lead=proposal.lead,
        version=proposal.version + 1,
        previous=proposal,
        created_by=actor,
        status=Proposal.Status.DRAFT,
    )
    _apply_terms(new, terms)
    new.save()
    _save_stakeholders(new, terms.stakeholders)
    record_event(
        action="proposal.new_version",
        obj=new,
        actor=actor,
        data={"superseded_id": proposal.pk, "version": new.version, "price": new.price},
    )
    return new


@transaction.atomic
def send_proposal(*, actor: Any, proposal: Proposal) -> str:
    """Email the proposal's link to the lead's contact. Sending again makes a fresh link and kills the old one.

    Returns the link (the email carries the same one).
    """
    now = timezone.now()
    days = TierSettings.current().proposal_link_days
    nonce = secrets.token_hex(8)
    sent = Proposal.objects.filter(pk=proposal.pk, status__in=Proposal.OPEN_STATUSES).update(
        status=Proposal.Status.SENT,
        sent_at=now,
        expires_at=now + timedelta(days=days),
        token_nonce=nonce,
        updated_at=now,
    )
    if not sent:
        raise ValidationError("Only a draft or a sent proposal can be sent.")
    proposal.refresh_from_db()
    if not proposal.stakeholders.exists():
        raise ValidationError("Name at least one stakeholder before sending.")
    lead_links.mark_proposal_sent(lead=proposal.lead, actor=actor)
    link = links.public_url(proposal)
    context = {"proposal": proposal, "link": link, "sender": actor, "price": format_money(proposal.price)}
    queue_message(
        event_key=f"proposal:{proposal.pk}:sent:{nonce}",
        recipient=Recipient(key=f"lead:{proposal.lead_id}:contact", email=proposal.contact_email),
        channel=Channel.EMAIL,
        message=Message(
            subject=f"Your proposal: {proposal.tier.name} for {proposal.lead.organization_name}",
            body=render_to_string("tiers/email_proposal.txt", context),
        ),
    )
    record_event(
        action="proposal.sent",
        obj=proposal,
        actor=actor,
        data={"to": proposal.contact_email, "version": proposal.version, "expires_at": proposal.expires_at},
    )
    return link


@transaction.atomic
def decline_proposal(*, proposal: Proposal, name: str, comment: str, actor: Any = None) -> Proposal:
    """The customer declines (through the link, or a CSM records it): the lead is lost, with their reason."""
    now = timezone.now()
    declined = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.SENT).update(
        status=Proposal.Status.DECLINED,
        decided_at=now,
        decided_by_name=name,
        decision_comment=comment,
        recorded_by=actor if getattr(actor, "is_staff", False) else None,
        updated_at=now,
    )
    if not declined:
        raise ValidationError("This proposal can no longer be declined.")
    proposal.refresh_from_db()
    reason = f"Proposal v{proposal.version} ({proposal.tier.name}) declined by {name}: {comment or 'no reason given'}"
    lead_links.mark_lost(lead=proposal.lead, actor=actor, reason=reason)
    record_event(
        action="proposal.declined",
        obj=proposal,
        actor=actor,
        actor_label="" if actor else f"{name} (proposal link)",
        data={"name": name, "comment": comment, "version": proposal.version},
    )
    notify_owner(proposal, "declined")
    return proposal


def notify_owner(proposal: Proposal, outcome: str) -> None:
    """Tell the lead's owner (or the proposal's author) that the customer decided."""
    owner = proposal.lead.owner or proposal.created_by
    subject = f"{proposal.lead.organization_name} {outcome} proposal v{proposal.version} ({proposal.tier.name})"
    body = f"{proposal.decided_by_name} {outcome} the proposal."
    if proposal.decision_comment:
        body += f" Their comment: {proposal.decision_comment}"
    for channel in (Channel.EMAIL, Channel.IN_APP):
        queue_message(
            event_key=f"proposal:{proposal.pk}:{outcome}",
            recipient=Recipient(key=f"user:{owner.pk}", email=owner.email, user_id=owner.pk),
            channel=channel,
            message=Message(subject=subject, body=body, url=reverse("tiers:proposal_detail", args=[proposal.pk])),
        )
