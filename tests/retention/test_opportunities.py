"""Expansion opportunities: identified from health (2 of 3 triggers), added by hand, moved on the board, won, lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.dashboard import timeline
from apps.retention.health import compute_health
from apps.retention.models import ExpansionType, Opportunity
from apps.retention.opportunities import add_opportunity, lose_opportunity, move_opportunity, win_opportunity
from tests.customers.factories import CustomerFactory, UserFactory
from tests.dashboard import factories as f
from tests.retention.factories import ReviewFactory

pytestmark = pytest.mark.django_db

SCALING = ["platform_usage_70", "team_growth"]


def _kind(key: str = "scaling_services") -> ExpansionType:
    return ExpansionType.objects.get(key=key)


def _signals(customer, signals: list[str], days_ago: int = 1) -> None:
    ReviewFactory(
        customer=customer, expansion_signals=signals, reviewed_on=timezone.localdate() - dt.timedelta(days_ago)
    )
    compute_health([customer.pk])


def _opportunity(customer, stage: str = "qualified", key: str = "scaling_services", **fields) -> Opportunity:
    now = timezone.now()
    values = {
        "customer": customer,
        "type": _kind(key),
        "stage": stage,
        "source": "manual",
        "owner": customer.owner,
        "triggers_met": SCALING,
        "triggers_total": 3,
        "probability": Decimal("0.400"),
        "value": Decimal("80000.00"),
        "identified_at": now,
        "stage_changed_at": now,
    }
    values.update(fields)
    return Opportunity.objects.create(**values)


# ---- identification from health ------------------------------------------------------------------------------


def test_two_of_three_triggers_identify_a_qualified_opportunity_once(company_a):
    f.project(company_a, price=Decimal(100000))
    _signals(company_a, SCALING)
    opportunity = Opportunity.objects.get(customer=company_a)
    assert (opportunity.type.key, opportunity.stage, opportunity.source) == ("scaling_services", "qualified", "health")
    assert opportunity.triggers_met == SCALING
    assert opportunity.triggers_total == 3
    assert opportunity.probability == Decimal("0.400")  # base 0.6 x 2/3
    assert opportunity.value == Decimal("80000.00")  # latest project 100,000 x 0.8
    assert opportunity.owner == company_a.owner
    assert AuditEvent.objects.filter(action="opportunity.identified", object_id=str(opportunity.pk)).count() == 1

    compute_health([company_a.pk])  # the nightly run again: nothing new
    assert Opportunity.objects.filter(customer=company_a).count() == 1
    assert AuditEvent.objects.filter(action__startswith="opportunity.").count() == 1


def test_one_trigger_is_not_enough_and_a_third_refreshes_the_open_opportunity(company_a):
    _signals(company_a, ["team_growth"])
    assert not Opportunity.objects.exists()
    _signals(company_a, SCALING)
    _signals(company_a, [*SCALING, "performance_bottleneck"], days_ago=0)
    opportunity = Opportunity.objects.get()
    assert len(opportunity.triggers_met) == 3
    assert opportunity.probability == Decimal("0.600")
    assert opportunity.value is None  # no project yet: no value to multiply


def test_a_closed_type_comes_back_only_with_a_trigger_it_did_not_have(company_a, csm):
    _signals(company_a, SCALING)
    won = Opportunity.objects.get()
    win_opportunity(actor=csm, opportunity=won, won_value=Decimal(50000), won_on=timezone.localdate())
    compute_health([company_a.pk])
    assert Opportunity.objects.count() == 1  # the same triggers as the won one
    _signals(company_a, [*SCALING, "performance_bottleneck"], days_ago=0)
    assert Opportunity.objects.filter(stage="qualified").count() == 1
    assert Opportunity.objects.count() == 2


def test_a_hand_added_opportunity_is_qualified_when_its_triggers_reach_two(company_a, csm):
    added = add_opportunity(actor=csm, customer=company_a, kind=_kind(), note="Asked about more capacity.")
    assert added.stage == "identified"
    _signals(company_a, SCALING)
    added.refresh_from_db()
    assert added.stage == "qualified"
    assert Opportunity.objects.count() == 1
    moved = AuditEvent.objects.get(action="opportunity.to_qualified")
    assert moved.actor is None
    assert moved.data["previous_stage"] == "identified"


def test_one_open_opportunity_per_customer_and_type(company_a, csm):
    add_opportunity(actor=csm, customer=company_a, kind=_kind())
    with pytest.raises(ValidationError, match="already has an open Scaling services opportunity"):
        add_opportunity(actor=csm, customer=company_a, kind=_kind())


# ---- services ---------------------------------------------------------------------------------------------------


def test_a_move_is_audited_once_even_when_posted_twice(company_a, csm):
    opportunity = _opportunity(company_a)
    move_opportunity(actor=csm, opportunity=opportunity, stage="proposal")
    move_opportunity(actor=csm, opportunity=Opportunity.objects.get(pk=opportunity.pk), stage="proposal")
    assert Opportunity.objects.get().stage == "proposal"
    assert AuditEvent.objects.filter(action="opportunity.to_proposal").count() == 1


def test_won_needs_a_positive_value_and_a_date_not_in_the_future(company_a, csm):
    opportunity = _opportunity(company_a)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        win_opportunity(actor=csm, opportunity=opportunity, won_value=Decimal(0), won_on=tomorrow)
    assert set(refused.value.message_dict) == {"won_value", "won_on"}
    assert Opportunity.objects.get().stage == "qualified"
    win_opportunity(actor=csm, opportunity=opportunity, won_value=Decimal("75000"), won_on=timezone.localdate())
    row = Opportunity.objects.get()
    assert (row.stage, row.won_value, row.won_on) == ("won", Decimal("75000.00"), timezone.localdate())
    assert row.closed_at is not None
    with pytest.raises(ValidationError, match="already won"):
        move_opportunity(actor=csm, opportunity=row, stage="proposal")


def test_lost_needs_a_reason(company_a, csm):
    opportunity = _opportunity(company_a)
    with pytest.raises(ValidationError):
        lose_opportunity(actor=csm, opportunity=opportunity, reason="   ")
    lose_opportunity(actor=csm, opportunity=opportunity, reason="Budget frozen until next year.")
    assert Opportunity.objects.get().lost_reason == "Budget frozen until next year."


def test_the_timeline_tells_opportunity_events_as_sentences(company_a, csm):
    opportunity = _opportunity(company_a)
    move_opportunity(actor=csm, opportunity=opportunity, stage="proposal")
    win_opportunity(actor=csm, opportunity=opportunity, won_value=Decimal(1), won_on=timezone.localdate())
    sentences = [timeline.tell(event).sentence for event in timeline.customer_events(company_a.pk, kind="expansion")]
    name = csm.full_name or csm.email
    assert sentences == [
        f"{name} won the expansion opportunity Scaling services for Acme A",
        f"{name} moved to proposal the opportunity Scaling services for Acme A",
    ]


# ---- the board ----------------------------------------------------------------------------------------------------


def test_the_board_shows_a_column_per_stage_with_cards_and_empty_states(company_a, csm_client):
    _opportunity(company_a)
    html = csm_client.get(reverse("retention:opportunities")).content.decode()
    for label in ("Identified", "Qualified", "Proposal", "Negotiation", "Won", "Lost"):
        assert f'id="column-{label.lower()}"' in html
    assert "Acme A" in html
    assert "Scaling services" in html
    assert "$80,000" in html
    assert "40.0%" in html
    assert "2 of 3 triggers: Platform usage at 70% or more, Team growth" in html
    assert "No opportunities at this stage." in html
    assert "No opportunities won in the last 90 days." in html
    assert "scaling_services" not in html.split('id="board"')[1]  # labels, not keys, on the cards


def test_the_board_filters_by_csm_and_type(company_a, csm, csm_client):
    other = UserFactory(email="olga@portal.example", full_name="Olga Other")
    _opportunity(company_a)
    _opportunity(CustomerFactory(name="Olga's Account", owner=other), key="team_augmentation")
    board = reverse("retention:opportunities")
    html = csm_client.get(board, {"csm": other.pk}).content.decode()
    assert "Olga&#x27;s Account" in html
    assert "Acme A" not in html
    html = csm_client.get(board, {"type": "scaling_services"}).content.decode()
    assert "Acme A" in html
    assert "Olga&#x27;s Account" not in html
    partial = csm_client.get(board, {"type": "team_augmentation"}, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="board"')
    assert "<html" not in partial


def test_the_board_runs_a_fixed_number_of_queries(company_a, csm, csm_client, django_assert_max_num_queries):
    for i in range(12):
        _opportunity(CustomerFactory(name=f"Account {i}", owner=csm), stage=["qualified", "proposal"][i % 2])
    with django_assert_max_num_queries(12):
        assert csm_client.get(reverse("retention:opportunities")).status_code == 200


def test_moving_a_card_with_htmx_swaps_the_board(company_a, csm_client):
    opportunity = _opportunity(company_a)
    url = reverse("retention:opportunity_move", args=[opportunity.pk])
    response = csm_client.post(f"{url}?type=scaling_services", {"stage": "proposal"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    proposal = html.split('id="column-proposal"')[1].split('id="column-negotiation"')[0]
    assert f'id="opportunity-{opportunity.pk}"' in proposal
    assert "moved to proposal" in html
    assert Opportunity.objects.get().stage == "proposal"


def test_moving_a_card_without_javascript_posts_a_form_and_comes_back_to_the_filtered_board(company_a, csm_client):
    opportunity = _opportunity(company_a)
    board = reverse("retention:opportunities")
    html = csm_client.get(board).content.decode()
    move = reverse("retention:opportunity_move", args=[opportunity.pk])
    assert f'<form method="post" action="{move}"' in html  # a plain form beside the hx-post
    response = csm_client.post(f"{move}?type=scaling_services", {"stage": "negotiation"})
    assert response.status_code == 302
    assert response["Location"] == f"{board}?type=scaling_services"
    assert Opportunity.objects.get().stage == "negotiation"
    assert "moved to negotiation" in csm_client.get(response["Location"]).content.decode()


def test_a_move_to_an_unknown_stage_changes_nothing(company_a, csm_client):
    opportunity = _opportunity(company_a)
    response = csm_client.post(reverse("retention:opportunity_move", args=[opportunity.pk]), {"stage": "won"})
    assert response.status_code == 302
    assert Opportunity.objects.get().stage == "qualified"
    assert not AuditEvent.objects.filter(action__startswith="opportunity.").exists()


def test_won_asks_for_the_value_and_date_and_re_renders_bad_input(company_a, csm_client):
    opportunity = _opportunity(company_a)
    url = reverse("retention:opportunity_won", args=[opportunity.pk])
    assert "Signed value (USD)" in csm_client.get(url).content.decode()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    bad = csm_client.post(url, {"won_value": "0", "won_on": future})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Ensure this value is greater than or equal to 0.01." in html
    assert "The signing date cannot be in the future." in html
    assert Opportunity.objects.get().stage == "qualified"

    htmx_bad = csm_client.post(url, {"won_value": "abc", "won_on": ""}, headers={"HX-Request": "true"})
    assert (
        htmx_bad.content.decode()
        .lstrip()
        .startswith(f'<article class="opportunity-card opportunity-closing" id="opportunity-{opportunity.pk}"')
    )

    signed = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    good = csm_client.post(url, {"won_value": "64000", "won_on": signed}, headers={"HX-Request": "true"})
    assert good["HX-Retarget"] == "#board"
    row = Opportunity.objects.get()
    assert (row.stage, row.won_value, row.won_on.isoformat()) == ("won", Decimal("64000.00"), signed)
    won_column = good.content.decode().split('id="column-won"')[1]
    assert "$64,000" in won_column


def test_lost_asks_for_a_reason(company_a, csm_client):
    opportunity = _opportunity(company_a)
    url = reverse("retention:opportunity_lost", args=[opportunity.pk])
    bad = csm_client.post(url, {"lost_reason": "  "})
    assert bad.status_code == 200
    assert "This field is required." in bad.content.decode() or "Say why it was lost." in bad.content.decode()
    response = csm_client.post(url, {"lost_reason": "Chose to hire in-house."})
    assert response.status_code == 302
    row = Opportunity.objects.get()
    assert (row.stage, row.lost_reason) == ("lost", "Chose to hire in-house.")
    assert AuditEvent.objects.get(action="opportunity.lost").data["lost_reason"] == "Chose to hire in-house."


def test_customers_of_either_company_cannot_move_a_card_and_an_unknown_card_is_a_404(
    company_a, customer_a, customer_b, csm, client
):
    opportunity = _opportunity(company_a)
    url = reverse("retention:opportunity_move", args=[opportunity.pk])
    for user in (customer_a, customer_b):
        client.force_login(user)
        assert client.post(url, {"stage": "proposal"}).status_code == 403
        assert client.post(reverse("retention:opportunity_won", args=[opportunity.pk]), {}).status_code == 403
    assert Opportunity.objects.get().stage == "qualified"
    client.force_login(csm)
    missing = reverse("retention:opportunity_move", args=[opportunity.pk + 1000])
    assert client.post(missing, {"stage": "proposal"}).status_code == 404
    assert client.get(reverse("retention:opportunity_add", args=[company_a.pk + 1000])).status_code == 404


def test_the_scoping_hides_another_companys_opportunity_from_a_client(company_a, customer_b):
    opportunity = _opportunity(company_a)
    assert not Opportunity.objects.visible_to(customer_b).filter(pk=opportunity.pk).exists()


def test_the_move_only_takes_a_post(company_a, csm_client):
    opportunity = _opportunity(company_a)
    assert csm_client.get(reverse("retention:opportunity_move", args=[opportunity.pk])).status_code == 405


def test_a_csm_adds_an_opportunity_on_the_customer_page(company_a, csm_client):
    page = csm_client.get(reverse("customers:detail", args=[company_a.pk])).content.decode()
    assert 'id="opportunities"' in page
    assert "No expansion opportunities yet." in page
    assert reverse("retention:opportunities") in page
    url = reverse("retention:opportunity_add", args=[company_a.pk])
    kind = _kind("enterprise_upgrade")
    response = csm_client.post(url, {"type": kind.pk, "note": "New compliance team."})
    assert response.status_code == 302
    row = Opportunity.objects.get()
    assert (row.type, row.stage, row.source, row.note) == (kind, "identified", "manual", "New compliance team.")
    again = csm_client.post(url, {"type": kind.pk})
    assert again.status_code == 200
    assert "already has an open Enterprise upgrade opportunity" in again.content.decode()
    page = csm_client.get(reverse("customers:detail", args=[company_a.pk])).content.decode()
    assert "Enterprise upgrade" in page
    assert "Identified" in page


def test_identification_costs_the_same_queries_for_one_open_opportunity_or_many(csm, django_assert_num_queries):
    from apps.retention.config import load_config
    from apps.retention.loader import load_inputs
    from apps.retention.opportunities import identify_opportunities
    from apps.retention.scoring import score_health

    def results_for(count: int):
        customers = [CustomerFactory(name=f"Queries {count}-{i}", owner=csm) for i in range(count)]
        for customer in customers:
            ReviewFactory(customer=customer, expansion_signals=SCALING)
            _opportunity(customer, stage="proposal", triggers_met=["team_growth"], probability=Decimal("0.200"))
        config, now = load_config(), timezone.now()
        inputs = load_inputs([c.pk for c in customers], today=timezone.localdate(now), now=now)
        return {pk: score_health(facts, config) for pk, facts in inputs.items()}, now

    for count in (1, 6):
        results, now = results_for(count)
        with django_assert_num_queries(2):  # one read of the batch's opportunities, one bulk update of the figures
            assert identify_opportunities(results, now=now) == 0
    assert set(Opportunity.objects.values_list("probability", flat=True)) == {Decimal("0.400")}
