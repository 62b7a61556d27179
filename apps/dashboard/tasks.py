from __future__ import annotations

from apps.dashboard import services


def snapshot_kpis() -> int:
    return services.snapshot_kpis()
