"""Query budgets: each main page runs the same number of queries on a small and on a larger book.

The data comes from `seed_scale` (what the page benchmark measures), first for a few customers, then for four times
as many; the objects the detail pages show also grow their own rows (stakeholders, audit events, evidence versions,
touchpoints, scores, claims). A page whose query count changes between the two has a query per row somewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import record_event
from apps.core.scale.people import PREFIX, client_email, csm_email
from apps.customers.models import Customer
from apps.guarantees.models import Evidence, Milestone
from apps.leads.models import Lead
from apps.retention.models import Touchpoint
from tests.customers.factories import StakeholderFactory
from tests.dashboard import factories as f
from tests.seeding import ensure_seeded

# The counts are made once per module (below); the mark gives the run its test database even when this module runs
# alone.
pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 20


class Ids:
    def __init__(self) -> None:
        self.customer = Customer.objects.get(name=f"{PREFIX}000000")
        self.milestone = Milestone.objects.get(guarantee__project__name="Scale project 000000", week=1)
        self.guarantee = self.milestone.guarantee_id
        self.lead = Lead.objects.filter(organization_name__startswith="Scale prospect").order_by("pk").first().pk


# (label, staff or client, url from the ids)
PAGES: list[tuple[str, str, Callable[[Ids], str]]] = [
    ("staff home", "csm", lambda ids: reverse("home")),
    ("leads list", "csm", lambda ids: reverse("leads:list")),
    ("lead page", "csm", lambda ids: reverse("leads:detail", args=[ids.lead])),
    ("customers list", "csm", lambda ids: reverse("customers:list")),
    ("customer page", "csm", lambda ids: reverse("customers:detail", args=[ids.customer.pk])),
    ("guarantees list", "csm", lambda ids: reverse("guarantees:list")),
    ("guarantee page", "csm", lambda ids: reverse("guarantees:detail", args=[ids.guarantee])),
    ("milestone page", "csm", lambda ids: reverse("guarantees:milestone", args=[ids.milestone.pk])),
    ("outcomes", "csm", lambda ids: reverse("outcomes:claims")),
    ("dashboard", "csm", lambda ids: reverse("dashboard:kpis")),
    ("client home", "client", lambda ids: reverse("client:home")),
    ("client milestone", "client", lambda ids: reverse("client_guarantees:milestone", args=[ids.milestone.pk])),
]


def _count_all() -> dict[str, int]:
    ids = Ids()
    clients = {"csm": Client(), "client": Client()}
    clients["csm"].force_login(User.objects.get(email=csm_email(0)))
    clients["client"].force_login(User.objects.get(email=client_email(0)))
    counts = {}
    for label, who, url in PAGES:
        path = url(ids)
        assert clients[who].get(path).status_code == 200, label  # warm: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            assert clients[who].get(path).status_code == 200, label
        counts[label] = len(queries)
    return counts


def _grow_the_shown_objects(ids: Ids) -> None:
    """More of the rows each detail page lists, on the very objects the pages show."""
    owner = ids.customer.owner
    for i in range(4):
        StakeholderFactory(customer=ids.customer, email=f"grown{i}@scale.example")
        Touchpoint.objects.create(
            customer=ids.customer, kind="call", occurred_on=timezone.localdate(), note="More", logged_by=owner
        )
        record_event(action="customer.updated", obj=ids.customer, actor=owner, customer_id=ids.customer.pk)
    for criterion in ids.milestone.criteria.exclude(latest_evidence=None):
        latest = criterion.latest_evidence
        for version in (latest.version + 1, latest.version + 2):
            latest = Evidence.objects.create(
                criterion=criterion,
                version=version,
                method=latest.method,
                data=latest.data,
                score=latest.score,
                parts=latest.parts,
                reason=latest.reason,
                source=latest.source,
                submitted_by_label="grown",
            )
        criterion.latest_evidence, criterion.score = latest, latest.score
        criterion.save(update_fields=["latest_evidence", "score"])
    for i in range(3):
        guarantee = f.guarantee(ids.customer, name=f"Claimed {i}")
        f.claim(f.validation(guarantee, outcome="claim_eligible", days_ago=2), opened_by=owner)
        f.milestone(guarantee, week=1, due=timezone.localdate() - dt.timedelta(days=1))


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker) -> dict[str, tuple[int, int]]:
    """Both measurements, made once for every page in one transaction that is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_seeded()  # a transactional test before this module may have flushed the seeded configuration
        call_command("seed_scale", customers=SMALL, stdout=open("/dev/null", "w"))  # noqa: SIM115
        ids = Ids()
        owner = ids.customer.owner
        f.claim(
            f.validation(f.guarantee(ids.customer, name="First claim"), outcome="claim_eligible", days_ago=2),
            opened_by=owner,
        )
        small = _count_all()
        call_command("seed_scale", customers=LARGE, stdout=open("/dev/null", "w"))  # noqa: SIM115
        _grow_the_shown_objects(ids)
        large = _count_all()
        transaction.set_rollback(True)
    return {label: (small[label], large[label]) for label in small}


@pytest.mark.parametrize("label", [label for label, _, _ in PAGES])
def test_the_page_runs_the_same_number_of_queries_on_a_small_and_a_larger_book(counts, label) -> None:
    small, large = counts[label]
    assert large == small, f"{label}: {small} queries for {SMALL} customers, {large} for {LARGE} and more rows"
