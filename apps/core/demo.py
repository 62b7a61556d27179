"""Demo data steps, in order. Each app adds a `seed(ctx)` function; each must be safe to run twice."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

DEMO_STEPS: list[str] = [
    "apps.customers.demo.seed",
    "apps.leads.demo.seed",
    "apps.tiers.demo.seed",
    "apps.guarantees.demo.seed",
    "apps.outcomes.demo.seed",
    "apps.projects.demo_quality.seed",
    "apps.projects.demo.seed",
    "apps.retention.demo.seed",
    "apps.retention.demo_expansion.seed",
    "apps.retention.demo_playbooks.seed",
    "apps.dashboard.demo.seed",
]

DEMO_PASSWORD = "portal-demo-2026"

# The demo's history reaches this far back; nothing is ever dated after "now" (less this margin).
HISTORY_DAYS = 120
_MARGIN = timedelta(minutes=10)


def days_ago(days: float, at: time = time(10, 0)) -> datetime:
    """A moment `days` before today at the given local time, never later than just before now."""
    day = timezone.localdate() - timedelta(days=int(days))
    return not_after_now(timezone.make_aware(datetime.combine(day, at)) + timedelta(days=days - int(days)))


def on(day: date, at: time = time(10, 0)) -> datetime:
    """A moment on `day` at the given local time, never later than just before now."""
    return not_after_now(timezone.make_aware(datetime.combine(day, at)))


def not_after_now(moment: datetime) -> datetime:
    return min(moment, timezone.now() - _MARGIN)


@contextlib.contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Run services as if it were `moment`, so what they stamp (created, recorded, decided) reads as history.

    The services stay the only writers (append-only evidence and sign-offs cannot be re-dated afterwards); the
    clock ticks one second per reading, so the order of events is kept. Demo seeding only, never in a request.
    """
    real_now = timezone.now
    ticks = itertools.count()
    timezone.now = lambda: moment + timedelta(seconds=next(ticks))  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.now = real_now  # type: ignore[assignment]
