"""The expansion revenue KPI: won expansion value / (that value + new customers' project value), last 90 days."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.dashboard import kpis
from apps.dashboard.models import KpiTarget
from apps.dashboard.services import kpi_targets
from apps.retention.models import Opportunity
from tests.customers.factories import CustomerFactory, UserFactory
from tests.dashboard import factories as f

KEY = "expansion_revenue"


def _record(in_numerator: bool, value: str) -> kpis.Record:
    return kpis.Record("x", 0, "", in_numerator, Decimal(value))


# ---- the arithmetic, without a database ---------------------------------------------------------------------------


def test_the_share_is_won_expansion_value_over_it_plus_new_business():
    # 40,000 won / (40,000 + 35,000 + 25,000 of new customers' projects) = 40.0%, exactly the target: met.
    result = kpis.evaluate("money_share", [_record(True, "40000"), _record(False, "35000"), _record(False, "25000")])
    assert (result.value, result.numerator, result.denominator) == (Decimal("40.0"), Decimal("40000"), 3)
    kpi = kpis.REGISTRY[KEY]
    assert kpi.status(result.value, Decimal(40)) == "met"
    # 39,900 / 100,000 = 39.9%: missed by a tenth.
    just_under = kpis.evaluate("money_share", [_record(True, "39900"), _record(False, "60100")])
    assert just_under.value == Decimal("39.9")
    assert kpi.status(just_under.value, Decimal(40)) == "missed"


def test_no_money_counted_is_no_value():
    assert kpis.evaluate("money_share", []).value is None
    assert kpis.REGISTRY[KEY].status(None, Decimal(40)) == "no_data"


def test_only_expansion_and_no_new_business_is_a_hundred_percent():
    assert kpis.evaluate("money_share", [_record(True, "12000")]).value == Decimal("100.0")


def test_the_registry_entry_is_a_quarterly_money_share_with_a_target_of_at_least():
    kpi = kpis.REGISTRY[KEY]
    assert (kpi.window_days, kpi.direction, kpi.unit, kpi.kind) == (90, "at_least", "percent", "money_share")


# ---- from records in the database ---------------------------------------------------------------------------------


def _won(customer, value: str, days_ago: int, key: str = "scaling_services", stage: str = "won") -> Opportunity:
    return f.opportunity(customer, value=value, days_ago=days_ago, key=key, stage=stage)


def _signed(customer, price: str, days_ago: int, **fields):
    return f.project(
        customer,
        name=f"{customer.name} {price}",
        price=Decimal(price),
        accepted_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def read(**filters) -> kpis.KpiReading:
    return kpis.read_kpi(
        kpis.REGISTRY[KEY], targets=kpi_targets(), filters=kpis.Filters(**filters), as_of=timezone.now()
    )


@pytest.fixture
def book(db, csm):
    """Hand-worked: 30,000 + 10,000 won in the window; 60,000 of new customers' projects signed in it.

    Not counted: a won opportunity signed 95 days ago, an open one, a new project of a customer who signed before the
    window (expansion of an existing customer is not new business), and a new customer's project from 100 days ago.
    """
    existing = CustomerFactory(name="Existing Co", owner=csm, segment="enterprise")
    _signed(existing, "200000", 120)
    _signed(existing, "90000", 5)  # an existing customer's second project: not new business
    _won(existing, "30000", 10)
    _won(existing, "10000", 89, key="team_augmentation")
    _won(existing, "99000", 95, key="mvp_enhancement")  # outside the 90 days
    _won(existing, "70000", 0, key="enterprise_upgrade", stage="negotiation")  # still open
    newcomer = CustomerFactory(name="Newcomer Co", owner=csm, segment="startup")
    _signed(newcomer, "45000", 30)
    _signed(newcomer, "15000", 3, service_type="team_augmentation")  # a new customer's second project counts too
    old_new = CustomerFactory(name="Old New Co", owner=csm)
    _signed(old_new, "50000", 100)
    return {"existing": existing, "newcomer": newcomer}


@pytest.mark.django_db
def test_the_target_is_seeded_at_40_percent():
    assert KpiTarget.objects.get(key=KEY).target == Decimal("40.0")


@pytest.mark.django_db
def test_expansion_revenue_counts_won_value_against_new_business(book):
    reading = read()
    # 40,000 / (40,000 + 60,000) = 40.0%: exactly the target, met.
    assert (reading.result.value, reading.result.numerator, reading.result.denominator) == (
        Decimal("40.0"),
        Decimal("40000.00"),
        4,
    )
    assert reading.status == "met"
    assert sorted((r.type, r.in_numerator, r.value) for r in reading.records) == [
        ("opportunity", True, Decimal("10000.00")),
        ("opportunity", True, Decimal("30000.00")),
        ("project", False, Decimal("15000.00")),
        ("project", False, Decimal("45000.00")),
    ]


@pytest.mark.django_db
def test_a_tenth_under_the_target_is_missed(book):
    Opportunity.objects.filter(won_value=Decimal("10000")).update(won_value=Decimal("9900"))
    # 39,900 / (39,900 + 60,000) = 39.94 -> 39.9
    reading = read()
    assert reading.result.value == Decimal("39.9")
    assert reading.status == "missed"


@pytest.mark.django_db
def test_an_admin_edited_target_changes_the_status(book):
    KpiTarget.objects.filter(key=KEY).update(target=Decimal("40.1"))
    assert read().status == "missed"


@pytest.mark.django_db
def test_no_won_opportunities_and_no_new_customers_is_no_data(csm):
    _won(CustomerFactory(name="Quiet Co", owner=csm), "5000", 0, stage="proposal")
    reading = read()
    assert (reading.result.value, reading.result.denominator, reading.status) == (None, 0, "no_data")


@pytest.mark.django_db
def test_expansion_revenue_filters_by_csm_segment_and_service_type(book, csm):
    other = UserFactory(email="olga@portal.example")
    assert read(csm_id=other.pk).result.value is None
    assert read(csm_id=csm.pk).result.value == Decimal("40.0")
    enterprise = read(segment="enterprise")  # the existing customer: only its won expansion
    assert (enterprise.result.value, enterprise.result.denominator) == (Decimal("100.0"), 2)
    startup = read(segment="startup")  # the newcomer: only new business
    assert (startup.result.value, startup.result.denominator) == (Decimal("0.0"), 2)
    augmentation = read(service_type="team_augmentation")  # the newcomer's team augmentation project
    assert [(r.type, r.value) for r in augmentation.records] == [("project", Decimal("15000.00"))]


@pytest.mark.django_db
def test_the_drill_down_csv_and_api_reproduce_the_number(book, admin_user, client):
    client.force_login(admin_user)
    detail = client.get(reverse("dashboard:kpi_detail", args=[KEY])).content.decode()
    assert "Expansion revenue" in detail
    assert "40.0%" in detail
    assert "Scaling services for Existing Co" in detail
    assert "Newcomer Co" in detail
    assert "$40,000 of the total value of 4 records in the last 90 days." in detail
    assert "$45,000" in detail  # each record's figure reads as money
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("dashboard:kpi_csv", args=[KEY])).content.decode())))
    won = sum(Decimal(r["Value"]) for r in rows if r["Counted in numerator"] == "yes")
    total = sum(Decimal(r["Value"]) for r in rows)
    assert (won, total, len(rows)) == (Decimal("40000.00"), Decimal("100000.00"), 4)

    from apps.api.services import create_api_key

    _, token = create_api_key(name="kpi test")
    listed = client.get(reverse("api:kpi_list"), headers={"Authorization": f"Bearer {token}"}).json()
    reading = next(item for item in listed if item["key"] == KEY)
    assert (reading["value"], reading["target"], reading["status"], reading["numerator"], reading["denominator"]) == (
        40.0,
        40.0,
        "met",
        40000.0,
        4,
    )
