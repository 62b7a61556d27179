"""Exactly one refund: racing approvals, racing payout records, racing claims, and a payout task run twice.

The races use real threads, each with its own database connection and its own stale copy of the rows, released
together by a barrier. On PostgreSQL (CI) they really overlap and the conditional updates and unique constraints
decide. SQLite's shared in-memory test database answers overlapping writers with "table is locked" instead of
waiting, so there the threads take turns (one lock around each call): the same outcome is checked without overlap.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.audit.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.outcomes import services, tasks
from apps.outcomes.models import Claim, Payout, Remedy
from tests.outcomes.factories import failed_guarantee

THREADS = 4


def race(work: Callable[[int], Any], threads: int = THREADS) -> list[str]:
    """Run `work(i)` in parallel threads; each result is "ok" or the refusal's class name."""
    barrier = threading.Barrier(threads)
    results: list[str] = []
    lock = threading.Lock()
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            with turns:
                work(i)
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - reported in the assertion, not swallowed
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return sorted(results)


@pytest.fixture
def refund_claim(company_a, stakeholder_a):
    guarantee = failed_guarantee(customer=company_a)
    return services.open_claim(actor=stakeholder_a.user, guarantee=guarantee, remedy=Remedy.REFUND)


@pytest.mark.django_db(transaction=True)
def test_finance_approving_the_same_refund_from_four_tabs_at_once_creates_one_payout(refund_claim, admin_user):
    results = race(lambda i: services.approve_claim(actor=admin_user, claim=Claim.objects.get(pk=refund_claim.pk)))
    assert results == ["ok", *["refused"] * (THREADS - 1)]
    assert Payout.objects.filter(guarantee=refund_claim.guarantee).count() == 1
    assert AuditEvent.objects.filter(action="claim.approved").count() == 1
    assert AuditEvent.objects.filter(action="payout.approved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_recording_the_same_transfer_from_four_tabs_at_once_pays_once(refund_claim, admin_user):
    services.approve_claim(actor=admin_user, claim=refund_claim)
    payout = Payout.objects.get(claim=refund_claim)

    def record(i: int) -> None:
        services.record_payout(
            actor=admin_user, payout=Payout.objects.get(pk=payout.pk), reference=f"TRF-{i}", amount=payout.amount
        )

    results = race(record)
    assert results == ["ok", *["refused"] * (THREADS - 1)]
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID  # the task ran after the winner's commit (tasks are synchronous)
    assert Claim.objects.get(pk=refund_claim.pk).status == Claim.Status.PAID
    assert AuditEvent.objects.filter(action="payout.recorded").count() == 1
    assert AuditEvent.objects.filter(action="payout.paid").count() == 1


@pytest.mark.django_db(transaction=True)
def test_executive_and_csm_opening_refund_claims_at_once_leave_one_claim(company_a, stakeholder_a, csm):
    guarantee = failed_guarantee(customer=company_a)
    actors = [stakeholder_a.user, csm, stakeholder_a.user, csm]
    results = race(lambda i: services.open_claim(actor=actors[i], guarantee=guarantee, remedy=Remedy.REFUND))
    assert results == ["ok", *["refused"] * (THREADS - 1)]
    assert Claim.objects.filter(guarantee=guarantee).count() == 1


@pytest.mark.django_db(transaction=True)
def test_approving_and_rejecting_at_once_ends_in_exactly_one_decision(refund_claim, admin_user):
    def decide(i: int) -> None:
        claim = Claim.objects.get(pk=refund_claim.pk)
        if i % 2:
            services.reject_claim(actor=admin_user, claim=claim, reason="duplicate")
        else:
            services.approve_claim(actor=admin_user, claim=claim)

    results = race(decide)
    assert results.count("ok") == 1
    claim = Claim.objects.get(pk=refund_claim.pk)
    decisions = AuditEvent.objects.filter(action__in=["claim.approved", "claim.rejected"])
    assert decisions.count() == 1
    assert Payout.objects.count() == (1 if claim.status == Claim.Status.APPROVED else 0)


@pytest.mark.django_db
def test_running_the_payout_task_twice_pays_once_and_announces_once(refund_claim, admin_user):
    services.approve_claim(actor=admin_user, claim=refund_claim)
    payout = Payout.objects.get(claim=refund_claim)
    # Recorded without running the settlement (the on-commit task never fires in a rolled-back test transaction).
    services.record_payout(actor=admin_user, payout=payout, reference="TRF-42", amount=payout.amount)
    assert tasks.settle_payout(payout.pk) is True
    messages = OutboxMessage.objects.count()
    assert tasks.settle_payout(payout.pk) is False
    assert tasks.settle_payout(payout.pk) is False
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert AuditEvent.objects.filter(action="payout.paid").count() == 1
    assert AuditEvent.objects.filter(action="claim.paid").count() == 1
    assert OutboxMessage.objects.count() == messages


@pytest.mark.django_db
def test_the_payout_task_does_nothing_before_finance_records_the_transfer(refund_claim, admin_user):
    services.approve_claim(actor=admin_user, claim=refund_claim)
    payout = Payout.objects.get(claim=refund_claim)
    assert tasks.settle_payout(payout.pk) is False
    payout.refresh_from_db()
    assert payout.status == Payout.Status.APPROVED
