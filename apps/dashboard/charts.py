"""A small server-rendered trend chart (SVG coordinates), readable without colour: a line, its dots and a dashed
target line, with the figures repeated in a table beside it. Pure: no ORM, no clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, PAD = 300, 90, 6


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    line: str  # the polyline's "x,y x,y ..." points
    dots: list[tuple[float, float]]
    target_y: float | None
    low: Decimal | None
    high: Decimal | None
    first_day: dt.date | None
    last_day: dt.date | None
    points: int


def trend_chart(
    values: list[tuple[dt.date, Decimal | None]], *, target: Decimal | None, start: dt.date, end: dt.date
) -> TrendChart:
    known = [(day, value) for day, value in values if value is not None]
    if not known:
        return TrendChart(WIDTH, HEIGHT, "", [], None, None, None, None, None, 0)
    scale_values = [value for _, value in known] + ([target] if target is not None else [])
    low, high = min(scale_values), max(scale_values)
    if low == high:
        low, high = low - 1, high + 1
    span_days = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * (day - start).days / span_days, 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * float((value - low) / (high - low)), 1)

    dots = [(x(day), y(value)) for day, value in known]
    line = " ".join(f"{px},{py}" for px, py in dots)
    target_y = y(target) if target is not None else None
    return TrendChart(WIDTH, HEIGHT, line, dots, target_y, low, high, known[0][0], known[-1][0], len(known))
