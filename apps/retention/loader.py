"""Set-based reads for health: a fixed handful of queries per batch of customers, never a query per customer.

Every read is bounded by `today`/`now` on both sides, so health can be recomputed as of a past day (the demo
replays its history that way) without counting what happened later.

Reads other apps' models (guarantees, milestones, claims, projects) through querysets only; writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from apps.customers.models import Customer, Stakeholder
from apps.guarantees.models import Guarantee, Milestone
from apps.outcomes.models import Claim
from apps.projects.models import ProgressUpdate, Project, QualityGateRun
from apps.retention.models import Activity, HealthSnapshot, Review, SurveyAnswer, SurveyInvitation, Touchpoint
from apps.retention.registry import FEATURES
from apps.retention.scoring_types import HealthInputs, Source

ACTIVITY_DAYS = 30
SURVEY_DAYS = 90
LIVE_CLAIMS = (Claim.Status.OPENED, Claim.Status.UNDER_REVIEW, Claim.Status.APPROVED)
FINAL = (Guarantee.Status.SUCCEEDED, Guarantee.Status.CLAIM_ELIGIBLE)
SCORED = (Milestone.Status.SUCCESS, Milestone.Status.AT_RISK, Milestone.Status.FAILED)


class _Urls:
    """reverse() once per URL name; the rest is string formatting (10,000 customers make it count)."""

    def __init__(self) -> None:
        self._templates: dict[str, str] = {}

    def __call__(self, name: str, pk: int, anchor: str = "") -> str:
        if name not in self._templates:
            self._templates[name] = reverse(name, args=[987654321]).replace("987654321", "{}")
        return self._templates[name].format(pk) + anchor


def _customers(ids: Sequence[int], today: date, now: datetime) -> dict[int, dict[str, Any]]:
    customer = OuterRef("pk")
    latest_nps = SurveyAnswer.objects.filter(customer=customer, nps__isnull=False, answered_at__lte=now)
    latest_nps = latest_nps.order_by("-answered_at", "-pk")
    latest_review = Review.objects.filter(customer=customer, reviewed_on__lte=today).order_by("-reviewed_on", "-pk")
    ended = Guarantee.objects.filter(project__customer=customer).filter(Q(ends_on__lt=today) | Q(status__in=FINAL))
    mvp_won = Guarantee.objects.filter(
        project__customer=customer, status=Guarantee.Status.SUCCEEDED, service_type="mvp_development"
    )
    latest_project = Project.objects.filter(customer=customer).order_by("-accepted_at", "-pk")
    rows = (
        Customer.objects.filter(pk__in_array=ids)
        .values("pk", "status")
        .annotate(
            latest_nps=Subquery(latest_nps.values("nps")[:1]),
            review_id=Subquery(latest_review.values("pk")[:1]),
            guarantee_ended=Exists(ended),
            mvp_succeeded=Exists(mvp_won),
            project_value=Subquery(latest_project.values("price")[:1]),
        )
    )
    return {row["pk"]: row for row in rows}


def _grouped(queryset: Any, key: str = "customer_id") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in queryset}


def _answers(ids: Sequence[int], now: datetime) -> dict[int, list[dict[str, Any]]]:
    since = now - timedelta(days=SURVEY_DAYS)
    rows = SurveyAnswer.objects.filter(customer_id__in_array=ids, answered_at__gte=since, answered_at__lte=now)
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.values("customer_id", "purpose", "nps", "csat").order_by():
        result[row["customer_id"]].append(row)
    return result


def _invitations(ids: Sequence[int], now: datetime) -> dict[int, dict[str, Any]]:
    rows = (
        SurveyInvitation.objects.filter(
            customer_id__in_array=ids, sent_at__gte=now - timedelta(days=SURVEY_DAYS), sent_at__lte=now
        )
        .values("customer_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__lte=now)))
        .order_by()
    )
    return _grouped(rows)


def _activity(ids: Sequence[int], today: date) -> dict[int, dict[str, Any]]:
    since = today - timedelta(days=ACTIVITY_DAYS - 1)
    executive = Q(stakeholder__role=Stakeholder.Role.EXECUTIVE)
    rows = (
        Activity.objects.filter(customer_id__in_array=ids, day__gte=since, day__lte=today)
        .values("customer_id")
        .annotate(
            days=Count("day", distinct=True),
            features=Count("feature", distinct=True),
            stakeholders=Count("stakeholder", distinct=True),
            executives=Count("stakeholder", distinct=True, filter=executive),
        )
        .order_by()
    )
    return _grouped(rows)


def _stakeholders(ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    login = Q(user__isnull=False, user__is_active=True)
    rows = (
        Stakeholder.objects.filter(customer_id__in_array=ids)
        .values("customer_id")
        .annotate(
            with_login=Count("pk", filter=login),
            sponsor_login=Count("pk", filter=login & Q(role=Stakeholder.Role.EXECUTIVE)),
        )
        .order_by()
    )
    return _grouped(rows)


def _touchpoints(ids: Sequence[int], today: date) -> dict[int, dict[str, Any]]:
    since = today - timedelta(days=ACTIVITY_DAYS - 1)
    rows = (
        Touchpoint.objects.filter(customer_id__in_array=ids)
        .values("customer_id")
        .annotate(
            recent=Count("pk", filter=Q(occurred_on__gte=since, occurred_on__lte=today)),
            ever=Count("pk", filter=Q(occurred_on__lte=today)),
        )
        .order_by()
    )
    touchpoints = _grouped(rows)
    # Progress updates reach the customer too: they count as touchpoints (DOMAIN section 6).
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(today, time.max))
    updates = (
        ProgressUpdate.objects.filter(project__customer_id__in_array=ids, created_at__lte=end)
        .values("project__customer_id")
        .annotate(recent=Count("pk", filter=Q(created_at__gte=start)), ever=Count("pk"))
        .order_by()
    )
    for row in updates:
        entry = touchpoints.setdefault(row["project__customer_id"], {"recent": 0, "ever": 0})
        entry["recent"] += row["recent"]
        entry["ever"] += row["ever"]
    return touchpoints


def _milestones(ids: Sequence[int], today: date) -> dict[int, list[dict[str, Any]]]:
    """Per guarantee of each customer: milestones scored, succeeded, due, signed off by the due date, failed open."""
    rows = (
        Milestone.objects.filter(guarantee__project__customer_id__in_array=ids)
        .values("guarantee_id", customer_id=F("guarantee__project__customer_id"))
        .annotate(
            scored=Count("pk", filter=Q(status__in=SCORED)),
            succeeded=Count("pk", filter=Q(status=Milestone.Status.SUCCESS)),
            due=Count("pk", filter=Q(due_date__lte=today)),
            on_time=Count(
                "pk",
                filter=Q(due_date__lte=today, review=Milestone.Review.CLOSED, closed_at__date__lte=F("due_date")),
            ),
            failed_open=Count("pk", filter=Q(status=Milestone.Status.FAILED) & ~Q(guarantee__status__in=FINAL)),
        )
        .order_by()
    )
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        result[row["customer_id"]].append(row)
    return result


def _claims(ids: Sequence[int]) -> dict[int, list[int]]:
    rows = Claim.objects.filter(guarantee__project__customer_id__in_array=ids, status__in=LIVE_CLAIMS).values_list(
        "guarantee__project__customer_id", "pk"
    )
    result: dict[int, list[int]] = defaultdict(list)
    for customer_id, claim_id in rows.order_by():
        result[customer_id].append(claim_id)
    return result


def _reviews(review_ids: list[int]) -> dict[int, Review]:
    return {review.pk: review for review in Review.objects.filter(pk__in_array=[pk for pk in review_ids if pk])}


def _snapshots(ids: Sequence[int], today: date) -> dict[tuple[int, date], Decimal | None]:
    days = [today - timedelta(days=30), today - timedelta(days=90)]
    rows = HealthSnapshot.objects.filter(customer_id__in_array=ids, day__in=days)
    rows = rows.values_list("customer_id", "day", "score")
    return {(customer_id, day): score for customer_id, day, score in rows.order_by()}


def quality_scores(ids: Sequence[int]) -> dict[int, Decimal]:
    """The latest quality-gate run's comprehensive score per customer (across their projects), in one query."""
    latest: dict[int, Decimal] = {}
    runs = (
        QualityGateRun.objects.filter(project__customer_id__in_array=ids, comprehensive__isnull=False)
        .order_by("project__customer_id", "-created_at", "-pk")
        .values_list("project__customer_id", "comprehensive")
    )
    for customer_id, comprehensive in runs:
        latest.setdefault(customer_id, comprehensive)
    return latest


def load_inputs(ids: Sequence[int], *, today: date, now: datetime) -> dict[int, HealthInputs]:
    """Every customer's `HealthInputs` for one batch, in a fixed number of queries."""
    customers = _customers(ids, today, now)
    answers, invitations = _answers(ids, now), _invitations(ids, now)
    activity, stakeholders, touchpoints = _activity(ids, today), _stakeholders(ids), _touchpoints(ids, today)
    milestones, claims = _milestones(ids, today), _claims(ids)
    reviews = _reviews([row["review_id"] for row in customers.values()])
    snapshots, quality = _snapshots(ids, today), quality_scores(ids)
    urls = _Urls()
    result = {}
    for pk, row in customers.items():
        result[pk] = _inputs(
            pk,
            row,
            answers.get(pk, []),
            invitations.get(pk, {}),
            activity.get(pk, {}),
            stakeholders.get(pk, {}),
            touchpoints.get(pk, {}),
            milestones.get(pk, []),
            claims.get(pk, []),
            reviews.get(row["review_id"]),
            snapshots,
            quality.get(pk),
            today,
            urls,
        )
    return result


def _inputs(
    pk: int,
    row: dict[str, Any],
    answers: list[dict[str, Any]],
    invited: dict[str, Any],
    active: dict[str, Any],
    people: dict[str, Any],
    touch: dict[str, Any],
    weeks: list[dict[str, Any]],
    claims: list[int],
    review: Review | None,
    snapshots: dict[tuple[int, date], Decimal | None],
    quality: Decimal | None,
    today: date,
    urls: _Urls,
) -> HealthInputs:
    regular = [a for a in answers if a["purpose"] != "support"]
    page = urls("customers:detail", pk)
    signals = set(review.expansion_signals if review else [])
    if row["mvp_succeeded"]:
        signals.add("mvp_guarantee_succeeded")
    guarantees = tuple(
        Source(f"Guarantee #{w['guarantee_id']}", urls("guarantees:detail", w["guarantee_id"])) for w in weeks
    )
    review_source = (
        (Source(f"Review of {review.reviewed_on:%-d %b %Y}", f"{page}#review-{review.pk}"),) if review else ()
    )
    survey_source = (Source(f"{len(answers)} survey answer(s) in 90 days", f"{page}#surveys"),)
    activity_source = (Source("Client-view activity", f"{page}#activity"),)
    claim_sources = tuple(Source(f"Claim #{c}", urls("outcomes:claim", c)) for c in claims)
    sources = {
        "csat": survey_source,
        "nps": survey_source,
        "support_rating": survey_source,
        "survey_response_rate": (Source("Survey invitations", f"{page}#surveys"),),
        "sentiment": review_source,
        "roi_achieved": review_source,
        "business_impact": review_source,
        "goals_met": review_source,
        "active_days": activity_source,
        "features_used": activity_source,
        "stakeholders_active": activity_source,
        "sponsor_engaged": activity_source,
        "touchpoints": (Source("Touchpoints", f"{page}#touchpoints"),),
        "milestones_succeeded": guarantees,
        "signed_off_on_time": guarantees,
        "open_escalations": guarantees + claim_sources,
    }
    return HealthInputs(
        csat_scores=tuple(a["csat"] for a in regular if a["csat"] is not None),
        nps_scores=tuple(a["nps"] for a in answers if a["nps"] is not None),
        support_scores=tuple(a["csat"] for a in answers if a["purpose"] == "support" and a["csat"] is not None),
        sentiment=review.sentiment if review else None,
        stakeholders_with_login=people.get("with_login", 0),
        active_days=active.get("days", 0),
        features_used=active.get("features", 0),
        features_total=len(FEATURES),
        touchpoints_30d=touch.get("recent", 0),
        touchpoints_ever=touch.get("ever", 0),
        invited_90d=invited.get("invited", 0),
        answered_90d=invited.get("answered", 0),
        milestones_scored=sum(w["scored"] for w in weeks),
        milestones_succeeded=sum(w["succeeded"] for w in weeks),
        milestones_due=sum(w["due"] for w in weeks),
        milestones_on_time=sum(w["on_time"] for w in weeks),
        quality_score=quality,
        roi_achieved=review.roi_achieved if review else None,
        business_impact=review.business_impact if review else None,
        goals_met=review.goals_met if review else None,
        has_sponsor_login=bool(people.get("sponsor_login")),
        stakeholders_active=active.get("stakeholders", 0),
        sponsor_active=bool(active.get("executives")),
        has_guarantee=bool(weeks),
        failed_weeks=sum(w["failed_open"] for w in weeks),
        open_claims=len(claims),
        latest_nps=row["latest_nps"],
        score_30d_ago=snapshots.get((pk, today - timedelta(days=30))),
        score_90d_ago=snapshots.get((pk, today - timedelta(days=90))),
        signals=frozenset(signals),
        latest_project_value=row["project_value"],
        customer_status=row["status"],
        guarantee_ended=row["guarantee_ended"],
        sources=sources,
    )
