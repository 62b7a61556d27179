"""Acceptance converts a lead into a customer, stakeholders, a project and education plans, all or nothing,
and only once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.customers.models import ClientInvite, Customer, Stakeholder
from apps.education.models import EducationPlan, PlanItem
from apps.leads.models import Lead
from apps.notifications.models import OutboxMessage
from apps.projects.models import Project
from apps.tiers import conversion
from apps.tiers.conversion import ProposalClosed, accept_proposal
from apps.tiers.models import Proposal
from tests.customers.factories import CustomerFactory, StakeholderFactory
from tests.tiers.factories import contact, draft_proposal, scored_lead, sent_proposal

pytestmark = pytest.mark.django_db


def _two_people(lead):
    cto = contact(
        lead,
        name="Tom Tech",
        email="tom@prospect.example",
        title="CTO",
        role="technical_lead",
        background="technical",
        is_approver=False,
    )
    return [contact(lead), cto]


def _sent(csm, **lead_overrides):
    lead = scored_lead(owner=csm, **lead_overrides)
    proposal, _ = sent_proposal(csm, lead, stakeholders=_two_people(lead))
    return proposal


def test_acceptance_makes_the_customer_stakeholders_project_invites_and_education_in_one_go(csm):
    proposal = _sent(csm, organization_name="Northwind Traders", compliance_requirements=["GDPR"])
    result = accept_proposal(proposal=proposal, accepted_by_name="Nina North", comment="Looking forward")
    proposal.refresh_from_db()
    lead = Lead.objects.get(pk=proposal.lead_id)
    customer = Customer.objects.get(name="Northwind Traders")
    assert lead.status == Lead.Status.WON
    assert (proposal.status, proposal.customer, proposal.decided_by_name) == ("accepted", customer, "Nina North")
    assert (customer.owner, customer.status, result.customer_created) == (csm, "onboarding", True)
    people = {s.email: s for s in customer.stakeholders.all()}
    assert set(people) == {lead.contact_email, "tom@prospect.example"}
    assert (people["tom@prospect.example"].role, people["tom@prospect.example"].is_approver) == (
        "technical_lead",
        False,
    )
    assert people[lead.contact_email].is_approver is True
    project = Project.objects.get(source_proposal_id=proposal.pk)
    assert project.customer == customer
    assert project.status == Project.Status.KICKOFF_PENDING
    assert (project.price, project.timeline_weeks, project.guarantee_amount) == (Decimal(111_000), 6, Decimal(111_000))
    assert (project.tier_slug, project.service_type, project.source_lead_id) == (
        "startup-mvp",
        "mvp_development",
        lead.pk,
    )
    assert project.has_compliance_requirements is True
    assert project.accepted_at == proposal.decided_at
    assert ClientInvite.objects.filter(stakeholder__customer=customer).count() == 2
    assert sorted(result.invited) == sorted(people)
    assert EducationPlan.objects.filter(customer=customer).count() == 2
    assert set(EducationPlan.objects.values_list("background", flat=True)) == {"business", "technical"}
    event = AuditEvent.objects.get(action="proposal.accepted")
    assert event.data["project_id"] == project.pk
    assert event.actor_label == "Nina North (proposal link)"


def test_the_existing_customer_of_the_organisation_and_its_stakeholders_are_reused(csm):
    existing = CustomerFactory(name="Northwind Traders", owner=csm)
    proposal = _sent(csm, organization_name="NORTHWIND TRADERS")
    StakeholderFactory(customer=existing, email="tom@prospect.example", name="Tom Already")
    result = accept_proposal(proposal=proposal, accepted_by_name="Nina")
    assert result.customer == existing
    assert result.customer_created is False
    assert Customer.objects.count() == 1
    assert existing.stakeholders.count() == 2
    assert existing.stakeholders.get(email="tom@prospect.example").name == "Tom Already"


def test_a_failure_midway_leaves_nothing_half_made(csm, monkeypatch):
    proposal = _sent(csm, organization_name="Halfway Ltd")
    outbox_before = OutboxMessage.objects.count()

    def broken(**kwargs):
        raise RuntimeError("education service down")

    monkeypatch.setattr(conversion.education_services, "schedule_plan", broken)
    with pytest.raises(RuntimeError):
        accept_proposal(proposal=proposal, accepted_by_name="Nina")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT
    assert proposal.customer is None
    assert Lead.objects.get(pk=proposal.lead_id).status == Lead.Status.PROPOSAL
    assert not Customer.objects.filter(name="Halfway Ltd").exists()
    assert not Stakeholder.objects.filter(email="tom@prospect.example").exists()
    assert not Project.objects.exists()
    assert not ClientInvite.objects.exists()
    assert OutboxMessage.objects.count() == outbox_before
    assert not AuditEvent.objects.filter(action__in=["proposal.accepted", "customer.created"]).exists()
    # And once the fault is gone, the same proposal converts normally.
    monkeypatch.undo()
    assert accept_proposal(proposal=proposal, accepted_by_name="Nina").customer.name == "Halfway Ltd"


def test_a_project_failure_also_rolls_everything_back(csm, monkeypatch):
    import apps.projects.services as project_services

    proposal = _sent(csm, organization_name="Projectless Inc")
    monkeypatch.setattr(project_services, "create_project", lambda **kw: (_ for _ in ()).throw(ValidationError("x")))
    with pytest.raises(ValidationError):
        accept_proposal(proposal=proposal, accepted_by_name="Nina")
    assert not Customer.objects.filter(name="Projectless Inc").exists()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT


def test_a_second_acceptance_is_refused_and_creates_nothing_more(csm):
    proposal = _sent(csm)
    stale_copy = Proposal.objects.get(pk=proposal.pk)
    accept_proposal(proposal=proposal, accepted_by_name="Nina")
    with pytest.raises(ProposalClosed):
        accept_proposal(proposal=stale_copy, accepted_by_name="Nina again")
    with pytest.raises(ProposalClosed):
        accept_proposal(proposal=stale_copy, accepted_by_name="CSM", actor=csm, offline=True)
    assert Project.objects.count() == 1
    assert Customer.objects.count() == 1
    assert EducationPlan.objects.count() == 2
    assert Proposal.objects.get(pk=proposal.pk).decided_by_name == "Nina"


def test_the_database_allows_one_accepted_proposal_per_lead(csm):
    proposal = _sent(csm)
    accept_proposal(proposal=proposal, accepted_by_name="Nina")
    copy = Proposal.objects.get(pk=proposal.pk)
    copy.pk, copy.version, copy.previous = None, 9, None
    with pytest.raises(ValidationError, match="accepted"):
        copy.full_clean()


def test_a_superseded_version_cannot_be_accepted(csm):
    from apps.tiers import proposals
    from tests.tiers.factories import terms

    proposal = _sent(csm)
    proposals.update_proposal(actor=csm, proposal=proposal, terms=terms(proposal.lead, timeline_weeks=7))
    with pytest.raises(ProposalClosed):
        accept_proposal(proposal=proposal, accepted_by_name="Nina")
    assert not Project.objects.exists()


def test_an_expired_proposal_cannot_be_accepted_online_but_a_csm_can_record_it(csm):
    proposal = _sent(csm)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ProposalClosed):
        accept_proposal(proposal=proposal, accepted_by_name="Nina")
    signed_on = timezone.now() - timedelta(days=2)
    accept_proposal(proposal=proposal, accepted_by_name="Nina", actor=csm, offline=True, accepted_at=signed_on)
    proposal.refresh_from_db()
    assert (proposal.accepted_offline, proposal.recorded_by, proposal.decided_at) == (True, csm, signed_on)
    assert Project.objects.get().accepted_at == signed_on


def test_a_csm_can_record_acceptance_of_a_draft_that_was_never_emailed(csm):
    proposal = draft_proposal(csm)
    accept_proposal(proposal=proposal, accepted_by_name="Nina", actor=csm, offline=True)
    assert Lead.objects.get(pk=proposal.lead_id).status == Lead.Status.WON


def test_an_acceptance_time_in_the_future_is_refused(csm):
    proposal = _sent(csm)
    with pytest.raises(ValidationError, match="future"):
        accept_proposal(
            proposal=proposal,
            accepted_by_name="N",
            actor=csm,
            offline=True,
            accepted_at=timezone.now() + timedelta(days=1),
        )
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT


def test_a_stakeholder_whose_email_logs_in_elsewhere_is_listed_not_invited_and_conversion_completes(csm):
    other = CustomerFactory(name="Elsewhere")
    StakeholderFactory(customer=other, email="tom@prospect.example", with_login=True)
    proposal = _sent(csm, organization_name="Clash Co")
    result = accept_proposal(proposal=proposal, accepted_by_name="Nina")
    assert result.not_invited == ["tom@prospect.example"]
    assert Project.objects.filter(customer__name="Clash Co").exists()


def test_education_is_scheduled_and_the_first_items_sent_after_commit(
    csm, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = _sent(csm)
    with django_capture_on_commit_callbacks(execute=True):
        accept_proposal(proposal=proposal, accepted_by_name="Nina")
    assert PlanItem.objects.filter(queued_at__isnull=False).count() == 2  # each person's day-1 video call invite
    invites = [m for m in mailoutbox if m.subject.startswith("Invitation: How our delivery works")]
    assert len(invites) == 2
    assert invites[0].attachments[0].filename == "invite.ics"
