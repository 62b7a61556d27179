"""The outcome rule at its edges, without a database: delta exactly 5, a band improved with a small delta, not yet
30 days, missing health, and the success rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apps.retention.playbook_rules import outcome_due, run_outcome, success_rate

FIVE = Decimal(5)


def _outcome(start, start_band, end, end_band):
    return run_outcome(
        start_score=None if start is None else Decimal(start),
        start_band=start_band,
        end_score=None if end is None else Decimal(end),
        end_band=end_band,
        worked_delta=FIVE,
    )


def test_a_rise_of_exactly_five_worked():
    outcome = _outcome("50.0", "at_risk", "55.0", "at_risk")
    assert outcome.delta == Decimal("5.0")
    assert outcome.worked is True
    assert outcome.reason == "Health moved +5.0 (at least +5): it worked."


def test_a_rise_just_under_five_in_the_same_band_did_not_work():
    outcome = _outcome("50.0", "at_risk", "54.9", "at_risk")
    assert outcome.delta == Decimal("4.9")
    assert outcome.worked is False


def test_a_small_rise_that_crosses_into_a_better_band_worked():
    outcome = _outcome("58.5", "at_risk", "60.0", "fair")
    assert outcome.delta == Decimal("1.5")
    assert outcome.worked is True
    assert "the band improved" in outcome.reason


def test_a_fall_into_a_worse_band_did_not_work():
    outcome = _outcome("61.0", "fair", "55.0", "at_risk")
    assert outcome.delta == Decimal("-6.0")
    assert outcome.worked is False


def test_missing_health_at_either_end_records_no_verdict():
    assert _outcome(None, "", "70.0", "fair").worked is None
    assert _outcome("70.0", "fair", None, "").delta is None


def test_the_outcome_is_due_thirty_days_after_the_close_not_a_day_earlier():
    closed = date(2026, 3, 1)
    assert not outcome_due(closed_on=closed, today=date(2026, 3, 30), after_days=30)
    assert outcome_due(closed_on=closed, today=date(2026, 3, 31), after_days=30)


def test_the_success_rate_counts_runs_with_an_outcome_only():
    assert success_rate(worked=0, with_outcome=0) is None
    assert success_rate(worked=2, with_outcome=3) == Decimal("66.7")
    assert success_rate(worked=1, with_outcome=1) == Decimal("100.0")
