"""What health reads (a survey with answers, touchpoints, a review, client-view activity, older snapshots), then
health itself through the nightly code path, and the KPI snapshots through the daily task's service."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.core.scale.people import Book
from apps.core.scale.writer import insert, next_ids
from apps.dashboard.services import backfill_snapshots, snapshot_kpis
from apps.retention.health import compute_health
from apps.retention.models import (
    Activity,
    HealthSnapshot,
    Review,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    Touchpoint,
)
from apps.retention.registry import FEATURES

FEATURE_KEYS = [key for key, _ in FEATURES]
TOUCHPOINTS = 4
SNAPSHOT_DAYS = (7, 14, 30, 60, 90)
# Older snapshots are history (not recomputed); their bands follow the default band floors.
BAND_FLOORS = ((80, "excellent"), (65, "good"), (50, "fair"), (35, "at_risk"), (0, "critical"))


def build_engagement(book: Book) -> dict[str, int]:
    now, today = timezone.now(), timezone.localdate()
    n = len(book.indexes)
    survey_ids, invitation_ids, answer_ids = next_ids(Survey, n), next_ids(SurveyInvitation, 3 * n), []
    surveys, invitations, answers = [], [], []
    for k, i in enumerate(book.indexes):
        sent = now - timedelta(days=5 + i % 60)
        surveys.append(
            {
                "id": survey_ids[k],
                "customer_id": book.customer_ids[i],
                "purpose": "scheduled",
                "questions": ["nps", "csat"],
                "message": "",
                "sent_by_id": None,
                "sent_at": sent,
                "expires_at": sent + timedelta(days=14),
            }
        )
        for s in range(3):
            answered = sent + timedelta(days=1 + s) if s < 2 else None
            invitations.append(
                {
                    "id": invitation_ids[3 * k + s],
                    "survey_id": survey_ids[k],
                    "stakeholder_id": book.stakeholder_ids[i][s],
                    "customer_id": book.customer_ids[i],
                    "sent_at": sent,
                    "answered_at": answered,
                }
            )
            if answered:
                answers.append(
                    {
                        "invitation_id": invitation_ids[3 * k + s],
                        "customer_id": book.customer_ids[i],
                        "purpose": "scheduled",
                        "nps": (i * 7 + s) % 11,
                        "csat": 1 + (i * 5 + s) % 10,
                        "comment": "",
                        "via": "link",
                        "answered_at": answered,
                    }
                )
    answer_ids = next_ids(SurveyAnswer, len(answers))
    for row, pk in zip(answers, answer_ids, strict=True):
        row["id"] = pk
    insert(Survey, surveys)
    insert(SurveyInvitation, invitations)
    insert(SurveyAnswer, answers)
    made = {"surveys": n, "survey answers": len(answers)}
    made["touchpoints"] = insert(Touchpoint, _touchpoints(book, now, today))
    made["reviews"] = insert(Review, _reviews(book, now, today))
    made["client-view activity"] = insert(Activity, _activity(book, today))
    made["older health snapshots"] = insert(HealthSnapshot, _snapshots(book, today))
    return made


def _touchpoints(book: Book, now: Any, today: Any) -> list[dict[str, Any]]:
    # Ids are drawn before the rows are built: nothing may query while a COPY is streaming.
    ids = iter(next_ids(Touchpoint, TOUCHPOINTS * len(book.indexes)))
    return [
        {
            "id": next(ids),
            "customer_id": book.customer_ids[i],
            "kind": ("call", "meeting")[k % 2],
            "occurred_on": today - timedelta(days=(i + k * 9) % 40),
            "note": "Check-in",
            "logged_by_id": book.owner_ids[i],
            "created_at": now,
        }
        for i in book.indexes
        for k in range(TOUCHPOINTS)
    ]


def _reviews(book: Book, now: Any, today: Any) -> list[dict[str, Any]]:
    ids = iter(next_ids(Review, len(book.indexes)))
    return [
        {
            "id": next(ids),
            "customer_id": book.customer_ids[i],
            "reviewed_on": today - timedelta(days=i % 80),
            "sentiment": 1 + i % 10,
            "roi_achieved": Decimal(i % 101),
            "business_impact": Decimal((i * 3) % 101),
            "goals_met": Decimal((i * 7) % 101),
            "expansion_signals": ["team_growth"] if i % 3 else [],
            "note": "",
            "recorded_by_id": book.owner_ids[i],
            "created_at": now,
        }
        for i in book.indexes
    ]


def _activity(book: Book, today: Any) -> list[dict[str, Any]]:
    days = [(i, d) for i in book.indexes for d in range(0, 30, 2 + i % 5)]
    ids = iter(next_ids(Activity, len(days)))
    return [
        {
            "id": next(ids),
            "stakeholder_id": book.stakeholder_ids[i][0],
            "customer_id": book.customer_ids[i],
            "day": today - timedelta(days=d),
            "feature": FEATURE_KEYS[(i + d) % len(FEATURE_KEYS)],
        }
        for i, d in days
    ]


def _snapshots(book: Book, today: Any) -> list[dict[str, Any]]:
    ids = iter(next_ids(HealthSnapshot, len(SNAPSHOT_DAYS) * len(book.indexes)))
    rows = []
    for i in book.indexes:
        for d in SNAPSHOT_DAYS:
            score = Decimal(40 + (i + d) % 60)
            band = next(name for floor, name in BAND_FLOORS if score >= floor)
            rows.append(
                {
                    "id": next(ids),
                    "customer_id": book.customer_ids[i],
                    "day": today - timedelta(days=d),
                    "score": score,
                    "band": band,
                    "churn_risk": Decimal(100) - score,
                }
            )
    return rows


def build_health(book: Book) -> dict[str, int]:
    """The nightly health computation for the new customers (it also stores today's snapshot and status)."""
    return {"health scores": compute_health([book.customer_ids[i] for i in book.indexes])}


def build_kpis() -> dict[str, int]:
    """Today's KPI snapshots, and the last 30 days' where none were stored yet (both as the daily task does)."""
    return {"KPI snapshots (today)": snapshot_kpis(), "KPI snapshots (back days)": backfill_snapshots(days=30)}
