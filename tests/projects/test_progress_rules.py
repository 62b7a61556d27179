"""Pure rules of progress updates: expected progress and the schedule status at every boundary (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.projects.progress import ScheduleStatus, ScheduleThresholds, expected_percent, is_priority, schedule_status

DOMAIN = ScheduleThresholds(
    ahead_min=Decimal(10), on_track_min=Decimal(-5), at_risk_min=Decimal(-15), priority_risk_levels=("high", "critical")
)


@pytest.mark.parametrize(
    ("elapsed", "planned", "expected"),
    [(0, 42, "0.0"), (21, 42, "50.0"), (14, 42, "33.3"), (42, 42, "100.0"), (60, 42, "100.0"), (-3, 42, "0.0")],
)
def test_expected_percent_is_elapsed_over_planned_days_capped_at_100(elapsed, planned, expected):
    assert expected_percent(elapsed_days=elapsed, planned_days=planned) == Decimal(expected)


def test_a_project_without_planned_days_is_expected_to_be_done():
    assert expected_percent(elapsed_days=3, planned_days=0) == Decimal(100)


@pytest.mark.parametrize(
    ("percent", "status"),
    [
        ("60.0", ScheduleStatus.AHEAD),  # +10: the boundary belongs to "ahead"
        ("59.9", ScheduleStatus.ON_TRACK),
        ("45.0", ScheduleStatus.ON_TRACK),  # -5: still on track
        ("44.9", ScheduleStatus.AT_RISK),
        ("35.0", ScheduleStatus.AT_RISK),  # -15: still at risk
        ("34.9", ScheduleStatus.BEHIND),
        ("0", ScheduleStatus.BEHIND),
        ("100", ScheduleStatus.AHEAD),
    ],
)
def test_schedule_status_at_each_boundary_against_50_percent_expected(percent, status):
    result = schedule_status(percent_complete=Decimal(percent), expected=Decimal(50), thresholds=DOMAIN)

    assert result.status is status
    assert result.difference == Decimal(percent) - 50


def test_the_status_explains_itself():
    result = schedule_status(percent_complete=Decimal(40), expected=Decimal("52.4"), thresholds=DOMAIN)

    assert result.reason == "40.0% complete against 52.4% expected (-12.4 points)."


def test_thresholds_come_from_configuration_not_constants():
    strict = ScheduleThresholds(
        ahead_min=Decimal(20), on_track_min=Decimal(0), at_risk_min=Decimal(-5), priority_risk_levels=("critical",)
    )

    assert schedule_status(percent_complete=Decimal(48), expected=Decimal(50), thresholds=strict).status == "at_risk"
    assert schedule_status(percent_complete=Decimal(48), expected=Decimal(50), thresholds=DOMAIN).status == "on_track"
    assert not is_priority(risk_level="high", thresholds=strict)


@pytest.mark.parametrize(("risk", "priority"), [("low", False), ("medium", False), ("high", True), ("critical", True)])
def test_high_and_critical_risk_mark_an_update_as_priority(risk, priority):
    assert is_priority(risk_level=risk, thresholds=DOMAIN) is priority
