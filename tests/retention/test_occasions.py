"""Surveys sent on an occasion: week 4's satisfaction survey (its answers become the criterion's evidence) and the
support survey after a recovery action or a claim closes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.guarantees.actions import update_action
from apps.guarantees.models import Milestone, MilestoneAction, Participant
from apps.outcomes import services as outcome_services
from apps.outcomes.models import Remedy
from apps.retention import tasks
from apps.retention.models import Survey, SurveyAnswer
from apps.retention.occasions import send_support_survey, send_week_surveys
from apps.retention.surveys import answer_survey, link_token
from tests.customers.factories import StakeholderFactory
from tests.guarantees.factories import make_guarantee, week
from tests.outcomes.factories import failed_guarantee

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(company_a):
    return StakeholderFactory(customer=company_a, name="Cora Colleague", email="cora@a.example")


@pytest.fixture
def guarantee(company_a, stakeholder_a, colleague):
    return make_guarantee(customer=company_a)


def _criterion(guarantee):
    return week(guarantee, 4).criteria.get(method="satisfaction_survey")


def _week_four_starts(guarantee):
    return week(guarantee, 4).due_date - timedelta(days=7)


def _data(evidence):
    return {key: Decimal(value) for key, value in evidence.data.items()}


def _answer(survey, stakeholder, csat, nps=8):
    invitation = survey.invitations.get(stakeholder=stakeholder)
    return answer_survey(invitation=invitation, nps=nps, csat=csat, via="link")


def test_week_four_survey_is_sent_once_when_its_week_starts(guarantee, stakeholder_a, colleague):
    start = _week_four_starts(guarantee)
    assert send_week_surveys(today=start - timedelta(days=1)) == 0
    mail_before = len(mail.outbox)
    assert send_week_surveys(today=start) == 1
    survey = Survey.objects.get()
    criterion = _criterion(guarantee)
    assert (survey.purpose, survey.criterion, survey.questions) == ("guarantee", criterion, ["nps", "csat"])
    assert "Week 4 of your guarantee" in survey.message
    assert {i.stakeholder for i in survey.invitations.all()} == {stakeholder_a, colleague}
    # Everyone asked is invited to the criterion: the response rate's denominator.
    assert set(Participant.objects.filter(criterion=criterion).values_list("stakeholder_id", flat=True)) == {
        stakeholder_a.pk,
        colleague.pk,
    }
    assert send_week_surveys(today=start + timedelta(days=1)) == 0
    assert Survey.objects.count() == 1
    assert len(mail.outbox) == mail_before  # emails go out after commit, through the outbox task


def test_week_four_becomes_current_when_weeks_one_to_three_are_closed(guarantee, company_a):
    assert tasks.send_week_surveys_of(company_a.pk) == 0
    Milestone.objects.filter(guarantee=guarantee, week__lt=4).update(review=Milestone.Review.CLOSED)
    assert tasks.send_week_surveys_of(company_a.pk) == 1
    assert Survey.objects.get().criterion == _criterion(guarantee)


def test_stakeholders_already_invited_to_the_criterion_are_the_ones_asked(guarantee, stakeholder_a, colleague, csm):
    from apps.guarantees.client_input import invite_participants

    invite_participants(actor=csm, criterion=_criterion(guarantee), stakeholders=[colleague])
    send_week_surveys(today=_week_four_starts(guarantee))
    assert [i.stakeholder for i in Survey.objects.get().invitations.all()] == [colleague]


def test_no_survey_for_a_week_locked_for_sign_off(guarantee):
    Milestone.objects.filter(pk=week(guarantee, 4).pk).update(review=Milestone.Review.AWAITING_SIGN_OFF)
    assert send_week_surveys(today=_week_four_starts(guarantee)) == 0


def test_each_answer_updates_the_satisfaction_evidence(guarantee, stakeholder_a, colleague):
    send_week_surveys(today=_week_four_starts(guarantee))
    survey, criterion = Survey.objects.get(), _criterion(guarantee)
    _answer(survey, stakeholder_a, csat=9)
    criterion.refresh_from_db()
    evidence = criterion.latest_evidence
    # 1 of 2 invited answered: mean 9, response rate 50%; 9 x 10 x min(50 / 80, 1) = 56.25 -> 56.3
    assert _data(evidence) == {"score": 9, "response_rate_percent": 50}
    assert criterion.score == Decimal("56.3")
    assert evidence.source == "client"
    assert evidence.contributions[0]["name"] == "Alice A"
    assert evidence.contributions[0]["on_behalf"] is False
    _answer(survey, colleague, csat=6)
    criterion.refresh_from_db()
    # Both answered: mean 7.5, response rate 100%: 75.
    assert _data(criterion.latest_evidence) == {"score": Decimal("7.5"), "response_rate_percent": 100}
    assert criterion.score == Decimal("75.0")
    assert criterion.evidence.count() == 2


def test_the_signed_link_answer_counts_for_the_week(client, guarantee, stakeholder_a):
    send_week_surveys(today=_week_four_starts(guarantee))
    invitation = Survey.objects.get().invitations.get(stakeholder=stakeholder_a)
    client.post(reverse("survey_link:answer", args=[link_token(invitation)]), {"nps": "9", "csat": "10"})
    criterion = _criterion(guarantee)
    criterion.refresh_from_db()
    assert _data(criterion.latest_evidence) == {"score": 10, "response_rate_percent": 50}


def test_an_answer_after_the_week_closed_is_kept_but_not_counted(guarantee, stakeholder_a):
    send_week_surveys(today=_week_four_starts(guarantee))
    Milestone.objects.filter(pk=week(guarantee, 4).pk).update(review=Milestone.Review.CLOSED)
    _answer(Survey.objects.get(), stakeholder_a, csat=9)
    assert SurveyAnswer.objects.count() == 1
    assert _criterion(guarantee).latest_evidence is None


def test_an_answer_given_while_the_week_was_locked_counts_with_the_next_one(guarantee, stakeholder_a, colleague):
    send_week_surveys(today=_week_four_starts(guarantee))
    survey, milestone = Survey.objects.get(), week(guarantee, 4)
    Milestone.objects.filter(pk=milestone.pk).update(review=Milestone.Review.AWAITING_SIGN_OFF)
    _answer(survey, stakeholder_a, csat=8)
    Milestone.objects.filter(pk=milestone.pk).update(review=Milestone.Review.OPEN)
    _answer(survey, colleague, csat=10)
    criterion = _criterion(guarantee)
    assert _data(criterion.latest_evidence) == {"score": 9, "response_rate_percent": 100}


def test_marking_a_recovery_action_done_sends_one_csat_support_survey(
    guarantee, csm, stakeholder_a, colleague, django_capture_on_commit_callbacks
):
    action = MilestoneAction.objects.create(
        milestone=week(guarantee, 1),
        round=1,
        kind=MilestoneAction.Kind.RECOVERY,
        dedupe_key="recovery:requirements",
        title="Finish the requirements analysis",
        due_on=timezone.localdate(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        update_action(actor=csm, action=action, assignee=csm, due_on=action.due_on, status="done")
    survey = Survey.objects.get(purpose="support")
    assert survey.questions == ["csat"]
    assert survey.occasion == f"recovery_action:{action.pk}"
    assert "Finish the requirements analysis" in survey.message
    assert survey.invitations.count() == 2
    # Reopened and done again: still one survey for this action.
    with django_capture_on_commit_callbacks(execute=True):
        update_action(actor=csm, action=action, assignee=csm, due_on=action.due_on, status="open")
        update_action(actor=csm, action=action, assignee=csm, due_on=action.due_on, status="done")
    assert Survey.objects.filter(purpose="support").count() == 1


def test_an_escalation_or_open_action_sends_no_support_survey(guarantee, csm):
    action = MilestoneAction.objects.create(
        milestone=week(guarantee, 1),
        round=1,
        kind=MilestoneAction.Kind.ESCALATION,
        dedupe_key="escalation:team-lead",
        title="Escalate to the team lead",
        due_on=timezone.localdate(),
        status=MilestoneAction.Status.DONE,
    )
    assert send_support_survey(kind="recovery_action", object_id=action.pk) is None
    assert not Survey.objects.exists()


def test_a_closed_claim_sends_a_support_survey_once(company_a, stakeholder_a, csm, django_capture_on_commit_callbacks):
    failed = failed_guarantee(customer=company_a)
    claim = outcome_services.open_claim(actor=csm, guarantee=failed, remedy=Remedy.MIGRATION_ASSISTANCE)
    assert not Survey.objects.filter(purpose="support").exists()
    with django_capture_on_commit_callbacks(execute=True):
        outcome_services.reject_claim(actor=csm, claim=claim, reason="Customer chose a refund instead")
    survey = Survey.objects.get(purpose="support")
    assert survey.occasion == f"claim:{claim.pk}"
    assert f"Your claim #{claim.pk}" in survey.message
    assert send_support_survey(kind="claim", object_id=claim.pk) is None
    assert Survey.objects.filter(purpose="support").count() == 1


def test_the_support_survey_asks_one_question(client, guarantee, stakeholder_a, csm):
    action = MilestoneAction.objects.create(
        milestone=week(guarantee, 1),
        round=1,
        kind=MilestoneAction.Kind.RECOVERY,
        dedupe_key="recovery:x",
        title="Fix the build",
        due_on=timezone.localdate(),
        status=MilestoneAction.Status.DONE,
    )
    survey = send_support_survey(kind="recovery_action", object_id=action.pk)
    invitation = survey.invitations.get(stakeholder=stakeholder_a)
    page = client.get(reverse("survey_link:answer", args=[link_token(invitation)]))
    assert "How satisfied are you with our service?" in page.text
    assert "How likely are you to recommend us" not in page.text
    client.post(reverse("survey_link:answer", args=[link_token(invitation)]), {"csat": "7"})
    answer = SurveyAnswer.objects.get()
    assert (answer.purpose, answer.csat, answer.nps) == ("support", 7, None)
