"""Acceptance of a proposal: the lead becomes a customer with a project and an education plan, in one transaction.

Either everything below happens or nothing does. A second acceptance of the same proposal (a double click, two
tabs, the CSM and the customer at once) finds the proposal no longer open and is refused: the status moves by one
conditional update, and the database allows one accepted proposal per lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers import services as customer_services
from apps.customers.models import Customer, Stakeholder
from apps.education import services as education_services
from apps.tiers import lead_links
from apps.tiers.models import Proposal, ProposalStakeholder
from apps.tiers.proposals import notify_owner


class ProposalClosed(ValidationError):
    """The proposal is not open for acceptance (already decided, superseded, or its link expired)."""


@dataclass
class Conversion:
    proposal: Proposal
    customer: Customer
    project: Any
    stakeholders: list[Stakeholder]
    customer_created: bool
    invited: list[str] = field(default_factory=list)
    not_invited: list[str] = field(default_factory=list)
    plans: int = 0


def _claim(proposal: Proposal, *, by: str, comment: str, actor: Any, offline: bool, accepted_at: datetime) -> None:
    """Move the proposal to accepted with one conditional update, or refuse."""
    now = timezone.now()
    # Offline, a CSM records a signature made elsewhere: a draft that was never emailed counts too.
    sent_and_live = Q(status=Proposal.Status.SENT, expires_at__gt=now)
    open_now = Q(status__in=Proposal.OPEN_STATUSES) if offline else sent_and_live
    claimed = Proposal.objects.filter(open_now, pk=proposal.pk).update(
        status=Proposal.Status.ACCEPTED,
        decided_at=accepted_at,
        decided_by_name=by,
        decision_comment=comment,
        accepted_offline=offline,
        recorded_by=actor if offline else None,
        updated_at=now,
    )
    if not claimed:
        raise ProposalClosed("This proposal is no longer open: it was already decided, replaced or has expired.")
    proposal.refresh_from_db()


def _customer_for(proposal: Proposal, actor: Any) -> tuple[Customer, bool]:
    lead = proposal.lead
    existing = Customer.objects.filter(name__iexact=lead.organization_name.strip()).first()
    if existing is not None:
        return existing, False
    owner = lead.owner or proposal.created_by
    data = {"name": lead.organization_name.strip(), "owner": owner, "status": Customer.Status.ONBOARDING}
    return customer_services.create_customer(actor=actor, data=data), True


def _stakeholder_for(customer: Customer, person: ProposalStakeholder, actor: Any) -> Stakeholder:
    existing = customer.stakeholders.filter(email__iexact=person.email).first()
    if existing is not None:
        return existing
    data = {
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "role": person.role,
        "is_approver": person.is_approver,
        "channels": [Stakeholder.Channel.EMAIL, Stakeholder.Channel.IN_APP],
    }
    return customer_services.add_stakeholder(actor=actor, customer=customer, data=data)


def _create_project(proposal: Proposal, customer: Customer, actor: Any, accepted_at: datetime) -> Any:
    from apps.projects.services import create_project  # projects depends on tiers, never the other way at import

    lead = proposal.lead
    return create_project(
        actor=actor,
        customer=customer,
        name=f"{proposal.tier.name} for {customer.name}",
        service_type=proposal.tier.service_type,
        tier=proposal.tier,
        price=proposal.price,
        timeline_weeks=proposal.timeline_weeks,
        guarantee_amount=proposal.guarantee_amount,
        guarantee_threshold=proposal.guarantee_threshold,
        has_ui_requirements=lead.has_ui_requirements,
        has_compliance_requirements=bool(lead.compliance_requirements),
        lead=lead,
        proposal=proposal,
        accepted_at=accepted_at,
    )


def _invite(conversion: Conversion, actor: Any) -> None:
    for stakeholder in conversion.stakeholders:
        if stakeholder.has_client_login:
            continue
        try:
            customer_services.invite_stakeholder(actor=actor, stakeholder=stakeholder)
        except ValidationError:
            # The email already logs in for another company; the CSM sees it listed and sorts it out by hand.
            conversion.not_invited.append(stakeholder.email)
        else:
            conversion.invited.append(stakeholder.email)


@transaction.atomic
def accept_proposal(
    *,
    proposal: Proposal,
    accepted_by_name: str,
    comment: str = "",
    actor: Any = None,
    offline: bool = False,
    accepted_at: datetime | None = None,
) -> Conversion:
    """Accept a proposal and convert its lead.

    1. Claim the proposal (conditional update): a second acceptance stops here.
    2. The lead becomes won.
    3. The customer of that organisation is reused, or created; the proposal's people become its stakeholders.
    4. A project is created in "kickoff pending", with the agreed price, timeline and guarantee.
    5. Stakeholders get client-view invites; each gets an education plan by role and background.
    6. The acceptance time is recorded (time to onboarding starts there), and the lead's owner is told.
    """
    accepted_at = accepted_at or timezone.now()
    if accepted_at > timezone.now():
        raise ValidationError("The acceptance time cannot be in the future.")
    _claim(proposal, by=accepted_by_name, comment=comment, actor=actor, offline=offline, accepted_at=accepted_at)
    lead_links.mark_won(lead=proposal.lead, actor=actor)
    customer, created = _customer_for(proposal, actor)
    people = list(proposal.stakeholders.all())
    stakeholders = [_stakeholder_for(customer, person, actor) for person in people]
    project = _create_project(proposal, customer, actor, accepted_at)
    conversion = Conversion(proposal, customer, project, stakeholders, customer_created=created)
    _invite(conversion, actor)
    for person, stakeholder in zip(people, stakeholders, strict=True):
        plan = education_services.schedule_plan(
            actor=actor,
            stakeholder=stakeholder,
            background=person.background,
            service_type=proposal.tier.service_type,
            source_key=f"proposal:{proposal.pk}",
        )
        conversion.plans += plan is not None
    proposal.customer = customer
    proposal.save(update_fields=["customer", "updated_at"])
    record_event(
        action="proposal.accepted",
        obj=proposal,
        actor=actor,
        customer_id=customer.pk,
        actor_label="" if actor else f"{accepted_by_name} (proposal link)",
        data={
            "accepted_at": accepted_at,
            "offline": offline,
            "project_id": project.pk,
            "customer_created": created,
            "invited": conversion.invited,
            "not_invited": conversion.not_invited,
            "education_plans": conversion.plans,
        },
    )
    notify_owner(proposal, "accepted")
    return conversion
