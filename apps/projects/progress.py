"""Pure rules of progress updates: expected progress from the calendar, schedule status, priority.

No ORM and no clock: the caller passes the days and the thresholds (from `ProgressSettings.to_config()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from apps.core.numbers import HUNDRED, ZERO, clamp, ratio_percent, round1, to_decimal


class ScheduleStatus(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"


@dataclass(frozen=True)
class ScheduleThresholds:
    """Progress minus expected, in percentage points: at or above each minimum earns that status."""

    ahead_min: Decimal
    on_track_min: Decimal
    at_risk_min: Decimal
    priority_risk_levels: tuple[str, ...]


@dataclass(frozen=True)
class ScheduleResult:
    expected_percent: Decimal
    difference: Decimal
    status: ScheduleStatus
    reason: str


def expected_percent(*, elapsed_days: int, planned_days: int) -> Decimal:
    """Elapsed / planned days x 100, never below 0 nor above 100 (a late project is expected to be done)."""
    if planned_days <= 0:
        return HUNDRED
    return round1(clamp(ratio_percent(max(elapsed_days, 0), planned_days), ZERO, HUNDRED))


def schedule_status(*, percent_complete: Decimal, expected: Decimal, thresholds: ScheduleThresholds) -> ScheduleResult:
    """Compare reported progress with the calendar; the boundaries belong to the better status (>=)."""
    difference = round1(to_decimal(percent_complete) - to_decimal(expected))
    if difference >= thresholds.ahead_min:
        status = ScheduleStatus.AHEAD
    elif difference >= thresholds.on_track_min:
        status = ScheduleStatus.ON_TRACK
    elif difference >= thresholds.at_risk_min:
        status = ScheduleStatus.AT_RISK
    else:
        status = ScheduleStatus.BEHIND
    sign = "+" if difference >= 0 else ""
    reason = f"{round1(percent_complete)}% complete against {expected}% expected ({sign}{difference} points)."
    return ScheduleResult(expected_percent=expected, difference=difference, status=status, reason=reason)


def is_priority(*, risk_level: str, thresholds: ScheduleThresholds) -> bool:
    return risk_level in thresholds.priority_risk_levels
