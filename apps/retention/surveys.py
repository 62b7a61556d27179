"""Surveys: send to chosen stakeholders, answer once (client view or signed link), follow up detractors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers.models import Customer, Stakeholder
from apps.notifications.models import Channel
from apps.notifications.services import Message, Recipient, notify_user, queue_message
from apps.retention import occasions
from apps.retention.calendar import add_working_days
from apps.retention.config import current_settings
from apps.retention.health import schedule_health
from apps.retention.models import Survey, SurveyAnswer, SurveyInvitation, Task

SALT = "retention.survey-link"
_HOW_MANY = {1: "One question", 2: "Two questions"}


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    low: int
    high: int
    low_label: str
    high_label: str


# The two question kinds, declared once: the forms, the API schema and the validation are built from them.
QUESTIONS: dict[str, Question] = {
    "nps": Question(
        "nps",
        "How likely are you to recommend us to a friend or colleague?",
        0,
        10,
        "Not at all likely",
        "Extremely likely",
    ),
    "csat": Question("csat", "How satisfied are you with our service?", 1, 10, "Very dissatisfied", "Very satisfied"),
}


class SurveyRefused(Exception):
    """An answer the rules refuse: already answered or expired. `reason` is "answered" or "expired"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def link_token(invitation: SurveyInvitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=True)


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The invitation a signed token names, or None when the signature is wrong. Expiry is checked on use."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return SurveyInvitation.objects.select_related("survey__customer", "stakeholder").filter(pk=pk).first()


def link_url(invitation: SurveyInvitation) -> str:
    return settings.SITE_URL + reverse("survey_link:answer", args=[link_token(invitation)])


def _email(invitation: SurveyInvitation, survey: Survey) -> None:
    stakeholder = invitation.stakeholder
    context = {"stakeholder": stakeholder, "survey": survey, "link": link_url(invitation)}
    how_many = _HOW_MANY.get(len(survey.questions), "Two questions")
    queue_message(
        event_key=f"survey_invite:{invitation.pk}",
        recipient=Recipient(key=f"stakeholder:{stakeholder.pk}", email=stakeholder.email),
        channel=Channel.EMAIL,
        message=Message(
            subject=f"{how_many} about working with us, {stakeholder.name}",
            body=render_to_string("retention/email_survey.txt", context),
        ),
        customer_id=survey.customer_id,
    )


@transaction.atomic
def send_survey(
    *,
    actor: Any,
    customer: Customer,
    stakeholders: Sequence[Stakeholder],
    purpose: str = Survey.Purpose.MANUAL,
    questions: Sequence[str] = ("nps", "csat"),
    message: str = "",
    actor_label: str = "",
    now: datetime | None = None,
    criterion: Any = None,
    occasion: str = "",
) -> Survey:
    """Create a survey for the chosen stakeholders of this customer and email each their own signed link.

    `criterion`: the guarantee week's satisfaction criterion its answers count for; `occasion`: what sent it, unique
    (a second survey for the same occasion is refused by the database).
    """
    if customer.status == Customer.Status.CHURNED:
        raise ValidationError("This customer has churned; surveys are no longer sent.")
    if not stakeholders:
        raise ValidationError({"stakeholders": "Choose at least one stakeholder."})
    if any(s.customer_id != customer.pk for s in stakeholders):
        raise ValidationError({"stakeholders": "Every stakeholder must belong to this customer."})
    if not questions or any(q not in QUESTIONS for q in questions):
        raise ValidationError({"questions": "Choose NPS, CSAT or both."})
    now = now or timezone.now()
    link_days = current_settings().survey_link_days
    survey = Survey(
        customer=customer,
        purpose=purpose,
        questions=list(questions),
        message=message,
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        sent_at=now,
        expires_at=now + timedelta(days=link_days),
        criterion=criterion,
        occasion=occasion,
    )
    survey.full_clean()
    survey.save()
    for stakeholder in {s.pk: s for s in stakeholders}.values():
        invitation = SurveyInvitation.objects.create(
            survey=survey, stakeholder=stakeholder, customer=customer, sent_at=now
        )
        _email(invitation, survey)
    record_event(
        action="survey.sent",
        obj=survey,
        actor=actor,
        actor_label=actor_label,
        customer_id=customer.pk,
        data={
            "purpose": purpose,
            "questions": list(questions),
            "stakeholders": [s.pk for s in stakeholders],
            "occasion": occasion,
        },
    )
    schedule_health(customer.pk)
    return survey


def _check_values(survey: Survey, values: dict[str, int | None]) -> None:
    errors = {}
    for key in survey.questions:
        question, value = QUESTIONS[key], values.get(key)
        if value is None:
            errors[key] = "Please choose a score."
        elif not question.low <= value <= question.high:
            errors[key] = f"Choose a score from {question.low} to {question.high}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def answer_survey(
    *,
    invitation: SurveyInvitation,
    nps: int | None,
    csat: int | None,
    comment: str = "",
    via: str,
    actor: Any = None,
    now: datetime | None = None,
) -> SurveyAnswer:
    """Record a stakeholder's one answer. A second answer, or an answer after the link expired, is refused.

    The invitation is claimed by a conditional update, so two tabs submitting at once leave one answer.
    """
    survey, now = invitation.survey, now or timezone.now()
    if survey.expires_at <= now:
        raise SurveyRefused("expired", "This survey closed; thank you all the same.")
    _check_values(survey, {"nps": nps, "csat": csat})
    claimed = SurveyInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now)
    if not claimed:
        raise SurveyRefused("answered", "You have already answered this survey. Thank you!")
    answer = SurveyAnswer(
        invitation=invitation,
        customer_id=survey.customer_id,
        purpose=survey.purpose,
        nps=nps if "nps" in survey.questions else None,
        csat=csat if "csat" in survey.questions else None,
        comment=comment.strip(),
        via=via,
        answered_at=now,
    )
    answer.full_clean(exclude=["invitation"])
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as exc:
        raise SurveyRefused("answered", "You have already answered this survey. Thank you!") from exc
    stakeholder = invitation.stakeholder
    record_event(
        action="survey.answered",
        obj=answer,
        actor=actor,
        customer_id=survey.customer_id,
        actor_label="" if actor else f"{stakeholder.email} (signed link)",
        data={
            "survey_id": survey.pk,
            "stakeholder_id": stakeholder.pk,
            "nps": answer.nps,
            "csat": answer.csat,
            "via": via,
        },
    )
    settings_row = current_settings()
    if answer.nps is not None and answer.nps <= settings_row.detractor_max:
        open_follow_up(
            answer=answer, stakeholder=stakeholder, working_days=settings_row.follow_up_working_days, now=now
        )
    if survey.criterion_id is not None:
        occasions.count_for_guarantee(survey)
    schedule_health(survey.customer_id)
    return answer


def open_follow_up(*, answer: SurveyAnswer, stakeholder: Stakeholder, working_days: int, now: datetime) -> Task:
    """A detractor's answer: a task for the customer's CSM, due in N working days, and a notification."""
    customer = stakeholder.customer
    due = add_working_days(timezone.localdate(now), working_days)
    task = Task(
        customer=customer,
        kind=Task.Kind.DETRACTOR_FOLLOW_UP,
        owner=customer.owner,
        due_on=due,
        answer=answer,
        title=f"Follow up {stakeholder.name}'s NPS {answer.nps} at {customer.name}",
        detail=answer.comment or "No comment was left.",
    )
    task.full_clean(exclude=["answer"])
    task.save()
    record_event(
        action="task.opened",
        obj=task,
        actor=None,
        customer_id=customer.pk,
        data={"kind": task.kind, "due_on": due.isoformat(), "answer_id": answer.pk},
    )
    url = settings.SITE_URL + reverse("customers:detail", args=[customer.pk]) + "#tasks"
    notify_user(
        event_key=f"detractor:{answer.pk}",
        user=customer.owner,
        subject=f"{customer.name}: a detractor answered",
        body=f"{stakeholder.name} answered NPS {answer.nps}. Follow up by {due:%a %-d %b}. {task.detail}",
        url=url,
        customer_id=customer.pk,
        priority=True,
    )
    return task


def send_due_surveys() -> int:
    """The schedule: every customer not churned whose last survey is older than the interval gets a new one."""
    interval = current_settings().survey_interval_days
    since = timezone.now() - timedelta(days=interval)
    recent = Survey.objects.filter(customer=OuterRef("pk"), sent_at__gte=since).exclude(purpose=Survey.Purpose.SUPPORT)
    due = (
        Customer.objects.exclude(status=Customer.Status.CHURNED)
        .filter(Exists(Stakeholder.objects.filter(customer=OuterRef("pk"))))
        .exclude(Exists(recent))
    )
    sent = 0
    for customer in due.select_related("owner"):
        send_survey(
            actor=None,
            customer=customer,
            stakeholders=list(customer.stakeholders.all()),
            purpose=Survey.Purpose.SCHEDULED,
        )
        sent += 1
    return sent
