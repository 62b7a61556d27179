"""The public proposal page reads as a buyer's document, and a form error opens the page at the error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.tiers.links import make_token
from tests.tiers.factories import sent_proposal

pytestmark = pytest.mark.django_db


def _page(client, proposal) -> str:
    return client.get(reverse("proposal_link:view", args=[proposal.pk, make_token(proposal)])).content.decode()


def test_the_buyer_reads_scope_price_timeline_guarantee_terms_and_whom_to_contact(client, csm):
    proposal, _ = sent_proposal(csm)
    body = _page(client, proposal)

    headings = ["Scope", "Price and what it includes", "Timeline", "Our 30-day success guarantee"]
    for heading in [*headings, "Who we are and whom to contact"]:
        assert f">{heading}</h2>" in body, heading
    assert "Sign-up, dashboard and billing." in body
    assert f"{proposal.tier.developer_agents} developer agents working on your project" in body
    assert f"{proposal.timeline_weeks} weeks from the kickoff" in body
    assert f"success threshold of {proposal.guarantee_threshold} out of 100" in body
    assert f"a refund of up to ${proposal.guarantee_amount:,.0f}" in body
    assert f'<a href="mailto:{csm.email}">{csm.email}</a>' in body
    assert csm.get_full_name() in body


def test_the_buyer_never_reads_our_sales_reasoning(client, csm):
    proposal, _ = sent_proposal(csm)
    assert proposal.reasoning
    body = _page(client, proposal)

    assert "Why this tier" not in body
    assert "compatibility" not in body.lower()
    for line in proposal.reasoning:
        assert line not in body


def test_the_staff_page_keeps_the_reasoning_marked_as_ours(csm_client, csm):
    proposal, _ = sent_proposal(csm)
    body = csm_client.get(reverse("tiers:proposal_detail", args=[proposal.pk])).content.decode()

    assert "not shown to the buyer" in body
    assert proposal.reasoning[0] in body


def test_a_form_error_opens_the_page_at_that_form_with_the_field_focused(client, csm):
    proposal, _ = sent_proposal(csm)
    token = make_token(proposal)
    accept = reverse("proposal_link:accept", args=[proposal.pk, token])
    decline = reverse("proposal_link:decline", args=[proposal.pk, token])

    body = _page(client, proposal)
    assert f'action="{accept}#accept"' in body
    assert f'action="{decline}#decline"' in body
    assert "data-focus-error" not in body

    body = client.post(decline, {"name": "Nina"}).content.decode()
    assert 'id="decline"' in body
    assert body.count("data-focus-error") == 1
    form = body[body.index(f'action="{decline}#decline"') :]
    assert "data-focus-error" in form[: form.index(">")]
    assert 'id="decline_comment"' in body
    assert 'id="accept_comment"' in body  # each form's fields have their own ids
