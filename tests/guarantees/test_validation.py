from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.guarantees.models import AppendOnlyError, Evidence, Guarantee, Milestone, MilestoneAction, MilestoneScore
from apps.guarantees.recording import record_evidence
from apps.guarantees.tasks import run_guarantee_routine
from apps.guarantees.transitions import transition_guarantee
from apps.guarantees.validation import validate_milestone
from apps.notifications.models import OutboxMessage
from tests.guarantees.factories import EVIDENCE_AT, give_evidence, make_guarantee, week

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarantee(company_a, csm, stakeholder_a):
    return make_guarantee(customer=company_a, actor=csm)


def test_evidence_is_versioned_and_the_criterion_follows_the_latest_version(guarantee, csm, committed):
    criterion = week(guarantee, 1).criteria.get(key="system-architecture")
    with committed():
        review = EVIDENCE_AT["technical_review"]
        first = record_evidence(actor=csm, criterion=criterion, data=review(60), source="staff")
        second = record_evidence(actor=csm, criterion=criterion, data=review(90), source="staff")

    criterion.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert criterion.latest_evidence == second
    assert criterion.score == Decimal("90.0")
    assert Evidence.objects.get(pk=first.pk).score == Decimal("60.0")  # nothing overwritten


def test_evidence_rows_cannot_be_changed_or_deleted(guarantee, csm):
    criterion = week(guarantee, 1).criteria.get(key="system-architecture")
    evidence = record_evidence(actor=csm, criterion=criterion, data=EVIDENCE_AT["technical_review"](60), source="staff")

    evidence.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        evidence.save()
    with pytest.raises(AppendOnlyError):
        Evidence.objects.filter(pk=evidence.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        evidence.delete()


def test_impossible_evidence_is_refused_with_the_methods_message(guarantee, csm):
    criterion = week(guarantee, 2).criteria.get(key="core-features")

    with pytest.raises(ValidationError, match="Tests passed .7. cannot exceed tests total .5."):
        record_evidence(
            actor=csm,
            criterion=criterion,
            source="staff",
            data={"coverage_percent": "80", "tests_passed": 7, "tests_total": 5},
        )
    assert not Evidence.objects.exists()


def test_a_week_stays_pending_until_every_criterion_has_evidence(guarantee, csm, committed):
    milestone = week(guarantee, 1)
    criterion = milestone.criteria.get(key="system-architecture")
    with committed():
        record_evidence(actor=csm, criterion=criterion, data=EVIDENCE_AT["technical_review"](100), source="staff")

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    assert milestone.score == Decimal("40.0")


@pytest.mark.parametrize(
    ("scores", "expected_score", "expected_status"),
    [
        # Week 1 of the MVP template: pass 85, escalation 70; weights 0.3, 0.4, 0.2, 0.1.
        (
            {
                "requirements-analysis": 100,
                "system-architecture": 80,
                "development-environment": 80,
                "team-communication": 70,
            },
            "85.0",
            "success",
        ),  # exactly at the pass threshold
        (
            {
                "requirements-analysis": 70,
                "system-architecture": 70,
                "development-environment": 70,
                "team-communication": 70,
            },
            "70.0",
            "at_risk",
        ),  # exactly at the escalation threshold
        (
            {
                "requirements-analysis": 60,
                "system-architecture": 70,
                "development-environment": 80,
                "team-communication": 70,
            },
            "69.0",
            "failed",
        ),  # just below it
    ],
)
def test_milestone_status_at_the_threshold_boundaries(guarantee, committed, scores, expected_score, expected_status):
    milestone = week(guarantee, 1)
    with committed():
        give_evidence(milestone, scores)

    milestone.refresh_from_db()
    assert (milestone.score, milestone.status) == (Decimal(expected_score), expected_status)


def test_an_at_risk_week_creates_recovery_actions_notifies_the_csm_once_and_marks_the_guarantee(
    guarantee, csm, committed
):
    milestone = week(guarantee, 2)
    with committed():
        give_evidence(milestone, {"core-features": 80, "api-integration": 60, "security-implementation": 70})
    with committed():
        validate_milestone(milestone_id=milestone.pk)  # a second run changes nothing and sends nothing

    milestone.refresh_from_db()
    guarantee.refresh_from_db()
    assert (milestone.status, milestone.score) == ("at_risk", Decimal("72.0"))
    assert guarantee.status == Guarantee.Status.AT_RISK
    actions = list(milestone.actions.order_by("pk"))
    # Weakest first: points lost = weight x (100 - score): 0.3 x 40, 0.5 x 20, 0.2 x 30.
    assert [a.criterion_key for a in actions] == ["api-integration", "core-features", "security-implementation"]
    assert all(a.kind == MilestoneAction.Kind.RECOVERY and a.assignee == csm for a in actions)
    assert actions[0].due_on == timezone.localdate() + timedelta(days=2)
    rows = OutboxMessage.objects.filter(event_key=f"milestone:{milestone.pk}:r1:at_risk")
    assert {(r.recipient_key, r.channel) for r in rows} == {(f"user:{csm.pk}", "email"), (f"user:{csm.pk}", "in_app")}
    assert MilestoneScore.objects.filter(milestone=milestone).count() == 1
    change = AuditEvent.objects.filter(action="guarantee.status_changed").get()
    assert change.data["from"] == "active"
    assert change.data["to"] == "at_risk"


def test_a_failed_week_escalates_to_the_csm_and_the_customers_executive(guarantee, csm, stakeholder_a, committed):
    milestone = week(guarantee, 3)
    with committed():
        give_evidence(milestone, 50)

    milestone.refresh_from_db()
    assert milestone.status == "failed"
    assert Guarantee.objects.get(pk=guarantee.pk).status == Guarantee.Status.FAILED_WEEK
    kinds = list(milestone.actions.values_list("kind", flat=True))
    assert kinds.count("escalation") == 2
    assert kinds.count("recovery") == 3
    recipients = set(
        OutboxMessage.objects.filter(event_key=f"milestone:{milestone.pk}:r1:failed").values_list(
            "recipient_key", flat=True
        )
    )
    assert recipients == {f"user:{csm.pk}", f"stakeholder:{stakeholder_a.pk}"}


def _failed_week(guarantee, committed):
    milestone = week(guarantee, 3)
    with committed():
        give_evidence(milestone, 50)
    milestone.refresh_from_db()
    assert milestone.status == "failed"
    return milestone


def _recipients(milestone) -> set[str]:
    rows = OutboxMessage.objects.filter(event_key=f"milestone:{milestone.pk}:r1:failed")
    return set(rows.values_list("recipient_key", flat=True))


def test_a_failed_week_escalates_to_the_csms_team_lead_and_the_executive(
    guarantee, csm, stakeholder_a, committed, admin_user
):
    from tests.customers.factories import UserFactory

    lead = UserFactory(email="lena@portal.example", full_name="Lena Lead")
    csm.team_lead = lead
    csm.save(update_fields=["team_lead"])

    milestone = _failed_week(guarantee, committed)

    # The team lead (not the admins, since a lead is set), the CSM who owns the customer, and the executive.
    assert _recipients(milestone) == {f"user:{csm.pk}", f"user:{lead.pk}", f"stakeholder:{stakeholder_a.pk}"}
    assignees = {(a.kind, a.assignee_id) for a in milestone.actions.all()}
    assert assignees == {("escalation", lead.pk), ("recovery", csm.pk)}
    escalation = OutboxMessage.objects.get(
        event_key=f"milestone:{milestone.pk}:r1:failed", recipient_key=f"user:{lead.pk}", channel="email"
    )
    assert escalation.subject.startswith("Escalation: ")


def test_without_a_team_lead_a_failed_week_escalates_to_the_admins(
    guarantee, csm, stakeholder_a, committed, admin_user
):
    milestone = _failed_week(guarantee, committed)

    assert _recipients(milestone) == {f"user:{csm.pk}", f"user:{admin_user.pk}", f"stakeholder:{stakeholder_a.pk}"}


def test_a_team_lead_must_be_another_staff_user(csm, customer_a):
    csm.team_lead = customer_a
    with pytest.raises(ValidationError, match="must be a staff user"):
        csm.full_clean()
    csm.team_lead = csm
    with pytest.raises(ValidationError, match="their own team lead"):
        csm.full_clean()


def test_a_failed_week_that_recovers_brings_the_guarantee_back_to_active(guarantee, committed):
    milestone = week(guarantee, 3)
    with committed():
        give_evidence(milestone, 50)
    with committed():
        give_evidence(milestone, 100)

    milestone.refresh_from_db()
    assert milestone.status == "success"
    assert Guarantee.objects.get(pk=guarantee.pk).status == Guarantee.Status.ACTIVE
    # One record per change of score or evidence set; revalidating an unchanged week stores nothing new.
    assert list(milestone.scores.values_list("score", flat=True)) == [Decimal("100.0"), Decimal("50.0")]


def test_missing_evidence_scores_zero_once_the_due_date_passed(guarantee, csm, committed):
    milestone = week(guarantee, 1)
    criterion = milestone.criteria.get(key="system-architecture")
    with committed():
        record_evidence(actor=csm, criterion=criterion, data=EVIDENCE_AT["technical_review"](100), source="staff")
    Milestone.objects.filter(pk=milestone.pk).update(due_date=timezone.localdate() - timedelta(days=1))

    with committed():
        run_guarantee_routine()

    milestone.refresh_from_db()
    assert (milestone.status, milestone.score) == ("failed", Decimal("40.0"))


def test_transition_guarantee_is_a_conditional_update_and_refuses_moves_from_final_states(guarantee, csm):
    stale = Guarantee.objects.get(pk=guarantee.pk)
    assert transition_guarantee(guarantee=guarantee, to_status="claim_eligible", actor=csm, reason="final")

    with pytest.raises(ValidationError, match="moved to claim_eligible meanwhile"):
        transition_guarantee(guarantee=stale, to_status="at_risk", actor=csm, reason="stale view")
    with pytest.raises(ValidationError, match="cannot move from claim_eligible to succeeded"):
        transition_guarantee(guarantee=guarantee, to_status="succeeded", actor=csm, reason="no")
