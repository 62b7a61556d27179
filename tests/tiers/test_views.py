"""Staff proposal pages and the public link: happy paths, errors, wrong methods, HTMX fragments, query bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.pagination import PAGE_SIZE
from apps.customers.models import Customer
from apps.leads.models import Lead
from apps.projects.models import Project
from apps.tiers.links import make_token
from apps.tiers.models import Proposal
from tests.pages import assert_method_refused, body_rows, visible_text
from tests.tiers.factories import draft_proposal, scored_lead, sent_proposal

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _formset(lead, people=None, **terms):
    people = (
        people
        if people is not None
        else [
            {
                "name": lead.contact_name,
                "email": lead.contact_email,
                "title": "CEO",
                "role": "executive",
                "background": "business",
                "is_approver": "on",
            },
        ]
    )
    data = {"tier": terms.pop("tier_id"), "price": "111000", "timeline_weeks": "6", "scope_notes": "MVP.", **terms}
    data |= {
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "20",
    }
    for i, person in enumerate(people):
        data |= {f"people-{i}-{key}": value for key, value in person.items()}
    return data


def _tier_id(slug="startup-mvp"):
    from apps.tiers.models import Tier

    return Tier.objects.get(slug=slug).pk


def test_the_lead_panel_shows_the_recommended_tiers_with_prices_and_reasons(csm_client, csm):
    lead = scored_lead(owner=csm)
    response = csm_client.get(reverse("tiers:lead_recommendations", args=[lead.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Startup MVP" in body
    assert "$111,000" in body
    assert "Alternative service type" in body
    assert reverse("tiers:proposal_create", args=[lead.pk, "startup-mvp"]) in body


def test_the_lead_panel_says_when_the_lead_is_not_scored_yet(csm_client):
    from tests.leads.factories import LeadFactory

    lead = LeadFactory()
    response = csm_client.get(reverse("tiers:lead_recommendations", args=[lead.pk]))
    assert "appear once this lead has been scored" in response.content.decode()


def test_recomputing_through_htmx_returns_only_the_panel(csm_client, csm):
    lead = scored_lead(owner=csm)
    response = csm_client.post(reverse("tiers:lead_recommendations", args=[lead.pk]), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="tier-panel"')
    assert "<html" not in body


def test_the_lead_panel_costs_the_same_queries_with_many_proposals(csm_client, csm, django_assert_max_num_queries):
    lead = scored_lead(owner=csm)
    url = reverse("tiers:lead_recommendations", args=[lead.pk])
    for _ in range(3):
        proposal, _ = sent_proposal(csm, lead)
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.DECLINED)
    with django_assert_max_num_queries(12):
        csm_client.get(url, headers=HTMX)


def test_building_a_proposal_prefills_the_quote_and_saves_a_draft(csm_client, csm):
    lead = scored_lead(owner=csm)
    url = reverse("tiers:proposal_create", args=[lead.pk, "startup-mvp"])
    form = csm_client.get(url)
    assert 'value="111000' in form.content.decode()
    assert lead.contact_email in form.content.decode()
    response = csm_client.post(url, _formset(lead, tier_id=_tier_id()))
    proposal = Proposal.objects.get(lead=lead)
    assert response.status_code == 302
    assert response["Location"] == reverse("tiers:proposal_detail", args=[proposal.pk])
    assert proposal.status == Proposal.Status.DRAFT


def test_a_price_outside_the_tier_and_no_approver_re_render_with_errors(csm_client, csm):
    lead = scored_lead(owner=csm)
    url = reverse("tiers:proposal_create", args=[lead.pk, "startup-mvp"])
    people = [{"name": "A", "email": "a@x.example", "role": "other", "background": "business"}]
    response = csm_client.post(url, _formset(lead, people=people, tier_id=_tier_id(), price="400000"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Startup MVP is priced $75,000–$150,000." in body
    assert "Make at least one stakeholder an approver" in body
    assert not Proposal.objects.exists()


def test_a_lead_not_scored_cannot_get_a_proposal_form(csm_client):
    from tests.leads.factories import LeadFactory

    lead = LeadFactory()
    response = csm_client.get(reverse("tiers:proposal_create", args=[lead.pk, "startup-mvp"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tiers:lead_recommendations", args=[lead.pk])
    assert "Score this lead first: the price and timeline come from its feasibility estimate." in visible_text(response)
    assert not Proposal.objects.filter(lead=lead).exists()


def test_editing_a_sent_proposal_through_the_form_makes_version_two(csm_client, csm):
    proposal, _ = sent_proposal(csm)
    response = csm_client.post(
        reverse("tiers:proposal_edit", args=[proposal.pk]),
        _formset(proposal.lead, tier_id=_tier_id(), timeline_weeks="7"),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    new = Proposal.objects.get(lead=proposal.lead, version=2)
    assert response["Location"] == reverse("tiers:proposal_detail", args=[new.pk])
    assert new.timeline_weeks == 7


def test_sending_is_a_post_and_emails_the_contact(csm_client, csm, mailoutbox, django_capture_on_commit_callbacks):
    proposal = draft_proposal(csm)
    url = reverse("tiers:proposal_send", args=[proposal.pk])
    assert csm_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = csm_client.post(url)
    assert response.status_code == 302
    assert mailoutbox[-1].to == [proposal.contact_email]


def test_the_detail_and_print_views_show_the_terms(csm_client, csm):
    proposal, _ = sent_proposal(csm)
    for name in ("tiers:proposal_detail", "tiers:proposal_print"):
        body = csm_client.get(reverse(name, args=[proposal.pk])).content.decode()
        assert "$111,000" in body
        assert "How the price is made up" in body


def test_a_csm_records_an_offline_acceptance_and_the_lead_converts(csm_client, csm):
    proposal, _ = sent_proposal(csm)
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = csm_client.post(
        reverse("tiers:proposal_record", args=[proposal.pk]),
        {"decision": "accepted", "name": "Nina North", "decided_at": when, "comment": "Signed PDF"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.accepted_offline, proposal.recorded_by) == ("accepted", True, csm)
    assert Project.objects.filter(source_proposal_id=proposal.pk).exists()
    page = csm_client.get(reverse("tiers:proposal_detail", args=[proposal.pk])).content.decode()
    assert "recorded offline" in page


def test_recording_a_decline_needs_a_reason(csm_client, csm):
    proposal, _ = sent_proposal(csm)
    response = csm_client.post(
        reverse("tiers:proposal_record", args=[proposal.pk]),
        {"decision": "declined", "name": "Nina", "decided_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200
    assert "it becomes the lead" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT


@pytest.mark.parametrize("rows", [10, 60])
def test_the_proposal_list_costs_the_same_queries_at_any_size(csm_client, csm, rows, django_assert_max_num_queries):
    from apps.tiers.models import Tier
    from tests.leads.factories import LeadFactory

    tier = Tier.objects.get(slug="startup-mvp")
    for n in range(rows):
        Proposal.objects.create(
            lead=LeadFactory(owner=csm),
            tier=tier,
            price=100_000,
            timeline_weeks=6,
            guarantee_amount=100_000,
            guarantee_threshold=80,
            contact_name="C",
            contact_email=f"c{n}@x.example",
            created_by=csm,
        )
    with django_assert_max_num_queries(10):
        response = csm_client.get(reverse("tiers:proposal_list"))
    assert response.status_code == 200
    assert body_rows(response) == min(rows, PAGE_SIZE)


def test_the_proposal_list_filters_by_status_and_answers_htmx_with_the_table(csm_client, csm):
    sent, _ = sent_proposal(csm)
    draft_proposal(csm)
    response = csm_client.get(reverse("tiers:proposal_list"), {"status": "sent"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="proposal-table">')
    assert body.count("badge proposal-") == 1


# The public link


def test_the_contact_accepts_through_the_link_without_logging_in(client, csm):
    proposal, link = sent_proposal(csm)
    url = reverse("proposal_link:view", args=[proposal.pk, make_token(proposal)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Accept the proposal" in page.content.decode()
    accept = reverse("proposal_link:accept", args=[proposal.pk, make_token(proposal)])
    response = client.post(accept, {"name": "Nina North", "comment": "", "authority": "on"})
    assert response.status_code == 302
    assert Customer.objects.filter(name=proposal.lead.organization_name).exists()
    assert "the proposal is accepted" in client.get(response["Location"]).content.decode()


def test_accepting_without_confirming_authority_re_renders_with_the_error(client, csm):
    proposal, _ = sent_proposal(csm)
    accept = reverse("proposal_link:accept", args=[proposal.pk, make_token(proposal)])
    response = client.post(accept, {"name": "Nina"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT


def test_the_contact_declines_through_the_link_and_the_lead_is_lost(client, csm):
    proposal, _ = sent_proposal(csm)
    decline = reverse("proposal_link:decline", args=[proposal.pk, make_token(proposal)])
    client.post(decline, {"name": "Nina", "comment": "We build it in-house"})
    lead = Lead.objects.get(pk=proposal.lead_id)
    assert lead.status == Lead.Status.LOST
    assert "We build it in-house" in lead.lost_reason


def test_the_link_pages_refuse_the_wrong_method(client, csm):
    proposal, _ = sent_proposal(csm)
    token = make_token(proposal)
    assert_method_refused(client.post(reverse("proposal_link:view", args=[proposal.pk, token])), "GET")
    for name in ("proposal_link:accept", "proposal_link:decline"):
        assert_method_refused(client.get(reverse(name, args=[proposal.pk, token])), "POST")
    proposal.refresh_from_db()
    assert proposal.status_key == "sent"  # neither accepted nor declined


def test_an_expired_link_shows_the_expiry_page(client, csm):
    proposal, _ = sent_proposal(csm)
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(reverse("proposal_link:view", args=[proposal.pk, make_token(proposal)]))
    assert response.status_code == 404
    assert "The link has expired" in response.content.decode()
