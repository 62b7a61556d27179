"""The KPI arithmetic and the trend chart, without a database: hand-worked numbers at their edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apps.dashboard.charts import trend_chart
from apps.dashboard.kpis import REGISTRY, Record, evaluate


def _records(*flags: bool, values: list[str] | None = None) -> list[Record]:
    values = values or [None] * len(flags)  # type: ignore[list-item]
    return [
        Record("x", i, f"r{i}", flag, None if value is None else Decimal(value))
        for i, (flag, value) in enumerate(zip(flags, values, strict=True))
    ]


def test_a_ratio_is_the_share_of_records_in_the_numerator_rounded_half_up():
    result = evaluate("ratio", _records(True, False, False))
    assert (result.value, result.numerator, result.denominator) == (Decimal("33.3"), Decimal(1), 3)
    assert evaluate("ratio", _records(True, True, False)).value == Decimal("66.7")


def test_nothing_counted_has_no_value():
    for kind in ("ratio", "mean", "median", "nps", "money_share"):
        result = evaluate(kind, [])
        assert (result.value, result.denominator) == (None, 0)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    result = evaluate("median", _records(True, True, True, True, values=["10", "50", "20", "41"]))
    assert result.value == Decimal("30.5")


def test_nps_is_promoters_minus_detractors_over_answers():
    # 9 and 10 promote, 7 and 8 are passive, 0-6 detract: (2 - 2) / 5 = 0; then (3 - 1) / 5 = 40.
    assert evaluate("nps", _records(*[True] * 5, values=["10", "9", "8", "6", "0"])).value == Decimal("0.0")
    assert evaluate("nps", _records(*[True] * 5, values=["10", "9", "9", "7", "6"])).value == Decimal("40.0")


def test_money_share_divides_the_numerator_value_by_the_whole():
    result = evaluate("money_share", _records(True, False, False, values=["40000", "30000", "30000"]))
    assert (result.value, result.numerator) == (Decimal("40.0"), Decimal("40000"))


def test_status_at_exactly_the_target_is_met_in_both_directions():
    at_least, at_most = REGISTRY["lead_conversion"], REGISTRY["time_to_onboarding"]
    assert at_least.status(Decimal("25.0"), Decimal(25)) == "met"
    assert at_least.status(Decimal("24.9"), Decimal(25)) == "missed"
    assert at_most.status(Decimal("48.0"), Decimal(48)) == "met"
    assert at_most.status(Decimal("48.1"), Decimal(48)) == "missed"
    assert at_most.status(None, Decimal(48)) == "no_data"


def test_the_trend_chart_places_the_target_and_each_reading_inside_the_box():
    start = dt.date(2026, 9, 1)
    values = [(start, Decimal(20)), (start + dt.timedelta(days=45), None), (start + dt.timedelta(days=90), Decimal(40))]
    chart = trend_chart(values, target=Decimal(30), start=start, end=start + dt.timedelta(days=90))
    assert chart.points == 2
    assert chart.dots[0] == (6.0, 84.0)
    assert chart.dots[-1] == (294.0, 6.0)
    assert chart.target_y == 45.0
    assert trend_chart([(start, None)], target=Decimal(1), start=start, end=start).points == 0
