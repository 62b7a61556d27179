"""Feasibility: technical, timeline and resource sub-scores, risk factors, blockers, and the approach to take.

Pure: `LeadFacts` and a `FeasibilityConfig` in, a `FeasibilityResult` out, every deduction explained. Decimal
throughout; the overall and the sub-scores are rounded once, to what is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO, clamp, round1
from apps.leads.scoring.config import SUB_SCORE_KEYS, FeasibilityConfig
from apps.leads.scoring.facts import LeadFacts
from apps.leads.scoring.qualification import Disqualifier, plain_number


@dataclass(frozen=True)
class SubScore:
    """A feasibility sub-score: rounded score, its weight in the overall, and one line saying why."""

    key: str
    score: Decimal
    weight: Decimal
    reason: str


@dataclass(frozen=True)
class RiskFactor:
    """A deduction: code, size (points off its own sub-score) and shown text."""

    code: str
    impact: Decimal
    text: str


@dataclass(frozen=True)
class Blocker:
    """A potential blocker: a weak sub-score (code = its key) or a disqualifier (code = its code)."""

    code: str
    text: str


@dataclass(frozen=True)
class FeasibilityResult:
    """The feasibility of a lead. Scores are rounded; estimated_weeks is exact."""

    overall: Decimal
    level: str
    level_label: str
    technical: Decimal
    timeline: Decimal
    resource: Decimal
    budget_score: Decimal
    team_score: Decimal
    sub_scores: tuple[SubScore, ...]
    estimated_weeks: Decimal
    estimated_weeks_rounded_up: int
    risk_factors: tuple[RiskFactor, ...]
    blockers: tuple[Blocker, ...]
    weakest: str
    recommended_approach: str


TECHNICAL_REASON = "100 minus the technical deductions listed as risk factors"


def _contains_any(name: str, keywords: Sequence[str]) -> bool:
    lowered = name.lower()
    return any(keyword.lower() in lowered for keyword in keywords)


def _technical_risks(facts: LeadFacts, config: FeasibilityConfig) -> list[RiskFactor]:
    """One risk factor per technical deduction; the technical score is 100 minus their sum."""
    risks = []
    complexity = {item.complexity: item.points for item in config.complexity_deductions}
    if (points := complexity.get(facts.complexity, ZERO)) > 0:
        label = facts.complexity.replace("_", " ").capitalize()
        text = f"{label} complexity: -{plain_number(points)} technical points"
        risks.append(RiskFactor("complexity", points, text))
    cut = config.risky_technology_deduction
    for tech in facts.technology_preferences:
        if _contains_any(tech, config.risky_technology_keywords):
            text = f"Technology '{tech}' is experimental or pre-release: -{plain_number(cut)} technical points"
            risks.append(RiskFactor("risky_technology", cut, text))
    if count := len(facts.required_integrations):
        points = min(config.integration_deduction * count, config.integration_deduction_cap)
        text = f"{count} required integration(s): -{plain_number(points)} technical points"
        risks.append(RiskFactor("integrations", points, text))
    cut = config.compliance_deduction
    for regime in facts.compliance_requirements:
        if _contains_any(regime, config.compliance_keywords):
            text = f"Compliance regime '{regime}': -{plain_number(cut)} technical points"
            risks.append(RiskFactor("compliance", cut, text))
    return risks


def estimate_weeks(requirements: int, config: FeasibilityConfig) -> Decimal:
    """Exact estimate in weeks for a number of requirements (tiers reuse it for their timeline)."""
    base = config.estimate_base_weeks + config.estimate_weeks_per_requirement * requirements
    ordered = sorted(config.estimate_multipliers, key=lambda item: item.more_than, reverse=True)
    match = next((item for item in ordered if requirements > item.more_than), None)
    return base * match.multiplier if match else base


def timeline_score(requested_weeks: int, estimate: Decimal) -> Decimal:
    """Exact timeline sub-score: 100 when the requested weeks reach the estimate, else their share of it."""
    if estimate <= 0 or requested_weeks >= estimate:
        return HUNDRED
    return Decimal(requested_weeks) / estimate * HUNDRED


def budget_score(budget: Decimal, config: FeasibilityConfig) -> Decimal:
    """Exact budget score, continuous across both breakpoints (see `FeasibilityConfig`)."""
    low, high = config.budget_low_usd, config.budget_high_usd
    if budget >= high:
        return config.budget_high_score
    if budget >= low:
        rise = config.budget_high_score - config.budget_low_score
        return config.budget_low_score + rise * (budget - low) / (high - low)
    return budget / low * config.budget_low_score


def team_score(team_size: int, config: FeasibilityConfig) -> Decimal:
    """Team score of the highest band the team size reaches; 0 when it reaches none."""
    ordered = sorted(config.team_scores, key=lambda item: item.minimum, reverse=True)
    return next((item.score for item in ordered if team_size >= item.minimum), ZERO)


def _timeline_risks(requested: int, estimate: Decimal, score: Decimal) -> list[RiskFactor]:
    if score >= HUNDRED:
        return []
    lost = round1(HUNDRED - score)
    estimate_text = plain_number(round1(estimate))
    text = f"{requested} weeks requested, about {estimate_text} estimated: timeline score -{lost}"
    return [RiskFactor("timeline_shortfall", lost, text)]


class _Memo:
    """The parts of one config's feasibility that depend on a few inputs, each computed once (configs are immutable).

    Budgets vary continuously, but round sums recur: the budget's score and risk line are kept per budget too.
    """

    LIMIT = 10_000

    def __init__(self, config: FeasibilityConfig) -> None:
        self.config = config
        self.technical: dict[tuple, tuple[tuple[RiskFactor, ...], Decimal, SubScore]] = {}
        self.timeline: dict[tuple[int, int], tuple[Decimal, Decimal, tuple[RiskFactor, ...], SubScore, int]] = {}
        self.team: dict[int, Decimal] = {}
        self.budget: dict[Decimal, tuple[Decimal, Decimal, tuple[RiskFactor, ...]]] = {}
        self.team_parts: dict[int, tuple[Decimal, Decimal, tuple[RiskFactor, ...]]] = {}
        self.disqualified: dict[tuple[Disqualifier, ...], tuple[Blocker, ...]] = {}
        self.blockers: dict[tuple[str, Decimal], Blocker] = {}
        self.levels = sorted(config.levels, key=lambda band: band.minimum, reverse=True)
        self.best_team = max((item.score for item in config.team_scores), default=ZERO)
        self.full_budget_text = f"${config.budget_high_usd:,.0f}"

    def remember(self, table: dict, key: object, value: Any) -> Any:
        if len(table) >= self.LIMIT:
            table.clear()
        table[key] = value
        return value


_MEMOS: dict[int, _Memo] = {}


def _memo_for(config: FeasibilityConfig) -> _Memo:
    memo = _MEMOS.get(id(config))
    if memo is None or memo.config is not config:
        if len(_MEMOS) >= 32:
            _MEMOS.clear()
        # The entry holds the config, so its id cannot be reused by another object while it is cached.
        memo = _MEMOS[id(config)] = _Memo(config)
    return memo


def _technical(facts: LeadFacts, memo: _Memo) -> tuple[tuple[RiskFactor, ...], Decimal, SubScore]:
    """Technical risks, the exact technical score and its sub-score line."""
    key = (
        facts.complexity,
        facts.technology_preferences,
        len(facts.required_integrations),
        facts.compliance_requirements,
    )
    try:
        hit = memo.technical.get(key)
    except TypeError:  # list answers holding lists or dicts cannot be a key (and the rules will refuse them)
        hit, key = None, None
    if hit is None:
        risks = tuple(_technical_risks(facts, memo.config))
        technical = clamp(HUNDRED - sum((risk.impact for risk in risks), ZERO))
        line = SubScore("technical", round1(technical), memo.config.technical_weight, TECHNICAL_REASON)
        hit = (risks, technical, line) if key is None else memo.remember(memo.technical, key, (risks, technical, line))
    return hit


def _timeline(facts: LeadFacts, memo: _Memo) -> tuple[Decimal, Decimal, tuple[RiskFactor, ...], SubScore, int]:
    """The estimate, the exact timeline score, its risk, its sub-score line and the estimate rounded up."""
    key = (len(facts.requirements), facts.timeline_weeks)
    hit = memo.timeline.get(key)
    if hit is None:
        estimate = estimate_weeks(key[0], memo.config)
        timeline = timeline_score(facts.timeline_weeks, estimate)
        reason = f"Requested weeks against an estimate of {plain_number(round1(estimate))} weeks"
        line = SubScore("timeline", round1(timeline), memo.config.timeline_weight, reason)
        rounded_up = int(estimate.to_integral_value(rounding=ROUND_CEILING))
        risks = tuple(_timeline_risks(facts.timeline_weeks, estimate, timeline))
        hit = memo.remember(memo.timeline, key, (estimate, timeline, risks, line, rounded_up))
    return hit


def _team(facts: LeadFacts, memo: _Memo) -> Decimal:
    team = memo.team.get(facts.team_size)
    if team is None:
        team = memo.remember(memo.team, facts.team_size, team_score(facts.team_size, memo.config))
    return team


def _budget(facts: LeadFacts, memo: _Memo) -> tuple[Decimal, Decimal, tuple[RiskFactor, ...]]:
    """The exact budget score, rounded, and its risk line (a budget under the full-score breakpoint)."""
    hit = memo.budget.get(facts.budget_usd)
    if hit is None:
        config = memo.config
        budget = budget_score(facts.budget_usd, config)
        risks: tuple[RiskFactor, ...] = ()
        if budget < config.budget_high_score:
            lost = round1(config.budget_high_score - budget)
            text = f"Budget ${facts.budget_usd:,.0f} is below {memo.full_budget_text}: budget score -{lost}"
            risks = (RiskFactor("budget_shortfall", lost, text),)
        hit = memo.remember(memo.budget, facts.budget_usd, (budget, round1(budget), risks))
    return hit


def _team_parts(facts: LeadFacts, memo: _Memo) -> tuple[Decimal, Decimal, tuple[RiskFactor, ...]]:
    """The exact team score, rounded, and its risk line (a team under the best team score)."""
    hit = memo.team_parts.get(facts.team_size)
    if hit is None:
        team = _team(facts, memo)
        risks: tuple[RiskFactor, ...] = ()
        if team < memo.best_team:
            lost = round1(memo.best_team - team)
            if facts.team_size == 0:
                risks = (RiskFactor("no_team", lost, f"No in-house developers: team score -{lost}"),)
            else:
                text = f"Team of {facts.team_size} developer(s): team score -{lost}"
                risks = (RiskFactor("small_team", lost, text),)
        hit = memo.remember(memo.team_parts, facts.team_size, (team, round1(team), risks))
    return hit


def _disqualified(disqualifiers: Sequence[Disqualifier], memo: _Memo) -> tuple[Blocker, ...]:
    key = tuple(disqualifiers)
    blockers = memo.disqualified.get(key)
    if blockers is None:
        blockers = memo.remember(memo.disqualified, key, tuple(Blocker(item.code, item.label) for item in key))
    return blockers


def _weak_blocker(key: str, rounded: Decimal, memo: _Memo) -> Blocker:
    blocker = memo.blockers.get((key, rounded))
    if blocker is None:
        text = f"{key.capitalize()} score {rounded} is under {plain_number(memo.config.blocker_threshold)}"
        blocker = memo.remember(memo.blockers, (key, rounded), Blocker(key, text))
    return blocker


def score_feasibility(
    facts: LeadFacts, config: FeasibilityConfig, disqualifiers: Sequence[Disqualifier] = ()
) -> FeasibilityResult:
    """Score a lead's feasibility.

    1. Technical, timeline and resource sub-scores, exact.
    2. overall = weighted sum of the exact sub-scores, rounded once; the level compares the rounded overall.
    3. Risk factors (every deduction), blockers (rounded sub-scores under the threshold, and the
       `disqualifiers` passed in, normally `QualificationResult.disqualifiers`), and the approach for the
       weakest sub-score.
    """
    memo = _memo_for(config)
    technical_risks, technical, technical_line = _technical(facts, memo)
    estimate, timeline, timeline_risks, timeline_line, rounded_up = _timeline(facts, memo)
    budget, budget_rounded, budget_risks = _budget(facts, memo)
    team, team_rounded, team_risks = _team_parts(facts, memo)
    exact = {"technical": technical, "timeline": timeline, "resource": (budget + team) / 2}
    overall = round1(
        config.technical_weight * technical
        + config.timeline_weight * timeline
        + config.resource_weight * exact["resource"]
    )
    level = next((band for band in memo.levels if overall >= band.minimum), memo.levels[-1])
    rounded = {
        "technical": technical_line.score,
        "timeline": timeline_line.score,
        "resource": round1(exact["resource"]),
    }
    # min() keeps the first of equal scores, so ties go to the approach listed first in the config.
    weakest = min(config.approaches, key=lambda approach: exact[approach.sub_score])
    resource_reason = f"Mean of budget score {budget_rounded} and team score {team_rounded}"
    resource_line = SubScore("resource", rounded["resource"], config.resource_weight, resource_reason)
    weak = [_weak_blocker(key, rounded[key], memo) for key in SUB_SCORE_KEYS if rounded[key] < config.blocker_threshold]
    return FeasibilityResult(
        overall=overall,
        level=level.key,
        level_label=level.label,
        technical=rounded["technical"],
        timeline=rounded["timeline"],
        resource=rounded["resource"],
        budget_score=budget_rounded,
        team_score=team_rounded,
        sub_scores=(technical_line, timeline_line, resource_line),
        estimated_weeks=estimate,
        estimated_weeks_rounded_up=rounded_up,
        risk_factors=technical_risks + timeline_risks + budget_risks + team_risks,
        blockers=(*weak, *_disqualified(disqualifiers, memo)),
        weakest=weakest.sub_score,
        recommended_approach=weakest.text,
    )
