"""Pure rules for playbook runs: when an outcome is due, whether a run worked, a playbook's success rate.

No ORM and no clock: the caller passes the dates, the health at both ends and the admin-edited numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from apps.core.numbers import round1

# Bands from worst to best: a run "improved the band" when its end band sits later in this tuple.
BAND_ORDER: tuple[str, ...] = ("critical", "at_risk", "fair", "good", "excellent")


@dataclass(frozen=True)
class Outcome:
    delta: Decimal | None
    worked: bool | None
    reason: str


def outcome_day(closed_on: date, after_days: int) -> date:
    return closed_on + timedelta(days=after_days)


def outcome_due(*, closed_on: date, today: date, after_days: int) -> bool:
    """An outcome is recorded once `after_days` have passed since the run closed (on that day, not before)."""
    return today >= outcome_day(closed_on, after_days)


def _band_rank(band: str) -> int | None:
    return BAND_ORDER.index(band) if band in BAND_ORDER else None


def run_outcome(
    *,
    start_score: Decimal | None,
    start_band: str,
    end_score: Decimal | None,
    end_band: str,
    worked_delta: Decimal,
) -> Outcome:
    """Health then minus health at start; it worked when health rose by at least `worked_delta` or the band improved."""
    if start_score is None or end_score is None:
        return Outcome(None, None, "Not enough data: health was missing at the start or 30 days after the close.")
    delta = round1(Decimal(end_score) - Decimal(start_score))
    start_rank, end_rank = _band_rank(start_band), _band_rank(end_band)
    band_up = start_rank is not None and end_rank is not None and end_rank > start_rank
    sign = "+" if delta > 0 else ""
    if delta >= worked_delta:
        return Outcome(delta, True, f"Health moved {sign}{delta} (at least +{worked_delta}): it worked.")
    if band_up:
        return Outcome(delta, True, f"Health moved {sign}{delta} and the band improved: it worked.")
    return Outcome(delta, False, f"Health moved {sign}{delta} (under +{worked_delta}) and the band did not improve.")


def success_rate(*, worked: int, with_outcome: int) -> Decimal | None:
    """Worked / closed runs with an outcome, as a percentage with one decimal; None before the first outcome."""
    if with_outcome == 0:
        return None
    return round1(Decimal(worked) * 100 / Decimal(with_outcome))
