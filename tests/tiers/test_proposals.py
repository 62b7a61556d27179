"""Proposals: built from a tier, one open per lead, versions on edit after sending, sending and declining."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.leads.models import Lead
from apps.notifications.models import OutboxMessage
from apps.tiers import proposals
from apps.tiers.models import Proposal
from tests.tiers.factories import contact, draft_proposal, scored_lead, sent_proposal, terms

pytestmark = pytest.mark.django_db


def test_a_proposal_starts_from_the_recommended_price_and_timeline_with_the_contact_as_approver(csm):
    proposal = draft_proposal(csm)
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.version == 1
    assert proposal.price == proposal.recommended_price == Decimal("111000")
    assert proposal.timeline_weeks == 6
    assert proposal.compatibility == Decimal("1.00")
    assert proposal.guarantee_threshold == Decimal("80.0")
    person = proposal.stakeholders.get()
    assert (person.email, person.role, person.is_approver) == (proposal.lead.contact_email, "executive", True)


def test_the_guarantee_amount_is_the_price_capped_at_the_tiers_refund_cap(csm):
    lead = scored_lead(owner=csm, service_type="team_augmentation")
    proposal = proposals.create_proposal(
        actor=csm, lead=lead, terms=terms(lead, "team-augmentation", price=Decimal(150_000))
    )
    assert proposal.guarantee_amount == Decimal(100_000)


def test_a_negotiated_price_adds_a_breakdown_line_so_the_lines_still_add_up(csm):
    proposal = draft_proposal(csm, price=Decimal(105_000))
    last = proposal.price_breakdown[-1]
    assert last["label"] == "Adjusted by your customer success manager"
    assert sum(Decimal(line["amount"]) for line in proposal.price_breakdown) == Decimal(105_000)


def test_a_lead_has_at_most_one_open_proposal(csm):
    proposal = draft_proposal(csm)
    with pytest.raises(ValidationError, match="already has an open proposal"):
        proposals.create_proposal(actor=csm, lead=proposal.lead, terms=terms(proposal.lead))


def test_a_won_or_lost_lead_takes_no_new_proposal(csm):
    lead = scored_lead(owner=csm)
    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.LOST, lost_reason="Chose a competitor")
    lead.refresh_from_db()
    with pytest.raises(ValidationError, match="lost"):
        proposals.create_proposal(actor=csm, lead=lead, terms=terms(lead))


def test_editing_a_draft_changes_it_in_place(csm):
    proposal = draft_proposal(csm)
    saved = proposals.update_proposal(
        actor=csm, proposal=proposal, terms=terms(proposal.lead, timeline_weeks=8, scope_notes="Also an admin area.")
    )
    assert saved.pk == proposal.pk
    assert (saved.version, saved.timeline_weeks, saved.scope_notes) == (1, 8, "Also an admin area.")


def test_editing_a_sent_proposal_makes_a_new_draft_version_and_supersedes_the_old(csm):
    proposal, _ = sent_proposal(csm)
    people = [
        contact(proposal.lead),
        {
            **contact(proposal.lead),
            "email": "cto@prospect.example",
            "name": "C T O",
            "role": "technical_lead",
            "background": "technical",
            "is_approver": False,
        },
    ]
    new = proposals.update_proposal(actor=csm, proposal=proposal, terms=terms(proposal.lead, stakeholders=people))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUPERSEDED
    assert (new.version, new.status, new.previous_id) == (2, Proposal.Status.DRAFT, proposal.pk)
    assert new.stakeholders.count() == 2
    assert AuditEvent.objects.filter(action="proposal.new_version", object_id=str(new.pk)).exists()


def test_a_decided_proposal_cannot_be_edited(csm):
    proposal, _ = sent_proposal(csm)
    proposals.decline_proposal(proposal=proposal, name="Nina", comment="Too expensive")
    with pytest.raises(ValidationError, match="already decided"):
        proposals.update_proposal(actor=csm, proposal=proposal, terms=terms(proposal.lead))


def test_sending_emails_the_link_to_the_contact_and_moves_the_lead_to_proposal(
    csm, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal, link = sent_proposal(csm)
    assert proposal.status == Proposal.Status.SENT
    assert proposal.expires_at - proposal.sent_at == timedelta(days=30)
    assert proposal.lead.__class__.objects.get(pk=proposal.lead_id).status == Lead.Status.PROPOSAL
    (email,) = mailoutbox
    assert email.to == [proposal.contact_email]
    assert link in email.body
    assert "$111,000" in email.body


def test_sending_needs_a_stakeholder(csm):
    proposal = draft_proposal(csm)
    proposal.stakeholders.all().delete()
    with pytest.raises(ValidationError, match="stakeholder"):
        proposals.send_proposal(actor=csm, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_declining_loses_the_lead_with_the_customers_reason_and_tells_the_owner(csm):
    proposal, _ = sent_proposal(csm)
    proposals.decline_proposal(proposal=proposal, name="Nina North", comment="Budget moved to next year")
    proposal.refresh_from_db()
    lead = Lead.objects.get(pk=proposal.lead_id)
    assert proposal.status == Proposal.Status.DECLINED
    assert lead.status == Lead.Status.LOST
    assert "Budget moved to next year" in lead.lost_reason
    assert "Nina North" in lead.lost_reason
    owner_messages = OutboxMessage.objects.filter(recipient_key=f"user:{csm.pk}", event_key__endswith=":declined")
    assert set(owner_messages.values_list("channel", flat=True)) == {"email", "in_app"}


def test_a_proposal_cannot_be_declined_twice(csm):
    proposal, _ = sent_proposal(csm)
    proposals.decline_proposal(proposal=proposal, name="Nina", comment="No")
    with pytest.raises(ValidationError):
        proposals.decline_proposal(proposal=proposal, name="Nina", comment="No again")


def test_the_link_expired_status_shows_for_a_sent_proposal_past_its_date(csm):
    proposal, _ = sent_proposal(csm)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    proposal.refresh_from_db()
    assert (proposal.status_key, proposal.display_status) == ("expired", "Link expired")
