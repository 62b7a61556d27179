"""Surveys: sent to chosen stakeholders, answered once per stakeholder (client view or signed link), detractors
followed up, answers append-only and audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.notifications.models import Notification
from apps.retention.calendar import add_working_days
from apps.retention.models import HealthScore, Survey, SurveyAnswer, SurveyInvitation, Task
from apps.retention.models.surveys import AppendOnlyError
from apps.retention.surveys import link_token, send_due_surveys
from tests.customers.factories import CustomerFactory, StakeholderFactory
from tests.retention.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_a(company_a, stakeholder_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_survey(company_a, [stakeholder_a])


def _link(invitation):
    return reverse("survey_link:answer", args=[link_token(invitation)])


def test_sending_emails_each_stakeholder_their_own_signed_link(
    company_a, stakeholder_a, django_capture_on_commit_callbacks
):
    colleague = StakeholderFactory(customer=company_a, name="Cora Colleague", email="cora@a.example")
    with django_capture_on_commit_callbacks(execute=True):
        survey = make_survey(company_a, [stakeholder_a, colleague])
    assert survey.invitations.count() == 2
    # Only the survey emails: the fresh customer's health may also start a critical intervention, which mails the CSM.
    bodies = {m.to[0]: m.body for m in mail.outbox if m.to[0] != company_a.owner.email}
    links = {email: re.findall(r"https?://\S+/s/\S+/", body)[0] for email, body in bodies.items()}
    assert set(links) == {"alice@a.example", "cora@a.example"}
    assert links["alice@a.example"] != links["cora@a.example"]
    assert AuditEvent.objects.filter(action="survey.sent", customer_id=company_a.pk).count() == 1


def test_a_stakeholder_of_another_company_cannot_be_invited(company_a, stakeholder_b):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_survey(company_a, [stakeholder_b])


def test_the_link_answers_once_without_login(client, survey_a, django_capture_on_commit_callbacks):
    invitation = survey_a.invitations.get()
    page = client.get(_link(invitation))
    assert page.status_code == 200
    assert "How likely are you to recommend us" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(_link(invitation), {"nps": "9", "csat": "8", "comment": "Great team."})
    assert "Thank you" in done.text
    answer = SurveyAnswer.objects.get()
    assert (answer.nps, answer.csat, answer.comment, answer.via) == (9, 8, "Great team.", "link")
    again = client.post(_link(invitation), {"nps": "2", "csat": "1"})
    assert again.status_code == 409
    assert "You have already answered this survey" in again.text
    assert SurveyAnswer.objects.count() == 1
    event = AuditEvent.objects.get(action="survey.answered")
    assert event.actor_label == "alice@a.example (signed link)"


def test_an_expired_link_says_so(client, survey_a):
    Survey.objects.filter(pk=survey_a.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(_link(survey_a.invitations.get()), {"nps": "9", "csat": "9"})
    assert response.status_code == 410
    assert "This survey has closed" in response.text
    assert not SurveyAnswer.objects.exists()


def test_a_tampered_link_is_not_valid(client, survey_a):
    token = link_token(survey_a.invitations.get())
    response = client.get(reverse("survey_link:answer", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert "not valid" in response.text


def test_a_score_out_of_range_re_renders_with_an_error(client, survey_a):
    response = client.post(_link(survey_a.invitations.get()), {"nps": "11", "csat": "0"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not SurveyAnswer.objects.exists()


def test_a_detractor_opens_a_follow_up_for_the_csm_due_in_two_working_days(
    client, csm, survey_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(survey_a.invitations.get()), {"nps": "6", "csat": "4", "comment": "Too slow."})
    # Health falls to critical here too, which starts the critical intervention playbook: count only the follow-up.
    task = Task.objects.get(kind=Task.Kind.DETRACTOR_FOLLOW_UP)
    assert task.owner == csm
    assert task.due_on == add_working_days(timezone.localdate(), 2)
    assert task.title == "Follow up Alice A's NPS 6 at Acme A"
    assert task.detail == "Too slow."
    assert Notification.objects.filter(user=csm, title="Acme A: a detractor answered").count() == 1
    health = HealthScore.objects.get(customer=survey_a.customer)
    nps = next(p for c in health.components for p in c["parts"] if p["key"] == "nps")
    assert nps["value"] == "0"  # NPS -100 -> (−100 + 100) / 2
    assert nps["reason"] == "NPS -100 from 1 answer(s), mapped (NPS + 100) / 2."


def test_a_passive_opens_no_follow_up(client, survey_a):
    client.post(_link(survey_a.invitations.get()), {"nps": "7", "csat": "7"})
    assert not Task.objects.filter(kind=Task.Kind.DETRACTOR_FOLLOW_UP).exists()


def test_the_client_view_lists_and_answers_my_own_invitation(customer_a_client, survey_a):
    invitation = survey_a.invitations.get()
    listing = customer_a_client.get(reverse("client_retention:list"))
    assert "Answer (2 questions)" in listing.text
    customer_a_client.post(reverse("client_retention:answer", args=[invitation.pk]), {"nps": "10", "csat": "9"})
    assert SurveyAnswer.objects.get().via == "client"
    assert "Answered" in customer_a_client.get(reverse("client_retention:list")).text


def test_another_companys_or_a_colleagues_invitation_is_a_404(client, customer_b, company_a, survey_a):
    colleague = StakeholderFactory(customer=company_a, email="col@a.example", with_login=True)
    other = make_survey(company_a, [colleague]).invitations.get()
    client.force_login(customer_b)
    assert client.get(reverse("client_retention:answer", args=[survey_a.invitations.get().pk])).status_code == 404
    client.force_login(survey_a.invitations.get().stakeholder.user)
    assert client.get(reverse("client_retention:answer", args=[other.pk])).status_code == 404


def test_answers_are_append_only(client, survey_a):
    client.post(_link(survey_a.invitations.get()), {"nps": "9", "csat": "9"})
    answer = SurveyAnswer.objects.get()
    answer.nps = 1
    with pytest.raises(AppendOnlyError):
        answer.save()
    with pytest.raises(AppendOnlyError):
        SurveyAnswer.objects.update(nps=1)
    with pytest.raises(AppendOnlyError):
        answer.delete()


def test_the_schedule_sends_one_survey_per_customer_every_90_days(stakeholder_a, stakeholder_b):
    quiet = CustomerFactory(name="No People")
    assert send_due_surveys() == 2
    assert send_due_surveys() == 0  # a second run sends nothing again
    assert not Survey.objects.filter(customer=quiet).exists()
    Survey.objects.filter(customer=stakeholder_a.customer).update(sent_at=timezone.now() - timedelta(days=91))
    assert send_due_surveys() == 1
    assert SurveyInvitation.objects.filter(stakeholder=stakeholder_a).count() == 2
