"""The ledger's totals reconcile with its rows and its CSV; a guarantee's audit trail shows who did what, on what."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D

import pytest
from django.urls import reverse

from apps.outcomes import ledger, services
from apps.outcomes.models import Payout, Remedy
from tests.outcomes.factories import bulk_guarantees, failed_guarantee, make_guarantee, succeeded_guarantee
from tests.pages import assert_not_allowed, body_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def book(company_a, stakeholder_a, admin_user):
    """One guarantee in each money state: running, succeeded, claim eligible, refund approved, refund paid."""
    running = make_guarantee(customer=company_a, name="Running", guarantee_amount=D("100000"))
    succeeded = succeeded_guarantee(customer=company_a, name="Succeeded", guarantee_amount=D("110000"))
    eligible = failed_guarantee(customer=company_a, name="Eligible", guarantee_amount=D("120000"))
    approved = failed_guarantee(customer=company_a, name="Approved", guarantee_amount=D("130000"))
    paid = failed_guarantee(customer=company_a, name="Paid", guarantee_amount=D("140000"))
    for guarantee in (approved, paid):
        claim = services.open_claim(actor=stakeholder_a.user, guarantee=guarantee, remedy=Remedy.REFUND)
        services.approve_claim(actor=admin_user, claim=claim)
    payout = Payout.objects.get(guarantee=paid)
    services.record_payout(actor=admin_user, payout=payout, reference="TRF-PAID", amount=payout.amount)
    services.settle_payout(payout_id=payout.pk)
    return {"running": running, "succeeded": succeeded, "eligible": eligible, "approved": approved, "paid": paid}


def test_what_is_at_stake_follows_the_guarantee_and_its_refund():
    amount = D("1000")
    assert ledger.at_stake(status="active", amount=amount, refunded=False, remedy_delivered=False) == amount
    assert ledger.at_stake(status="succeeded", amount=amount, refunded=False, remedy_delivered=False) == 0
    assert ledger.at_stake(status="claim_eligible", amount=amount, refunded=True, remedy_delivered=False) == 0
    assert ledger.at_stake(status="claim_eligible", amount=amount, refunded=False, remedy_delivered=True) == 0


def test_the_ledger_totals_equal_the_sum_of_its_rows(book):
    rows = ledger.ledger_rows()
    totals = ledger.ledger_totals(rows)
    assert totals.guarantees == 5
    assert totals.amount == D("600000")
    assert totals.at_stake == D("100000") + D("120000") + D("130000")  # running, eligible, approved-unpaid
    assert totals.refund_approved == D("130000")
    assert totals.refund_paid == D("140000")
    assert totals.open_claims == 1
    assert sum(r.at_stake for r in rows) == totals.at_stake


def test_the_csv_reproduces_the_rows_and_its_total_line_the_totals(admin_client, book):
    response = admin_client.get(reverse("outcomes:ledger_csv"))
    assert response["Content-Type"] == "text/csv"
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    rows, total = lines[:-1], lines[-1]
    assert total["Guarantee ID"] == "Total"
    for column in ("Amount (USD)", "At stake (USD)", "Refund approved (USD)", "Refund paid (USD)"):
        assert sum(D(r[column]) for r in rows) == D(total[column])
    assert D(total["Refund paid (USD)"]) == D("140000")
    paid_row = next(r for r in rows if r["Project"] == "Paid")
    assert (paid_row["Claim status"], paid_row["Remedy"], paid_row["Payout reference"]) == (
        "Paid",
        "Full refund of the guarantee amount",
        "TRF-PAID",
    )


def test_filters_apply_to_rows_totals_and_csv_alike(admin_client, book):
    params = {"status": "claim_eligible", "remedy": "refund"}
    rows = ledger.ledger_rows(**params)
    assert {r.project for r in rows} == {"Approved", "Paid"}
    page = admin_client.get(reverse("outcomes:ledger"), params).content.decode()
    assert "$270,000" in page  # 130,000 + 140,000 guaranteed, in the one money format
    csv_lines = admin_client.get(reverse("outcomes:ledger_csv"), params).content.decode().strip().splitlines()
    assert len(csv_lines) == 1 + 2 + 1
    none = ledger.ledger_rows(claim="none")
    assert {r.project for r in none} == {"Running", "Succeeded", "Eligible"}


def test_a_bad_filter_value_is_ignored_rather_than_an_error(admin_client, book):
    response = admin_client.get(reverse("outcomes:ledger"), {"status": "nonsense"})
    assert response.status_code == 200
    unfiltered = admin_client.get(reverse("outcomes:ledger"))
    assert body_rows(response) == body_rows(unfiltered) == 5  # every guarantee of the book, as with no filter


def test_the_ledger_answers_htmx_with_its_table(admin_client, book):
    response = admin_client.get(reverse("outcomes:ledger"), {"search": "Paid"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="ledger-table">')
    assert "TRF-PAID" in content


def test_the_ledger_is_for_finance_only(csm_client, book):
    for name in ("outcomes:ledger", "outcomes:ledger_csv"):
        response = csm_client.get(reverse(name))
        assert_not_allowed(response)
        assert "TRF-PAID" not in response.content.decode()


def test_csv_cells_that_look_like_formulas_stay_text(admin_client, company_a):
    make_guarantee(customer=company_a, name="=HYPERLINK(1)")
    content = admin_client.get(reverse("outcomes:ledger_csv")).content.decode()
    assert "'=HYPERLINK(1)" in content


@pytest.mark.parametrize("count", [10, 200])
def test_the_ledger_runs_a_fixed_number_of_queries(admin_client, company_a, count, django_assert_max_num_queries):
    bulk_guarantees(customer=company_a, count=count)
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("outcomes:ledger"))
    assert response.status_code == 200
    assert response.context["totals"].guarantees == count


def test_the_audit_trail_shows_every_step_with_the_evidence_it_acted_on(admin_client, book):
    paid = book["paid"]
    response = admin_client.get(reverse("outcomes:audit_trail", args=[paid.pk]))
    content = response.content.decode()
    for action in (
        "guarantee.activated",
        "evidence.recorded",
        "guarantee.final_validated",
        "claim.opened",
        "claim.approved",
        "payout.approved",
        "payout.recorded",
        "payout.paid",
        "claim.paid",
    ):
        assert action in content, action
    assert "inputs_hash" in content
    assert "TRF-PAID" in content


def test_the_audit_trail_exports_as_json_oldest_first(admin_client, book):
    response = admin_client.get(reverse("outcomes:audit_trail_json", args=[book["paid"].pk]))
    payload = json.loads(response.content)
    actions = [e["action"] for e in payload["events"]]
    assert actions[0] == "guarantee.activated"
    assert actions[-1] == "claim.paid"
    assert actions.index("claim.opened") < actions.index("claim.approved") < actions.index("payout.recorded")
    approved = next(e for e in payload["events"] if e["action"] == "claim.approved")
    assert approved["actor"] == "ada@portal.example"
    assert payload["guarantee"]["amount"] == "140000.00"


def test_the_audit_trail_leaves_out_other_guarantees(admin_client, book):
    payload = json.loads(admin_client.get(reverse("outcomes:audit_trail_json", args=[book["running"].pk])).content)
    assert "claim.opened" not in [e["action"] for e in payload["events"]]


def test_only_admins_export_the_audit_trail(csm_client, book):
    for name in ("outcomes:audit_trail", "outcomes:audit_trail_json"):
        response = csm_client.get(reverse(name, args=[book["paid"].pk]))
        assert_not_allowed(response)
        assert "TRF-PAID" not in response.content.decode()
