"""Each KPI from hand-made history: its value, its filters, and its records (page, API and CSV) that recompute it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.dashboard import kpis
from apps.dashboard.models import KpiSnapshot, KpiTarget
from apps.dashboard.services import backfill_snapshots, kpi_targets, snapshot_kpis
from tests.customers.factories import CustomerFactory, UserFactory
from tests.dashboard import factories as f

pytestmark = pytest.mark.django_db


def read(key: str, **filters) -> kpis.KpiReading:
    return kpis.read_kpi(
        kpis.REGISTRY[key], targets=kpi_targets(), filters=kpis.Filters(**filters), as_of=timezone.now()
    )


def test_lead_conversion_counts_leads_decided_in_the_last_30_days(csm):
    other = UserFactory(email="other@portal.example")
    f.decided_lead(status="won", days_ago=3, owner=csm)
    f.decided_lead(status="lost", days_ago=10, owner=csm)
    f.decided_lead(status="lost", days_ago=29, owner=other)
    f.decided_lead(status="won", days_ago=31, owner=csm)  # outside the window
    f.decided_lead(status="qualified", days_ago=1, owner=csm)  # not decided
    reading = read("lead_conversion")
    assert (reading.result.value, reading.result.numerator, reading.result.denominator) == (Decimal("33.3"), 1, 3)
    assert reading.status == "met"  # 33.3 >= 25
    assert read("lead_conversion", csm_id=other.pk).result.value == Decimal("0.0")
    assert read("lead_conversion", service_type="team_augmentation").result.value is None


def test_qualification_accuracy_compares_the_score_with_the_outcome(csm):
    strong_won = f.decided_lead(status="won", days_ago=5, owner=csm)
    strong_lost = f.decided_lead(status="lost", days_ago=5, owner=csm)
    weak_lost = f.decided_lead(status="lost", days_ago=5, owner=csm, weak=True)
    reading = read("qualification_accuracy")
    by_id = {record.id: record.in_numerator for record in reading.records}
    assert by_id == {strong_won.pk: True, strong_lost.pk: False, weak_lost.pk: True}
    assert reading.result.value == Decimal("66.7")
    assert reading.status == "missed"


def test_time_to_onboarding_is_the_median_of_hours_from_acceptance_to_kickoff(company_a):
    now = timezone.now()
    for hours in (10, 30, 50):
        f.project(
            company_a,
            name=f"P{hours}",
            accepted_at=now - dt.timedelta(days=5),
            kickoff_completed_at=now - dt.timedelta(days=5) + dt.timedelta(hours=hours),
        )
    f.project(
        company_a, name="Old", accepted_at=now - dt.timedelta(days=60), kickoff_completed_at=now - dt.timedelta(days=40)
    )
    reading = read("time_to_onboarding")
    assert reading.result.value == Decimal("30.0")
    assert reading.result.denominator == 3
    assert reading.status == "met"
    assert read("time_to_onboarding", segment="enterprise").result.value is None


def test_success_claim_and_case_study_rates_count_each_guarantee_once(company_a, company_b, csm):
    won = f.guarantee(company_a, name="Won")
    f.validation(won, outcome="succeeded", days_ago=10, case_study=True)
    lost = f.guarantee(company_b, name="Lost")
    first = f.validation(lost, outcome="claim_eligible", days_ago=60)
    f.claim(first, opened_by=csm)
    f.validation(lost, outcome="succeeded", days_ago=5, round=2)  # extension round: its latest counts
    failed = f.guarantee(company_b, name="Failed")
    f.validation(failed, outcome="claim_eligible", days_ago=20)
    f.validation(f.guarantee(company_a, name="Ancient"), outcome="succeeded", days_ago=120)

    success = read("project_success_rate")
    assert (success.result.numerator, success.result.denominator, success.result.value) == (2, 3, Decimal("66.7"))
    claims = read("claim_rate")
    assert (claims.result.numerator, claims.result.denominator) == (1, 3)
    assert claims.status == "missed"
    case_studies = read("case_study_rate")
    assert (case_studies.result.numerator, case_studies.result.denominator) == (1, 2)
    assert case_studies.result.value == Decimal("50.0")
    assert case_studies.status == "met"


def test_milestone_adherence_counts_milestones_due_in_the_last_30_days(company_a):
    today = timezone.localdate()
    g = f.guarantee(company_a, starts_on=today - dt.timedelta(days=40))
    on_time = f.milestone(g, week=1, due=today - dt.timedelta(days=20), review="closed")
    late = f.milestone(g, week=2, due=today - dt.timedelta(days=13), review="closed")
    f.milestone(g, week=3, due=today - dt.timedelta(days=6))  # not signed off
    f.milestone(g, week=4, due=today + dt.timedelta(days=1))  # not due yet
    day = dt.time(12)
    on_time.closed_at = timezone.make_aware(dt.datetime.combine(on_time.due_date, day))
    late.closed_at = timezone.make_aware(dt.datetime.combine(late.due_date + dt.timedelta(days=1), day))
    on_time.save(update_fields=["closed_at"])
    late.save(update_fields=["closed_at"])
    reading = read("milestone_timeline_adherence")
    assert [(r.id, r.in_numerator) for r in reading.records] == [
        (on_time.pk, True),
        (late.pk, False),
        (on_time.pk + 2, False),
    ]
    assert reading.result.value == Decimal("33.3")


def test_an_admin_edited_target_changes_the_status(company_a):
    f.validation(f.guarantee(company_a), outcome="succeeded", days_ago=1)
    KpiTarget.objects.filter(key="claim_rate").update(target=Decimal("0"))
    assert read("claim_rate").status == "met"  # 0.0 at most 0
    KpiTarget.objects.filter(key="project_success_rate").update(target=Decimal("100.0"))
    assert read("project_success_rate").status == "met"


def _quality_survey_and_history(customer, csm):
    from unittest import mock

    from apps.projects.services_quality import run_quality_gates
    from apps.retention.surveys import answer_survey
    from tests.customers.factories import StakeholderFactory
    from tests.retention.factories import make_survey

    run_quality_gates(
        actor=csm, project=f.project(customer, name="Gated"), metrics={"coverage_percent": 90}, source="staff"
    )
    people = [StakeholderFactory(customer=customer, email=f"voice{i}@a.example") for i in range(2)]
    survey = make_survey(customer, people, questions=["nps", "csat"])
    for invitation, score in zip(survey.invitations.order_by("pk"), [10, 5], strict=True):
        answer_survey(invitation=invitation, nps=score, csat=score, comment="", via="client")
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - dt.timedelta(days=400)):
        CustomerFactory(name="Old Customer", owner=csm)


@pytest.mark.parametrize("key", list(kpis.REGISTRY))
def test_every_kpi_recomputes_from_its_api_records_and_its_csv(key, company_a, company_b, csm, admin_user, client):
    # A little of everything, so each KPI counts something.
    f.decided_lead(status="won", days_ago=2, owner=csm)
    f.decided_lead(status="lost", days_ago=2, owner=csm)
    now = timezone.now()
    f.project(company_a, name="Fast", accepted_at=now - dt.timedelta(hours=30), kickoff_completed_at=now)
    f.validation(f.guarantee(company_a, name="A"), outcome="succeeded", days_ago=3, case_study=True)
    v = f.validation(f.guarantee(company_b, name="B"), outcome="claim_eligible", days_ago=3)
    f.claim(v, opened_by=csm)
    g = f.guarantee(company_a, name="C")
    f.milestone(g, week=1, due=timezone.localdate() - dt.timedelta(days=2))
    _quality_survey_and_history(company_a, csm)
    f.opportunity(company_b, value="25000", days_ago=2)  # won expansion against company A's new project
    from apps.api.services import create_api_key

    _, token = create_api_key(name="kpi test")
    answer = client.get(reverse("api:kpi_list"), headers={"Authorization": f"Bearer {token}"}).json()
    kpi = next(item for item in answer if item["key"] == key)
    records = client.get(reverse("api:kpi_records", args=[key]), headers={"Authorization": f"Bearer {token}"}).json()
    assert kpi["denominator"] == len(records) > 0
    recomputed = kpis.evaluate(
        kpis.REGISTRY[key].kind,
        [
            kpis.Record(
                r["type"],
                r["id"],
                r["label"],
                r["in_numerator"],
                None if r["value"] is None else Decimal(str(r["value"])),
            )
            for r in records
        ],
    )
    assert float(recomputed.value) == kpi["value"]

    client.force_login(admin_user)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("dashboard:kpi_csv", args=[key])).content.decode())))
    from_csv = kpis.evaluate(
        kpis.REGISTRY[key].kind,
        [
            kpis.Record(
                "x", 0, "", row["Counted in numerator"] == "yes", Decimal(row["Value"]) if row["Value"] else None
            )
            for row in rows
        ],
    )
    assert float(from_csv.value) == kpi["value"]


def test_the_api_refuses_an_unknown_kpi_and_a_bad_filter(db):
    from apps.api.services import create_api_key

    _, token = create_api_key(name="kpi test")
    from django.test import Client

    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get(reverse("api:kpi_records", args=["made_up"])).status_code == 404
    bad = api.get(reverse("api:kpi_list"), {"segment": "galactic"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "segment"


def test_snapshots_are_one_row_per_kpi_and_day_and_feed_the_trend(company_a, csm_client):
    f.validation(f.guarantee(company_a), outcome="succeeded", days_ago=1)
    snapshot_kpis()
    snapshot_kpis()
    assert KpiSnapshot.objects.filter(day=timezone.localdate()).count() == len(kpis.REGISTRY)
    written = backfill_snapshots(days=5)
    assert written == 5  # today already had its snapshot
    assert KpiSnapshot.objects.filter(key="project_success_rate").count() == 6
    page = csm_client.get(reverse("dashboard:kpis"))
    html = page.content.decode()
    assert "Project success rate" in html
    assert "2 daily readings" in html
    assert "Target met" in html
    assert "1 of 1 in the last 90 days" in html


def test_the_kpi_page_filters_by_csm_and_says_what_it_counts(company_a, admin_user, client):
    other_csm = UserFactory(email="olga@portal.example", full_name="Olga Other")
    theirs = CustomerFactory(name="Olga's Customer", owner=other_csm)
    f.validation(f.guarantee(company_a, name="Mine"), outcome="succeeded", days_ago=1)
    f.validation(f.guarantee(theirs, name="Theirs"), outcome="claim_eligible", days_ago=1)
    client.force_login(admin_user)
    everyone = client.get(reverse("dashboard:kpi_detail", args=["project_success_rate"])).content.decode()
    assert "Mine" in everyone
    assert "Theirs" in everyone
    assert "50.0%" in everyone
    only_olga = client.get(reverse("dashboard:kpi_detail", args=["project_success_rate"]), {"csm": other_csm.pk})
    html = only_olga.content.decode()
    assert "Theirs" in html
    assert "Mine" not in html
    assert "0.0%" in html
    assert "missed" in html


def test_quality_gate_pass_rate_counts_each_gate_checked_in_the_last_30_days(company_a, csm):
    from apps.projects.services_quality import run_quality_gates

    project = f.project(company_a, name="Gate Project")
    # Coverage 95 passes (>= 95), complexity 11 fails (<= 10), vulnerabilities 0 passes; process gates with no
    # portal data are not checked.
    run_quality_gates(
        actor=csm,
        project=project,
        metrics={"coverage_percent": 95, "cyclomatic_complexity": 11, "high_critical_vulnerabilities": 0},
        source="staff",
    )
    reading = read("quality_gate_pass_rate")
    code_gates = ("Test coverage", "Cyclomatic complexity", "High and critical vulnerabilities")
    checked = [r for r in reading.records if r.label.endswith(code_gates)]
    assert sorted((r.label.rsplit(": ", 1)[1], r.in_numerator) for r in checked) == [
        ("Cyclomatic complexity", False),
        ("High and critical vulnerabilities", True),
        ("Test coverage", True),
    ]
    assert reading.result.denominator == len(reading.records)
    assert read("quality_gate_pass_rate", service_type="team_augmentation").result.value is None


def test_satisfaction_and_nps_come_from_survey_answers_of_the_last_90_days(company_a, company_b):
    from apps.retention.surveys import answer_survey
    from tests.customers.factories import StakeholderFactory
    from tests.retention.factories import make_survey

    people = [StakeholderFactory(customer=company_a, email=f"p{i}@a.example") for i in range(4)]
    survey = make_survey(company_a, people, questions=["nps", "csat"])
    for invitation, (nps, csat) in zip(
        survey.invitations.order_by("pk"), [(10, 9), (9, 8), (7, 7), (3, 4)], strict=True
    ):
        answer_survey(invitation=invitation, nps=nps, csat=csat, comment="", via="client")
    satisfaction = read("satisfaction")
    assert satisfaction.result.value == Decimal("7.0")  # (9 + 8 + 7 + 4) / 4
    assert satisfaction.status == "missed"
    nps = read("nps")
    assert nps.result.value == Decimal("25.0")  # 2 promoters - 1 detractor of 4 answers
    assert read("nps", csm_id=UserFactory(email="x@portal.example").pk).result.value is None


def test_customer_retention_counts_customers_present_a_year_ago(company_a, csm):
    from unittest import mock

    year_ago = timezone.now() - dt.timedelta(days=400)
    with mock.patch("django.utils.timezone.now", return_value=year_ago):
        kept = CustomerFactory(name="Kept Co", owner=csm)
        lost = CustomerFactory(name="Lost Co", owner=csm)
    lost.status, lost.churned_on = "churned", timezone.localdate() - dt.timedelta(days=20)
    lost.save(update_fields=["status", "churned_on"])
    reading = read("customer_retention")
    assert {(r.id, r.in_numerator) for r in reading.records} == {(kept.pk, True), (lost.pk, False)}
    assert reading.result.value == Decimal("50.0")  # company_a joined today, so it is not counted


def test_the_kpi_page_alerts_for_customers_that_entered_at_risk_this_week(company_a, company_b, csm_client):
    from apps.retention.models import HealthScore, HealthSnapshot

    week_ago = timezone.localdate() - dt.timedelta(days=7)
    for customer, score, band, before in [
        (company_a, "42.0", "at_risk", "good"),
        (company_b, "30.0", "critical", "critical"),
    ]:
        HealthScore.objects.create(
            customer=customer,
            score=Decimal(score),
            band=band,
            churn_risk=Decimal(40),
            strategy="at_risk_recovery",
            strategy_rule="test",
            config_version=1,
            computed_at=timezone.now(),
        )
        HealthSnapshot.objects.create(customer=customer, day=week_ago, score=Decimal(70), band=before)
    html = csm_client.get(reverse("dashboard:kpis")).content.decode()
    assert "Acme A entered at risk this week (health 42.0)." in html
    assert "Globex B entered" not in html  # it was already critical a week ago


def _kpi_page_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("dashboard:kpis"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard:kpis")).status_code == 200
    return len(queries)


def test_the_kpi_page_runs_the_same_number_of_queries_for_a_small_and_a_large_history(company_a, csm, csm_client):
    def history(start: int, size: int) -> None:
        for i in range(start, start + size):
            f.decided_lead(status="won" if i % 2 else "lost", days_ago=3, owner=csm, scored=False)
            g = f.guarantee(company_a, name=f"History {i}")
            v = f.validation(g, outcome="claim_eligible" if i % 3 else "succeeded", days_ago=4, case_study=bool(i % 2))
            if i % 3:
                f.claim(v, opened_by=csm)
            f.milestone(g, week=1, due=timezone.localdate() - dt.timedelta(days=2))

    history(0, 2)
    _quality_survey_and_history(company_a, csm)
    small = _kpi_page_queries(csm_client)
    history(2, 12)
    assert _kpi_page_queries(csm_client) == small


def test_the_kpi_page_names_twenty_customers_entering_risk_and_counts_the_rest(csm, csm_client):
    from apps.dashboard.selectors import RISK_ALERTS_SHOWN
    from apps.retention.models import HealthScore

    for i in range(RISK_ALERTS_SHOWN + 3):
        HealthScore.objects.create(
            customer=CustomerFactory(name=f"Risky {i:02d}", owner=csm),
            score=Decimal(40),
            band="at_risk",
            churn_risk=Decimal(40),
            strategy="at_risk_recovery",
            strategy_rule="test",
            config_version=1,
            computed_at=timezone.now(),
        )
    html = csm_client.get(reverse("dashboard:kpis")).content.decode()
    assert "Risky 00 entered at risk this week (health 40.0)." in html
    assert f"Risky {RISK_ALERTS_SHOWN - 1:02d} entered at risk" in html
    assert f"Risky {RISK_ALERTS_SHOWN:02d} entered" not in html
    assert "3 more customers entered at risk or critical this week." in html


@pytest.mark.parametrize(
    "filters",
    [{}, {"segment": "startup"}, {"service_type": "mvp_development"}, {"csm": True}],
    ids=["whole book", "segment", "service type", "csm"],
)
def test_the_summaries_the_kpi_page_shows_equal_the_value_of_the_records(filters) -> None:
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.core.scale.people import PREFIX, csm_email
    from apps.customers.models import Customer

    call_command("seed_scale", customers=12, stdout=io.StringIO())
    churned = Customer.objects.get(name=f"{PREFIX}000003")
    churned.status, churned.churned_on = "churned", timezone.localdate() - dt.timedelta(days=10)
    churned.save(update_fields=["status", "churned_on"])
    csm = User.objects.get(email=csm_email(0))
    _history_every_kpi_counts(CustomerFactory(name="Summed Startup", owner=csm, segment="startup"), csm)
    csm_id = csm.pk if filters.pop("csm", False) else None
    chosen = kpis.Filters(csm_id=csm_id, **filters)
    summarized = [kpi for kpi in kpis.REGISTRY.values() if kpi.summarize is not None]
    assert len(summarized) == len(kpis.REGISTRY)  # the page reads no records
    for kpi in summarized:
        records = kpi.records(chosen, timezone.now())
        expected = kpis.evaluate(kpi.kind, records)
        assert records, kpi.key  # the comparison means something
        assert expected.value is not None, kpi.key
        assert kpi.summarize(chosen, timezone.now()) == expected, kpi.key


def _history_every_kpi_counts(customer, csm) -> None:
    """A startup of the first scale CSM with MVP projects (every filter of the summary test keeps it), and rows for
    each KPI, including the cases the summaries must get right: a guarantee validated twice (only the latest
    counts), milestones closed late or not at all, an even number of onboarding times (a median between two)."""
    now, today = timezone.now(), timezone.localdate()
    for i, (status, qualified) in enumerate([("won", True), ("lost", True), ("won", False), ("lost", False)]):
        lead = f.decided_lead(status=status, days_ago=2 + i, owner=csm, organization_name=f"Summed lead {i}")
        from apps.leads.models import LeadScore

        LeadScore.objects.filter(pk=lead.latest_score_id).update(qualification_score=Decimal(75 if qualified else 40))
    for hours in (30, 41, 50, 77):
        f.project(customer, accepted_at=now - dt.timedelta(hours=hours, minutes=7), kickoff_completed_at=now)
    won = f.guarantee(customer, name="Summed won")
    f.validation(won, outcome="claim_eligible", days_ago=20)
    f.validation(won, outcome="succeeded", days_ago=3, case_study=True, round=2)
    f.validation(f.guarantee(customer, name="Summed plain"), outcome="succeeded", days_ago=5)
    claimed = f.validation(f.guarantee(customer, name="Summed claimed"), outcome="claim_eligible", days_ago=4)
    f.claim(claimed, opened_by=csm)
    f.milestone(won, week=1, due=today - dt.timedelta(days=9), closed_at=now - dt.timedelta(days=10))
    f.milestone(won, week=2, due=today - dt.timedelta(days=6), closed_at=now - dt.timedelta(days=2))
    f.milestone(won, week=3, due=today - dt.timedelta(days=3))
    f.milestone(won, week=4, due=today - dt.timedelta(days=1), closed_at=now - dt.timedelta(days=1))
    _quality_survey_and_history(customer, csm)
    f.opportunity(customer, value="25000", days_ago=2)
