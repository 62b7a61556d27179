"""The proposal link: opens the proposal it was made for, and is refused after expiry, after a newer version,
after a re-send, for another proposal, or when tampered with."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.tiers import links, proposals
from apps.tiers.links import LinkRefused, make_token, open_link
from apps.tiers.models import Proposal
from tests.tiers.factories import sent_proposal, terms

pytestmark = pytest.mark.django_db


def _refusal(proposal_id: int, token: str) -> str:
    with pytest.raises(LinkRefused) as caught:
        open_link(proposal_id, token)
    return caught.value.reason


def test_the_emailed_link_opens_its_proposal(csm):
    proposal, link = sent_proposal(csm)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert open_link(proposal.pk, token).proposal == proposal


def test_a_link_is_refused_once_its_days_have_passed(csm):
    proposal, _ = sent_proposal(csm)
    thirty_one_days_ago = time.time() - 31 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=thirty_one_days_ago):
        old_token = make_token(proposal)
    assert _refusal(proposal.pk, old_token) == "expired"


def test_a_link_is_refused_after_the_proposals_expiry_date_even_with_a_fresh_signature(csm):
    proposal, _ = sent_proposal(csm)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _refusal(proposal.pk, make_token(proposal)) == "expired"


def test_a_link_is_refused_once_a_newer_version_exists(csm):
    proposal, link = sent_proposal(csm)
    token = make_token(proposal)
    proposals.update_proposal(actor=csm, proposal=proposal, terms=terms(proposal.lead, timeline_weeks=7))
    assert _refusal(proposal.pk, token) == "superseded"


def test_a_link_for_one_proposal_does_not_open_another(csm):
    first, _ = sent_proposal(csm)
    second, _ = sent_proposal(csm)
    assert _refusal(second.pk, make_token(first)) == "invalid"


def test_sending_again_makes_the_earlier_link_stop_working(csm):
    proposal, _ = sent_proposal(csm)
    old_token = make_token(proposal)
    proposals.send_proposal(actor=csm, proposal=proposal)
    proposal.refresh_from_db()
    assert _refusal(proposal.pk, old_token) == "invalid"
    assert open_link(proposal.pk, make_token(proposal)).proposal == proposal


def test_a_tampered_token_is_refused(csm):
    proposal, _ = sent_proposal(csm)
    token = make_token(proposal)
    assert _refusal(proposal.pk, token[:-2] + "xx") == "invalid"
    assert _refusal(proposal.pk, "not-a-token") == "invalid"


def test_a_draft_has_no_working_link(csm):
    from tests.tiers.factories import draft_proposal

    proposal = draft_proposal(csm)
    assert _refusal(proposal.pk, links.make_token(proposal)) == "invalid"


@pytest.mark.parametrize("name", ["proposal_link:view", "proposal_link:accept", "proposal_link:decline"])
def test_every_link_page_answers_a_superseded_link_with_the_refusal_page_and_changes_nothing(client, csm, name):
    proposal, _ = sent_proposal(csm)
    token = make_token(proposal)
    proposals.update_proposal(actor=csm, proposal=proposal, terms=terms(proposal.lead, timeline_weeks=7))
    method = client.get if name.endswith("view") else client.post
    response = method(reverse(name, args=[proposal.pk, token]), {"name": "Nina", "comment": "x", "authority": "on"})
    assert response.status_code == 404
    assert "newer version" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUPERSEDED
