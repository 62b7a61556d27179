from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.guarantees import hooks
from apps.guarantees.models import AppendOnlyError, Milestone, SignOff
from apps.guarantees.signoff import record_signoff, submit_for_sign_off, withdraw_from_sign_off
from apps.guarantees.validation import digest_of
from apps.notifications.models import OutboxMessage
from tests.guarantees.factories import give_evidence, make_guarantee, week

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


def _ready(milestone: Milestone, csm, committed, pct: int = 100) -> Milestone:
    with committed():
        give_evidence(milestone, pct)
    milestone.refresh_from_db()
    with committed():
        return submit_for_sign_off(actor=csm, milestone=milestone)


def _decide(user, milestone: Milestone, decision: str = "approved", reason: str = "", digest: str | None = None):
    return record_signoff(
        user=user,
        milestone_id=milestone.pk,
        decision=decision,
        reason=reason,
        digest_seen=digest or digest_of(milestone),
        ip="203.0.113.9",
        user_agent="pytest-browser",
    )


def test_a_week_without_full_evidence_cannot_be_sent_for_sign_off(guarantee, csm):
    with pytest.raises(ValidationError, match="still waiting for evidence"):
        submit_for_sign_off(actor=csm, milestone=week(guarantee, 1))


def test_submission_asks_every_approver_with_a_login_and_locks_the_evidence(
    guarantee, csm, stakeholder_a, approver_a2, committed
):
    milestone = _ready(week(guarantee, 1), csm, committed)

    assert milestone.review == Milestone.Review.AWAITING_SIGN_OFF
    assert sorted(milestone.required_approvers) == sorted([stakeholder_a.pk, approver_a2.pk])
    asked = OutboxMessage.objects.filter(event_key=f"milestone:{milestone.pk}:r1:sign_off_requested")
    assert {r.recipient_key for r in asked} == {f"stakeholder:{stakeholder_a.pk}", f"stakeholder:{approver_a2.pk}"}
    with pytest.raises(ValidationError, match="awaiting sign-off"):
        give_evidence(milestone, 90)


def test_the_last_approval_closes_the_week_and_records_who_when_where_and_what(
    guarantee, csm, customer_a, approver_a2, committed
):
    milestone = _ready(week(guarantee, 1), csm, committed)
    digest = digest_of(milestone)

    first = _decide(customer_a, milestone)
    milestone.refresh_from_db()
    assert milestone.review == Milestone.Review.AWAITING_SIGN_OFF
    _decide(approver_a2.user, milestone)

    milestone.refresh_from_db()
    assert milestone.review == Milestone.Review.CLOSED
    assert milestone.closed_at is not None
    assert (first.ip, first.user_agent, first.evidence_digest, first.round) == (
        "203.0.113.9",
        "pytest-browser",
        digest,
        1,
    )
    assert len(digest) == 64
    actions = set(AuditEvent.objects.for_object(milestone).values_list("action", flat=True))
    assert {"milestone.sign_off_approved", "milestone.closed"} <= actions


def test_a_rejection_needs_a_reason_and_reopens_the_week_in_a_new_round(
    guarantee, csm, customer_a, approver_a2, committed
):
    milestone = _ready(week(guarantee, 1), csm, committed)
    _decide(customer_a, milestone)

    with pytest.raises(ValidationError, match="needs a reason"):
        _decide(approver_a2.user, milestone, "rejected", reason="  ")
    _decide(approver_a2.user, milestone, "rejected", reason="Architecture lacks the audit trail we asked for.")

    milestone.refresh_from_db()
    assert (milestone.review, milestone.round, milestone.required_approvers) == ("open", 2, [])
    assert SignOff.objects.filter(milestone=milestone).count() == 2
    reopened = OutboxMessage.objects.get(event_key=f"milestone:{milestone.pk}:r1:reopened", channel="email")
    assert "audit trail" in reopened.body
    # The new round starts clean: evidence can be added and the week sent again.
    _ready(milestone, csm, committed, pct=90)
    _decide(customer_a, milestone)
    assert SignOff.objects.filter(milestone=milestone, round=2).count() == 1


def test_week_two_cannot_be_signed_off_before_week_one_is_closed(guarantee, csm, customer_a, committed):
    week2 = _ready(week(guarantee, 2), csm, committed)

    with pytest.raises(ValidationError, match="Week 2 cannot be signed off before week 1 is closed"):
        _decide(customer_a, week2)

    week1 = _ready(week(guarantee, 1), csm, committed)
    _decide(customer_a, week1)
    _decide(customer_a, week2)
    week2.refresh_from_db()
    assert week2.review == Milestone.Review.CLOSED


def test_one_decision_per_approver_per_round(guarantee, csm, customer_a, approver_a2, committed):
    milestone = _ready(week(guarantee, 1), csm, committed)
    _decide(customer_a, milestone)

    with pytest.raises(ValidationError, match="already decided"):
        _decide(customer_a, milestone)
    assert SignOff.objects.filter(milestone=milestone, round=1).count() == 1


def test_a_decision_on_evidence_that_changed_since_the_page_was_opened_is_refused(
    guarantee, csm, customer_a, committed
):
    milestone = _ready(week(guarantee, 1), csm, committed)

    with pytest.raises(ValidationError, match="evidence changed since you opened"):
        _decide(customer_a, milestone, digest="0" * 64)


def test_only_the_customers_own_approvers_can_decide(guarantee, csm, customer_b, company_a, committed):
    from tests.customers.factories import StakeholderFactory

    viewer = StakeholderFactory(customer=company_a, email="viewer@a.example", with_login=True)
    milestone = _ready(week(guarantee, 1), csm, committed)

    for user in (customer_b, viewer.user):
        with pytest.raises(ValidationError, match="Only the customer's approvers"):
            _decide(user, milestone)
    assert not SignOff.objects.exists()


def test_signoffs_are_append_only(guarantee, csm, customer_a, committed):
    milestone = _ready(week(guarantee, 1), csm, committed)
    signoff = _decide(customer_a, milestone)

    with pytest.raises(AppendOnlyError):
        SignOff.objects.filter(pk=signoff.pk).update(decision="rejected")
    with pytest.raises(AppendOnlyError):
        signoff.delete()


def test_the_csm_can_take_a_week_back_with_a_reason(guarantee, csm, committed):
    milestone = _ready(week(guarantee, 1), csm, committed)

    with pytest.raises(ValidationError, match="Say why"):
        withdraw_from_sign_off(actor=csm, milestone=milestone, reason="")
    withdraw_from_sign_off(actor=csm, milestone=milestone, reason="Wrong CI run attached")

    milestone.refresh_from_db()
    assert (milestone.review, milestone.round) == ("open", 2)


def test_closing_the_last_week_runs_the_final_week_hooks_after_commit(
    guarantee, csm, customer_a, committed, monkeypatch
):
    called = []
    monkeypatch.setattr(hooks, "LAST_WEEK_CLOSED", ["tests.guarantees.test_signoff.record_hook_call"])
    monkeypatch.setattr("tests.guarantees.test_signoff.CALLS", called)
    for number in (1, 2, 3, 4):
        milestone = _ready(week(guarantee, number), csm, committed)
        with committed():
            _decide(customer_a, milestone)

    assert called == [guarantee.pk]
    assert AuditEvent.objects.filter(action="guarantee.last_week_closed").count() == 1


CALLS: list[int] = []


def record_hook_call(guarantee_id: int) -> None:
    CALLS.append(guarantee_id)
