"""Success probability: the combined score of qualification and feasibility, its band, and the observed rate.

Pure: the two rounded scores and a `ProbabilityConfig` in, a `ProbabilityResult` out. The observed rate of a band
(closed guarantees) is counted by the caller and passed in as `ObservedOutcomes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.core.numbers import ratio_percent, round1
from apps.leads.scoring.config import ProbabilityBand, ProbabilityConfig


@dataclass(frozen=True)
class ObservedOutcomes:
    """Closed guarantees in one probability band: how many succeeded out of how many."""

    successes: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.successes <= self.total:
            raise ValueError("need 0 <= successes <= total")


@dataclass(frozen=True)
class ProbabilityResult:
    """Success probability: the band's default percent, and the observed rate once the sample suffices."""

    combined: Decimal
    band: str
    band_label: str
    default_percent: Decimal
    observed_percent: Decimal | None
    observed_sample: int | None


def _pick_band(combined: Decimal, config: ProbabilityConfig) -> ProbabilityBand:
    ordered = sorted(config.bands, key=lambda band: band.minimum, reverse=True)
    return next((band for band in ordered if combined >= band.minimum), ordered[-1])


def combined_score(qualification_score: Decimal, feasibility_score: Decimal, config: ProbabilityConfig) -> Decimal:
    """round1(weight x feasibility + weight x qualification), computed from the two rounded scores."""
    feasibility, qualification = round1(feasibility_score), round1(qualification_score)
    return round1(config.feasibility_weight * feasibility + config.qualification_weight * qualification)


def probability_band(combined: Decimal, config: ProbabilityConfig) -> str:
    """The band key a combined score falls in, so the caller can count closed guarantees per band."""
    return _pick_band(round1(combined), config).key


def success_probability(
    qualification_score: Decimal,
    feasibility_score: Decimal,
    config: ProbabilityConfig,
    observed: ObservedOutcomes | None = None,
) -> ProbabilityResult:
    """The success probability of a lead; `observed` is the closed guarantees of the band it falls in."""
    combined = combined_score(qualification_score, feasibility_score, config)
    band = _pick_band(combined, config)
    percent, sample = None, None
    # A handful of outcomes says little, so the observed rate waits for the minimum sample.
    # At least one outcome is needed whatever the setting says (a minimum of 0 must not divide by zero).
    if observed is not None and observed.total > 0 and observed.total >= config.min_observed_sample:
        percent, sample = round1(ratio_percent(observed.successes, observed.total)), observed.total
    return ProbabilityResult(combined, band.key, band.label, band.percent, percent, sample)
