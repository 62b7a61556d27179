"""Racing sign-offs on PostgreSQL: two real transactions on two connections at the same moment.

Runs when DATABASE_URL points at PostgreSQL (CI does); SQLite serialises every write, so there is no race to test.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.guarantees.models import Milestone, SignOff
from apps.guarantees.signoff import record_signoff, submit_for_sign_off
from apps.guarantees.validation import digest_of
from tests.customers.factories import CustomerFactory, StakeholderFactory, UserFactory
from tests.guarantees.factories import give_evidence, make_guarantee, week

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the sign-off race needs PostgreSQL"),
]


def _race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def world():
    csm = UserFactory(email="race-csm@portal.example")
    company = CustomerFactory(name="Race Co", owner=csm)
    first = StakeholderFactory(customer=company, email="one@race.example", executive=True, with_login=True)
    second = StakeholderFactory(customer=company, email="two@race.example", is_approver=True, with_login=True)
    guarantee = make_guarantee(customer=company, actor=csm)
    milestone = week(guarantee, 1)
    give_evidence(milestone, 100)
    # Transactional test: the after-commit validation task already ran synchronously.
    milestone.refresh_from_db()
    submit_for_sign_off(actor=csm, milestone=milestone)
    return {"milestone": Milestone.objects.get(pk=milestone.pk), "first": first, "second": second}


def _approve(user, milestone):
    digest = digest_of(milestone)
    return lambda: record_signoff(
        user=user,
        milestone_id=milestone.pk,
        decision="approved",
        reason="",
        digest_seen=digest,
        ip="198.51.100.1",
        user_agent="race",
    )


def test_the_same_approver_approving_twice_at_once_records_exactly_one_decision(world):
    milestone, user = world["milestone"], world["first"].user

    outcomes = _race(_approve(user, milestone), _approve(user, milestone))

    assert SignOff.objects.filter(milestone=milestone).count() == 1
    assert sum(isinstance(o, SignOff) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1


def test_two_approvers_approving_at_once_each_record_one_decision_and_the_week_closes(world):
    milestone = world["milestone"]

    outcomes = _race(_approve(world["first"].user, milestone), _approve(world["second"].user, milestone))

    assert all(isinstance(o, SignOff) for o in outcomes), outcomes
    assert SignOff.objects.filter(milestone=milestone, round=1).count() == 2
    # The row lock makes the later transaction see the earlier approval, so the last one closes the week.
    assert Milestone.objects.get(pk=milestone.pk).review == Milestone.Review.CLOSED
