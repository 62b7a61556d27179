"""Reads for the customer page's health and engagement sections and for the task list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.core.numbers import round1
from apps.customers.models import Customer
from apps.retention.config import current_settings
from apps.retention.models import (
    Activity,
    HealthScore,
    HealthSnapshot,
    Playbook,
    PlaybookRun,
    Review,
    Survey,
    SurveyInvitation,
    Task,
    Touchpoint,
)
from apps.retention.playbook_rules import success_rate
from apps.retention.playbooks import current_playbook_settings
from apps.retention.registry import BANDS, CHURN_FACTORS, FEATURES, LABELS, SIGNAL_LABELS, STRATEGIES

CHART_W, CHART_H, PAD_L, PAD_R, PAD_Y = 600, 160, 34, 10, 12


def _n(value: str | Decimal | None) -> Decimal | None:
    return None if value is None else round1(Decimal(value))


def _pct(value: str | None) -> str:
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    day: date
    score: Decimal


def trend_chart(customer_id: int, today: date, days: int = 90, settings: Any = None) -> dict[str, Any]:
    """Points and band lines for a small server-rendered SVG of the last `days` days of snapshots."""
    since = today - timedelta(days=days)
    rows = HealthSnapshot.objects.filter(customer_id=customer_id, day__gte=since, score__isnull=False).order_by("day")
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - 2 * PAD_Y

    def xy(day: date, score: Decimal) -> tuple[float, float]:
        x = PAD_L + inner_w * (day - since).days / days
        return round(x, 1), round(PAD_Y + inner_h * (1 - float(score) / 100), 1)

    points = [ChartPoint(*xy(r.day, r.score), r.day, r.score) for r in rows]
    s = settings or current_settings()
    limits = [
        ("Excellent", s.excellent_from),
        ("Good", s.good_from),
        ("Fair", s.fair_from),
        ("At risk", s.at_risk_from),
    ]
    lines = [{"label": label, "limit": round1(limit), "y": xy(since, limit)[1]} for label, limit in limits]
    return {
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "lines": lines,
        "width": CHART_W,
        "height": CHART_H,
        "left": PAD_L,
        "right": CHART_W - PAD_R,
        "since": since,
        "today": today,
        "last": points[-1] if points else None,
        "first": points[0] if points else None,
    }


def _components(health: HealthScore) -> list[dict[str, Any]]:
    components = []
    for c in health.components:
        parts = [
            {
                **p,
                "label": LABELS[p["key"]],
                "value_1": _n(p["value"]),
                "weight_pct": _pct(p["weight"]),
                "effective_pct": _pct(p["effective_weight"]),
            }
            for p in c["parts"]
        ]
        components.append(
            {
                **c,
                "label": LABELS[c["key"]],
                "score_1": _n(c["score"]),
                "parts": parts,
                "weight_pct": _pct(c["weight"]),
                "effective_pct": _pct(c["effective_weight"]),
            }
        )
    return components


def _once(customer: Customer, key: str, read: Callable[[], Any]) -> Any:
    """A read the customer page's sections share (the stored health score, the health settings), kept on the customer
    instance: the view loads the customer for each request, so it lives for one page render."""
    reads = customer.__dict__.setdefault("_section_reads", {})
    if key not in reads:
        reads[key] = read()
    return reads[key]


def _stored_health(customer: Customer) -> HealthScore | None:
    return _once(customer, "health", lambda: HealthScore.objects.filter(customer=customer).first())


def health_context(customer: Customer) -> dict[str, Any]:
    health = _stored_health(customer)
    today = timezone.localdate()
    chart = trend_chart(customer.pk, today, settings=_once(customer, "settings", current_settings))
    if health is None:
        return {"health": None, "chart": chart}
    factor_labels = dict(CHURN_FACTORS)
    return {
        "health": health,
        "band_label": dict(BANDS).get(health.band, "Not enough data"),
        "components": _components(health),
        "factors": [{**f, "label": factor_labels[f["key"]], "points_1": _n(f["points"])} for f in health.churn_factors],
        "strategy_label": dict(STRATEGIES)[health.strategy],
        "opportunities": [
            {
                **o,
                "met_labels": [SIGNAL_LABELS.get(t, t) for t in o["met"]],
                "missing_labels": [SIGNAL_LABELS.get(t, t) for t in o["missing"]],
                "share_pct": _pct(o["share"]),
            }
            for o in health.expansion
        ],
        "chart": chart,
    }


def engagement_context(customer: Customer) -> dict[str, Any]:
    today = timezone.localdate()
    invitations = SurveyInvitation.objects.select_related("stakeholder", "answer").order_by("stakeholder__name")
    surveys = (
        Survey.objects.filter(customer=customer)
        .select_related("sent_by")
        .prefetch_related(Prefetch("invitations", queryset=invitations))[:8]
    )
    since = today - timedelta(days=29)
    # One read of the 30 days' rows (one a stakeholder, day and feature: at most 30 x features x stakeholders) gives
    # both the per-name distinct days and features, in the database's name order, and the features used.
    rows = (
        Activity.objects.filter(customer=customer, day__gte=since)
        .values_list("stakeholder__name", "day", "feature")
        .order_by("stakeholder__name")
    )
    per_name: dict[str, tuple[set, set]] = {}
    used = set()
    for name, day, feature in rows:
        days, features = per_name.setdefault(name, (set(), set()))
        days.add(day)
        features.add(feature)
        used.add(feature)
    activity = [
        {"stakeholder__name": name, "days": len(days), "features": len(features)}
        for name, (days, features) in per_name.items()
    ]
    reviews = list(Review.objects.filter(customer=customer).select_related("recorded_by")[:5])
    for review in reviews:
        review.signal_labels = [SIGNAL_LABELS.get(key, key) for key in review.expansion_signals]
    return {
        "surveys": surveys,
        "touchpoints": Touchpoint.objects.filter(customer=customer)
        .prefetch_related("stakeholders")
        .select_related("logged_by")[:10],
        "reviews": reviews,
        "detractor_max": _once(customer, "settings", current_settings).detractor_max,
        "tasks": Task.objects.filter(customer=customer, status=Task.Status.OPEN, run__isnull=True).select_related(
            "owner", "answer"
        ),
        "activity": list(activity),
        "features": [(label, key in used) for key, label in FEATURES],
        "today": today,
    }


def open_tasks(user: Any) -> QuerySet[Task]:
    """A CSM's open tasks, overdue first (earliest due date first puts every overdue one on top)."""
    tasks = Task.objects.visible_to(user).filter(owner=user, status=Task.Status.OPEN).select_related("run__playbook")
    return tasks.order_by("due_on", "pk")


# --- playbooks ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaybookStats:
    running: int
    closed: int
    with_outcome: int
    worked: int

    @property
    def success_rate(self) -> Decimal | None:
        return success_rate(worked=self.worked, with_outcome=self.with_outcome)


def playbook_stats() -> dict[int, PlaybookStats]:
    """Per playbook id: runs running and closed, closed runs with an outcome and how many of them worked (one query)."""
    rows = PlaybookRun.objects.values("playbook_id").annotate(
        running=Count("pk", filter=Q(status=PlaybookRun.Status.OPEN)),
        closed=Count("pk", filter=Q(status=PlaybookRun.Status.CLOSED)),
        with_outcome=Count("pk", filter=Q(status=PlaybookRun.Status.CLOSED, worked__isnull=False)),
        worked=Count("pk", filter=Q(status=PlaybookRun.Status.CLOSED, worked=True)),
    )
    return {r["playbook_id"]: PlaybookStats(r["running"], r["closed"], r["with_outcome"], r["worked"]) for r in rows}


NO_RUNS = PlaybookStats(0, 0, 0, 0)


def playbooks_with_stats() -> list[tuple[Playbook, PlaybookStats]]:
    stats = playbook_stats()
    playbooks = Playbook.objects.prefetch_related("actions")
    return [(p, stats.get(p.pk, NO_RUNS)) for p in playbooks]


def playbook_context(customer: Customer) -> dict[str, Any]:
    """The customer page's playbooks section: the suggested playbook, running runs with their tasks, past runs."""
    tasks = Task.objects.select_related("owner").order_by("due_on", "pk")
    runs = list(
        PlaybookRun.objects.filter(customer=customer)
        .select_related("playbook", "started_by")
        .prefetch_related(Prefetch("tasks", queryset=tasks))[:12]
    )
    health = _stored_health(customer)
    suggested = health.strategy if health is not None else None
    return {
        "running": [r for r in runs if r.status == PlaybookRun.Status.OPEN],
        "past": [r for r in runs if r.status == PlaybookRun.Status.CLOSED],
        "suggested_label": dict(STRATEGIES).get(suggested or ""),
        "today": timezone.localdate(),
        "outcome_after_days": current_playbook_settings().outcome_after_days,
    }
