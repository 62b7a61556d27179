"""Tiers and proposals: staff pages, and the public proposal link (no login, the signed token is the key)."""

from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, PUBLIC, STAFF, STAFF_ACTION, Entry, expect

# Anyone holding the link may open it, accept or decline; an empty form re-renders with its errors.
LINK_ACTION = expect(anon="ok", customer_a="ok", customer_b="ok", csm="ok", admin="ok")


def _link(name: str):
    return lambda w: reverse(name, args=[w.sent_proposal.pk, w.sent_token])


ENTRIES = {
    "tiers:list": Entry(lambda w: reverse("tiers:list"), STAFF),
    "tiers:lead_recommendations": Entry(lambda w: reverse("tiers:lead_recommendations", args=[w.tier_lead.pk]), STAFF),
    "tiers:proposal_create": Entry(
        lambda w: reverse("tiers:proposal_create", args=[w.tier_lead.pk, "startup-mvp"]), STAFF
    ),
    "tiers:proposal_list": Entry(lambda w: reverse("tiers:proposal_list"), STAFF),
    "tiers:proposal_detail": Entry(lambda w: reverse("tiers:proposal_detail", args=[w.sent_proposal.pk]), STAFF),
    "tiers:proposal_edit": Entry(lambda w: reverse("tiers:proposal_edit", args=[w.sent_proposal.pk]), STAFF),
    "tiers:proposal_print": Entry(lambda w: reverse("tiers:proposal_print", args=[w.sent_proposal.pk]), STAFF),
    "tiers:proposal_send": Entry(
        lambda w: reverse("tiers:proposal_send", args=[w.draft_proposal.pk]), STAFF_ACTION, method="post"
    ),
    "tiers:proposal_record": Entry(
        lambda w: reverse("tiers:proposal_record", args=[w.sent_proposal.pk]), STAFF_ACTION, method="post"
    ),
    "api:lead-recommendations": Entry(
        lambda w: reverse("api:lead-recommendations", args=[w.tier_lead.pk]), API_KEY_ONLY
    ),
    "proposal_link:view": Entry(_link("proposal_link:view"), PUBLIC),
    "proposal_link:accept": Entry(_link("proposal_link:accept"), LINK_ACTION, method="post"),
    "proposal_link:decline": Entry(_link("proposal_link:decline"), LINK_ACTION, method="post"),
}


def build(world) -> None:
    from apps.tiers import links
    from tests.tiers.factories import draft_proposal, scored_lead, sent_proposal

    world.tier_lead = scored_lead(owner=world.csm)
    world.sent_proposal, _ = sent_proposal(world.csm)
    world.sent_token = links.make_token(world.sent_proposal)
    world.draft_proposal = draft_proposal(world.csm)
