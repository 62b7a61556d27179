"""Demo: the KPI trends need history, so the last 90 days of daily snapshots are computed from the demo's records."""

from __future__ import annotations

from typing import Any

from apps.dashboard.services import backfill_snapshots, snapshot_kpis


def seed(ctx: Any) -> None:
    snapshot_kpis()  # today's reading reflects the demo as it is now, even on a second run
    backfill_snapshots(days=90)
