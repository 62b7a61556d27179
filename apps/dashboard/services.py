"""Writes of the dashboard: the daily KPI snapshots (safe to run twice: one row per KPI and day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.dashboard import kpis
from apps.dashboard.models import KpiSnapshot, KpiTarget


def kpi_targets() -> dict[str, Decimal]:
    targets = dict(KpiTarget.objects.values_list("key", "target"))
    missing = set(kpis.REGISTRY) - set(targets)
    if missing:
        raise LookupError(f"No target configured for KPI(s): {', '.join(sorted(missing))}. Add them in the admin.")
    return targets


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


@transaction.atomic
def snapshot_kpis(*, day: dt.date | None = None) -> int:
    """Store every KPI's whole-book reading for `day` (today by default), as of the end of that day or now."""
    today = timezone.localdate()
    day = day or today
    as_of = timezone.now() if day >= today else end_of_day(day)
    targets = kpi_targets()
    for reading in kpis.read_all(targets=targets, filters=kpis.Filters(), as_of=as_of):
        KpiSnapshot.objects.update_or_create(
            key=reading.kpi.key,
            day=day,
            defaults={
                "value": reading.result.value,
                "numerator": reading.result.numerator,
                "denominator": reading.result.denominator,
                "target": reading.target,
            },
        )
    return len(kpis.REGISTRY)


def backfill_snapshots(*, days: int = 90) -> int:
    """Snapshots for each of the last `days` days that has none (demo data and a first deploy)."""
    today = timezone.localdate()
    have = set(KpiSnapshot.objects.filter(day__gt=today - dt.timedelta(days=days)).values_list("day", flat=True))
    written = 0
    for offset in range(days, -1, -1):
        day = today - dt.timedelta(days=offset)
        if day not in have:
            snapshot_kpis(day=day)
            written += 1
    return written
