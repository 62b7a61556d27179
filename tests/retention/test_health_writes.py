"""The nightly run's writes are set-based: a batch's scores, snapshots and derived statuses take the same handful of
statements for 2 customers as for 12, and the PostgreSQL upsert stores exactly what Django's bulk_create stores."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.audit.models import AuditEvent
from apps.customers.models import Customer
from apps.retention.health import compute_health
from apps.retention.models import HealthScore, HealthSnapshot
from tests.customers.factories import CustomerFactory, StakeholderFactory
from tests.retention.factories import ReviewFactory, TouchpointFactory, make_survey

pytestmark = pytest.mark.django_db


def _customers(n, csm):
    ids = []
    for _ in range(n):
        customer = CustomerFactory(owner=csm)
        StakeholderFactory(customer=customer, with_login=True)
        TouchpointFactory(customer=customer)
        ReviewFactory(customer=customer, sentiment=2, roi_achieved=10, business_impact=10, goals_met=10)
        ids.append(customer.pk)
    return ids


def test_deriving_every_status_of_a_batch_takes_the_same_statements_for_2_and_12(
    django_assert_max_num_queries, csm, monkeypatch
):
    # These customers score critical, which starts a playbook for each (tests/retention/test_playbooks.py); this test
    # counts the statements of the scores and statuses alone.
    monkeypatch.setattr("apps.retention.health.start_critical_interventions", lambda entered: None)
    few, many = _customers(2, csm), _customers(12, csm)
    with django_assert_max_num_queries(30) as few_queries:
        compute_health(few)
    with django_assert_max_num_queries(30) as many_queries:
        compute_health(many)
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)
    assert set(Customer.objects.filter(pk__in=few + many).values_list("status", flat=True)) == {"at_risk"}
    events = AuditEvent.objects.filter(action="customer.status_derived")
    assert events.count() == 14
    assert events.filter(customer_id=many[0]).get().data == {"from": "active", "to": "at_risk"}


def test_a_churned_customer_is_not_rederived_in_the_batch_update(csm):
    ids = _customers(2, csm)
    Customer.objects.filter(pk=ids[0]).update(status=Customer.Status.CHURNED)
    compute_health(ids)
    assert Customer.objects.get(pk=ids[0]).status == Customer.Status.CHURNED
    assert not AuditEvent.objects.filter(action="customer.status_derived", customer_id=ids[0]).exists()


def _stored():
    fields = [f.attname for f in HealthScore._meta.concrete_fields if f.attname not in ("id", "computed_at")]
    scores = list(HealthScore.objects.order_by("customer_id").values_list(*fields))
    snapshots = list(HealthSnapshot.objects.order_by("customer_id").values_list("customer_id", "score", "band"))
    return scores, snapshots


def test_the_batch_upsert_stores_what_djangos_bulk_create_stores(monkeypatch, csm):
    ids = _customers(3, csm)
    customer = Customer.objects.get(pk=ids[0])
    survey = make_survey(customer, list(customer.stakeholders.all()))
    from apps.retention.surveys import answer_survey

    answer_survey(invitation=survey.invitations.get(), nps=3, csat=4, comment="Slow.", via="link")
    compute_health(ids)  # derives the statuses, which are an input of the next runs
    compute_health(ids)
    upserted = _stored()
    # The generic path (Django's bulk_create with update_conflicts) over the same rows, on any database.
    monkeypatch.setattr(connection, "vendor", "generic")
    compute_health(ids)
    assert _stored() == upserted
    HealthScore.objects.all().delete()
    compute_health(ids)
    assert _stored() == upserted
