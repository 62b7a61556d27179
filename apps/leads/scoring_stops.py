"""When a scored lead stops early (DOMAIN.md section 0), as a pure rule next to the scoring rules.

A lead stops when its qualification is under one threshold (unqualified: next steps offered) or its feasibility is
under another (infeasible: blockers shown). Both thresholds are configuration, published with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.leads.scoring_config import ScoringConfig

STOP_UNQUALIFIED = "unqualified"
STOP_INFEASIBLE = "infeasible"
STOP_LABELS = {STOP_UNQUALIFIED: "Unqualified", STOP_INFEASIBLE: "Infeasible"}


@dataclass(frozen=True)
class StopRules:
    """qualification_below / feasibility_below: a rounded score under it stops the lead."""

    qualification_below: Decimal
    feasibility_below: Decimal


@dataclass(frozen=True)
class LeadScoringConfig:
    """One published version of everything the leads app scores with."""

    scoring: ScoringConfig
    stops: StopRules


def stops_for(qualification_score: Decimal, feasibility_score: Decimal, rules: StopRules) -> tuple[str, ...]:
    """The stops that hold for two rounded scores, in a fixed order (unqualified first)."""
    stops = []
    if qualification_score < rules.qualification_below:
        stops.append(STOP_UNQUALIFIED)
    if feasibility_score < rules.feasibility_below:
        stops.append(STOP_INFEASIBLE)
    return tuple(stops)
