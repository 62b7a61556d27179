"""Surveys the portal sends by itself when something happens, each at most once (the survey's unique `occasion`).

- **A guarantee week with a satisfaction-survey criterion (week 4) becomes current**: its start day has come (its
  due date minus 7 days) or every earlier week is closed, it is still collecting evidence and the guarantee is
  running. The NPS + CSAT survey goes to the criterion's invited stakeholders, or, when nobody is invited yet, to
  every stakeholder of the customer (who then become the invited: the response rate's denominator). Each CSAT answer
  becomes that stakeholder's answer to the criterion (`count_for_guarantee`), so the stored evidence is the mean
  answer and responders / invited, computed by the guarantees app as for any other answer.
- **A recovery action is marked done, or a claim is closed** (rejected, fulfilled or paid): a one-question CSAT
  survey to the customer's stakeholders, marked as a support survey; its answers make the health's support rating.

Triggered through the guarantees app's hooks (CUSTOMER_CHANGED after a week closes, SUPPORT_CASE_CLOSED) and, for
weeks whose start day simply arrives, by the hourly schedule (`send_week_surveys`).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.customers.models import Customer, Stakeholder
from apps.guarantees import services as guarantee_services
from apps.guarantees.models import Milestone as Week
from apps.guarantees.models import MilestoneAction, MilestoneCriterion
from apps.guarantees.reminders import RUNNING
from apps.outcomes.models import Claim
from apps.retention import surveys
from apps.retention.models import Survey, SurveyAnswer

logger = logging.getLogger(__name__)
WEEK_DAYS = 7  # a week is 7 days by definition: week N starts 7 days before it is due
SATISFACTION = "satisfaction_survey"
CLOSED_CLAIMS = (Claim.Status.REJECTED, Claim.Status.FULFILLED, Claim.Status.PAID)


def week_occasion(criterion_id: int) -> str:
    return f"guarantee_week:{criterion_id}"


def current_survey_weeks(today: date) -> QuerySet[MilestoneCriterion]:
    """Satisfaction criteria of weeks that are current today and have had no survey yet."""
    earlier_open = Week.objects.filter(
        guarantee=OuterRef("milestone__guarantee"), week__lt=OuterRef("milestone__week")
    ).exclude(review=Week.Review.CLOSED)
    return (
        MilestoneCriterion.objects.filter(
            method=SATISFACTION, milestone__review=Week.Review.OPEN, milestone__guarantee__status__in=RUNNING
        )
        .exclude(milestone__guarantee__project__customer__status=Customer.Status.CHURNED)
        .filter(Q(milestone__due_date__lte=today + timedelta(days=WEEK_DAYS)) | ~Exists(earlier_open))
        .exclude(Exists(Survey.objects.filter(criterion=OuterRef("pk"))))
        .select_related("milestone__guarantee__project__customer")
        .order_by("pk")
    )


def send_week_surveys(*, today: date | None = None, customer_id: int | None = None) -> int:
    """Send the survey of every week that became current (of one customer, or all); returns how many were sent."""
    due = current_survey_weeks(today or timezone.localdate())
    if customer_id is not None:
        due = due.filter(milestone__guarantee__project__customer_id=customer_id)
    return sum(1 for criterion in due if send_week_survey(criterion=criterion) is not None)


@transaction.atomic
def send_week_survey(*, criterion: MilestoneCriterion) -> Survey | None:
    """The week's satisfaction survey, linked to its criterion; None when it was sent already or cannot be.

    1. Whom: the criterion's invited stakeholders, else every stakeholder of the customer.
    2. Invite them to the criterion (the guarantees app's service; the survey email is their invitation).
    3. Send the NPS + CSAT survey with the criterion and the occasion (unique: a second run sends nothing).
    """
    occasion = week_occasion(criterion.pk)
    if Survey.objects.filter(occasion=occasion).exists():
        return None
    milestone = criterion.milestone
    customer = milestone.guarantee.project.customer
    invited = Stakeholder.objects.filter(pk__in=criterion.participants.values("stakeholder_id"))
    people = list(invited) or list(customer.stakeholders.all())
    if not people or customer.status == Customer.Status.CHURNED:
        return None
    message = (
        f"Week {milestone.week} of your guarantee ({milestone.title}) is under way. Your satisfaction answer counts "
        f"for this week's criterion “{criterion.name}”."
    )
    try:
        with transaction.atomic():
            guarantee_services.invite_participants(actor=None, criterion=criterion, stakeholders=people, announce=False)
            return surveys.send_survey(
                actor=None,
                customer=customer,
                stakeholders=people,
                purpose=Survey.Purpose.GUARANTEE,
                message=message,
                actor_label=f"Guarantee week {milestone.week} survey",
                criterion=criterion,
                occasion=occasion,
            )
    except IntegrityError:
        return None  # another run sent it meanwhile
    except ValidationError as error:
        logger.warning("Week survey for criterion %s not sent: %s", criterion.pk, error)
        return None


def count_for_guarantee(survey: Survey) -> None:
    """The survey's CSAT answers become the criterion's evidence; a week locked for sign-off or closed keeps its own.

    Every answer of the survey is passed each time, so one that arrived while the week was locked counts with the
    next answer after it reopens; the guarantees app skips those already counted.
    """
    if survey.criterion is None:
        return
    rows = SurveyAnswer.objects.filter(invitation__survey=survey, csat__isnull=False).select_related(
        "invitation__stakeholder"
    )
    answers = [
        guarantee_services.SurveyScore(a.pk, a.invitation.stakeholder, a.csat, a.answered_at)
        for a in rows.order_by("answered_at", "pk")
    ]
    try:
        with transaction.atomic():
            guarantee_services.record_survey_answers(criterion=survey.criterion, answers=answers)
    except ValidationError as error:
        logger.info("Survey %s answers not counted for criterion %s: %s", survey.pk, survey.criterion_id, error)


def _support_case(kind: str, object_id: int) -> tuple[Customer, str] | None:
    """The customer and the sentence introducing the survey, for a closed recovery action or claim; else None."""
    if kind == "recovery_action":
        action = (
            MilestoneAction.objects.filter(
                pk=object_id, kind=MilestoneAction.Kind.RECOVERY, status=MilestoneAction.Status.DONE
            )
            .select_related("milestone__guarantee__project__customer")
            .first()
        )
        if action is None:
            return None
        text = f"We have completed a recovery action on week {action.milestone.week} of your guarantee: {action.title}."
        return action.milestone.guarantee.project.customer, text
    if kind == "claim":
        claim = (
            Claim.objects.filter(pk=object_id, status__in=CLOSED_CLAIMS)
            .select_related("guarantee__project__customer")
            .first()
        )
        if claim is None:
            return None
        text = f"Your claim #{claim.pk} ({claim.get_remedy_display()}) is {claim.get_status_display().lower()}."
        return claim.guarantee.project.customer, text
    raise ValueError(f"Unknown support case kind: {kind!r}.")


@transaction.atomic
def send_support_survey(*, kind: str, object_id: int) -> Survey | None:
    """A short CSAT survey after a recovery action or a claim of the customer closed; at most one per case."""
    occasion = f"{kind}:{object_id}"
    case = _support_case(kind, object_id)
    if case is None or Survey.objects.filter(occasion=occasion).exists():
        return None
    customer, text = case
    people = list(customer.stakeholders.all())
    if not people or customer.status == Customer.Status.CHURNED:
        return None
    try:
        with transaction.atomic():
            return surveys.send_survey(
                actor=None,
                customer=customer,
                stakeholders=people,
                purpose=Survey.Purpose.SUPPORT,
                questions=("csat",),
                message=f"{text} How satisfied are you with how we handled it?",
                actor_label="Support survey",
                occasion=occasion,
            )
    except IntegrityError:
        return None  # another run sent it meanwhile
