"""Reads of the dashboard pages: KPI readings with their trends, and the CSMs to filter by."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from apps.dashboard import kpis
from apps.dashboard.charts import TrendChart, trend_chart
from apps.dashboard.models import KpiSnapshot
from apps.dashboard.services import kpi_targets

TREND_DAYS = 90


@dataclass(frozen=True)
class KpiCard:
    reading: kpis.KpiReading
    trend: TrendChart
    history: list[tuple[dt.date, Any]]

    @property
    def dots_markup(self) -> SafeString:
        """The trend's circles, as `{% for x, y in dots %}<circle .../>{% endfor %}` wrote them (each coordinate
        localized and escaped as a template variable is) without a template loop per dot: 12 cards of up to 91
        dots were a third of the page's rendering. The coordinates repeat, so each is formatted once."""
        text: dict[float, str] = {}

        def coordinate(value: float) -> str:
            if value not in text:
                text[value] = conditional_escape(localize(value))
            return text[value]

        return mark_safe(  # noqa: S308 - every interpolated value is escaped above
            "".join(
                f'<circle class="dot" cx="{coordinate(x)}" cy="{coordinate(y)}" r="2"/>' for x, y in self.trend.dots
            )
        )


def csm_choices() -> list[tuple[int, str]]:
    users = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("full_name", "email")
    return [(user.pk, user.full_name or user.email) for user in users.only("pk", "full_name", "email")]


def kpi_cards(*, filters: kpis.Filters, as_of: dt.datetime | None = None) -> list[KpiCard]:
    as_of = as_of or timezone.now()
    today = timezone.localdate(as_of)
    start = today - dt.timedelta(days=TREND_DAYS)
    targets = kpi_targets()
    history: dict[str, list[tuple[dt.date, Any]]] = defaultdict(list)
    for key, day, value in KpiSnapshot.objects.filter(day__gte=start).values_list("key", "day", "value"):
        history[key].append((day, value))
    cards = []
    for reading in kpis.read_values(targets=targets, filters=filters, as_of=as_of):
        points = history.get(reading.kpi.key, [])
        cards.append(KpiCard(reading, trend_chart(points, target=reading.target, start=start, end=today), points))
    return cards


UNIT_SUFFIX = {"percent": "%", "hours": " h", "score": "", "nps": ""}


def with_unit(value: Any, unit: str) -> str:
    return "no value" if value is None else f"{value}{UNIT_SUFFIX[unit]}"


def alerts(cards: list[KpiCard]) -> list[str]:
    """Missed KPIs, in words."""
    messages = []
    for card in cards:
        reading, kpi = card.reading, card.reading.kpi
        if reading.status == "missed":
            bound = "at least" if kpi.direction == "at_least" else "at most"
            messages.append(
                f"{kpi.name} is {with_unit(reading.result.value, kpi.unit)}, "
                f"against a target of {bound} {with_unit(reading.target, kpi.unit)}."
            )
    return messages


RISK_ALERTS_SHOWN = 20  # the rest are counted in one sentence: a large book would otherwise list thousands


def customers_entering_risk(*, filters: kpis.Filters, today: dt.date | None = None) -> list[str]:
    """Customers whose health band is at risk or critical now and was not a week ago (from the daily snapshots).

    Reads plain values (a stored health score's JSON parts are large and not needed here) and names the first
    `RISK_ALERTS_SHOWN` by name; more are counted in one last line.
    """
    from apps.retention.health import AT_RISK_BANDS
    from apps.retention.models import HealthScore, HealthSnapshot
    from apps.retention.registry import BANDS

    today = today or timezone.localdate()
    current = HealthScore.objects.filter(band__in=AT_RISK_BANDS)
    if filters.csm_id:
        current = current.filter(customer__owner_id=filters.csm_id)
    if filters.segment:
        current = current.filter(customer__segment=filters.segment)
    if filters.service_type:
        current = current.filter(customer__projects__service_type=filters.service_type).distinct()
    week_ago = HealthSnapshot.objects.filter(
        customer_id=OuterRef("customer_id"), day=today - dt.timedelta(days=7), band__in=AT_RISK_BANDS
    )
    entering = (
        current.exclude(Exists(week_ago))
        .order_by("customer__name", "customer_id")
        .values_list("customer__name", "band", "score")
    )
    labels = dict(BANDS)
    rows = list(entering[: RISK_ALERTS_SHOWN + 1])
    messages = [f"{name} entered {labels[band].lower()} this week (health {score})." for name, band, score in rows]
    if len(rows) > RISK_ALERTS_SHOWN:
        more = entering.count() - RISK_ALERTS_SHOWN
        messages[RISK_ALERTS_SHOWN:] = [f"{more:,} more customers entered at risk or critical this week."]
    return messages


def account_counts(owner: Any | None) -> dict[str, int]:
    """The book at a glance (one query): customers, and how many are onboarding or at risk (derived status)."""
    from django.db.models import Count, Q

    from apps.customers.models import Customer

    customers = Customer.objects.all() if owner is None else Customer.objects.filter(owner=owner)
    return customers.aggregate(
        total=Count("pk"),
        onboarding=Count("pk", filter=Q(status=Customer.Status.ONBOARDING)),
        at_risk=Count("pk", filter=Q(status=Customer.Status.AT_RISK)),
    )
