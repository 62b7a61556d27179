"""Qualification: how well a lead answers the criteria, which disqualifiers hold, and how it fits each service.

Pure: `LeadFacts` and a `QualificationConfig` in, a `QualificationResult` out, every part explained. All
arithmetic is Decimal and exact; `round1` is applied once, to what is reported, and levels compare the rounded
score. A config is compiled once into lookup tables (`_Rules`), and a criterion's part depends only on its
source value, so each distinct answer is scored once per config: a rescore of thousands of leads reuses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apps.core.numbers import HUNDRED, ZERO, ratio_percent, round1, to_decimal
from apps.leads.scoring.config import (
    DISQUALIFIER_CODES,
    AnswerChoice,
    CriterionConfig,
    QualificationConfig,
)
from apps.leads.scoring.facts import ANSWER_KEYS, FACT_SOURCES, LeadFacts

FITS = ("blocked", "ideal", "fit", "weak")


def plain_number(value: Decimal) -> str:
    """A Decimal as people write it in a reason line: 60 not 60.00, 0.5 not 0.50."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- what a qualification hands back


@dataclass(frozen=True)
class CriterionPart:
    """One criterion as scored: what was answered, what it earned, and one line saying why.

    points is exact; points_rounded is for display. answer is display text, None when unanswered.
    """

    key: str
    dimension: str
    label: str
    answered: bool
    answer: str | None
    fraction: Decimal
    points: Decimal
    points_rounded: Decimal
    max_points: Decimal
    reason: str


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's share of its own points; percent is rounded once."""

    name: str
    points: Decimal
    points_rounded: Decimal
    max_points: Decimal
    percent: Decimal


@dataclass(frozen=True)
class Gap:
    """A criterion that lost points: how many (exact and for display)."""

    key: str
    label: str
    points_lost: Decimal
    points_lost_rounded: Decimal


@dataclass(frozen=True)
class Disqualifier:
    """A disqualifier that holds: its code and shown text."""

    code: str
    label: str


@dataclass(frozen=True)
class ServiceFit:
    """How the lead fits one service type: fit is one of FITS; blocked_by lists the codes that block it."""

    service_type: str
    fit: str
    blocked_by: tuple[str, ...]
    key_gaps: tuple[str, ...]


@dataclass(frozen=True)
class QualificationResult:
    """The qualification of a lead, with every part needed to explain it."""

    score: Decimal
    level: str
    level_label: str
    points_earned: Decimal
    points_available: Decimal
    parts: tuple[CriterionPart, ...]
    dimensions: tuple[DimensionScore, ...]
    biggest_gaps: tuple[Gap, ...]
    unanswered: tuple[str, ...]
    next_steps: tuple[str, ...]
    disqualifiers: tuple[Disqualifier, ...]
    all_disqualifiers: tuple[Disqualifier, ...]
    service_fit: tuple[ServiceFit, ...]

    def fit_for(self, service_type: str) -> ServiceFit:
        """The fit for one service type (KeyError when the config has no such type)."""
        for fit in self.service_fit:
            if fit.service_type == service_type:
                return fit
        raise KeyError(service_type)

    def dimension(self, name: str) -> DimensionScore:
        """One dimension by name (KeyError when no criterion uses it)."""
        for dimension in self.dimensions:
            if dimension.name == name:
                return dimension
        raise KeyError(name)


# ---------------------------------------------------------------- one criterion


def _find_choice(criterion: CriterionConfig, key: str) -> AnswerChoice | None:
    return next((choice for choice in criterion.choices if choice.value == key), None)


def _evaluate_choice(criterion: CriterionConfig, value: object) -> tuple[Decimal, str]:
    key = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    choice = _find_choice(criterion, key)
    # An answer the config no longer lists earns nothing rather than failing the whole page.
    return (choice.fraction, choice.label) if choice else (ZERO, key)


def _evaluate_non_empty(criterion: CriterionConfig, value: object) -> tuple[Decimal, str]:
    items = tuple(value)  # type: ignore[call-overload]
    choice = _find_choice(criterion, "yes" if items else "no")
    fraction = choice.fraction if choice else ZERO
    return fraction, ", ".join(items) if items else (choice.label if choice else "none")


def _evaluate_band(criterion: CriterionConfig, value: object) -> tuple[Decimal, str]:
    number = to_decimal(value)  # type: ignore[arg-type]
    if criterion.kind == "at_least":
        ordered = sorted(criterion.bands, key=lambda band: band.limit, reverse=True)
        match = next((band for band in ordered if number >= band.limit), None)
    else:
        ordered = sorted(criterion.bands, key=lambda band: band.limit)
        match = next((band for band in ordered if number <= band.limit), None)
    return (match.fraction if match else criterion.fallback_fraction), str(value)


_EVALUATORS = {
    "choice": _evaluate_choice,
    "non_empty": _evaluate_non_empty,
    "at_least": _evaluate_band,
    "at_most": _evaluate_band,
}


def score_criterion(criterion: CriterionConfig, value: object) -> CriterionPart:
    """Score one criterion from its source value (None: unanswered, earns 0)."""
    answered = value is not None
    if answered:
        fraction, answer = _EVALUATORS[criterion.kind](criterion, value)
        lead = criterion.answer_template.format(label=criterion.label, answer=answer)
        reason = f"{lead}: {plain_number(fraction * HUNDRED)}% of {plain_number(criterion.points)} points"
    else:
        fraction, answer = ZERO, None
        reason = f"{criterion.label}: not answered, 0 of {plain_number(criterion.points)} points"
    points = criterion.points * fraction
    return CriterionPart(
        key=criterion.key,
        dimension=criterion.dimension,
        label=criterion.label,
        answered=answered,
        answer=answer,
        fraction=fraction,
        points=points,
        points_rounded=round1(points),
        max_points=criterion.points,
        reason=reason,
    )


def _memo_key(value: object) -> object:
    """A dict key that tells apart values that compare equal but read differently (True/1, 5000/5000.00)."""
    kind = type(value)
    if value is None or kind is str or kind is tuple:
        return value
    return (kind, str(value) if kind is Decimal or kind is float else value)


class _Criterion:
    """A compiled criterion: where its value comes from, and the part each distinct value earned."""

    MEMO_LIMIT = 10_000  # free-text list answers could grow the memo without end

    def __init__(self, config: CriterionConfig) -> None:
        if config.source not in ANSWER_KEYS and config.source not in FACT_SOURCES:
            raise ValueError(f"unknown criterion source {config.source!r}")
        self.config = config
        self.source = config.source
        self.from_answers = config.source in ANSWER_KEYS
        self.memo: dict[object, CriterionPart] = {}

    def part(self, facts: LeadFacts) -> CriterionPart:
        value = getattr(facts.answers if self.from_answers else facts, self.source)
        key = _memo_key(value)
        try:
            part = self.memo.get(key)
        except TypeError:  # a list answer holding lists or dicts cannot be a key: score it afresh
            return score_criterion(self.config, value)
        if part is None:
            if len(self.memo) >= self.MEMO_LIMIT:
                self.memo.clear()
            part = self.memo[key] = score_criterion(self.config, value)
        return part


# ---------------------------------------------------------------- the compiled config


class _Rules:
    """One QualificationConfig as lookup tables, built once (configs are immutable)."""

    def __init__(self, config: QualificationConfig) -> None:
        self.config = config
        self.criteria = tuple(_Criterion(criterion) for criterion in config.criteria)
        self.available = sum((criterion.points for criterion in config.criteria), ZERO)
        self.levels = sorted(config.levels, key=lambda band: band.minimum, reverse=True)
        # Dimensions in first-seen order, as configured, with the positions of their criteria.
        names = list(dict.fromkeys(criterion.dimension for criterion in config.criteria))
        self.dimensions = [(name, [i for i, c in enumerate(config.criteria) if c.dimension == name]) for name in names]
        labels = {item.code: item.label for item in config.disqualifiers}
        self.disqualifiers = {code: Disqualifier(code, labels.get(code, code)) for code in DISQUALIFIER_CODES}
        minimums: dict[str, int] = {}
        for limit in config.timeline_limits:
            minimums[limit.complexity] = max(minimums.get(limit.complexity, 0), limit.minimum_weeks)
        self.minimum_weeks = minimums
        # The last criterion of a key wins, as a dict built from the parts would have it.
        position = {criterion.key: i for i, criterion in enumerate(config.criteria)}
        self.services = [
            (
                service,
                set(service.blocking_codes),
                [(key, position[key]) for key in service.key_factors],
                {},  # memo: (fit, blocked_by, key_gaps) -> ServiceFit
            )
            for service in config.service_types
        ]
        # Whole results by what they are made of: the parts (by identity), the disqualifiers that hold and the
        # lead's service type. Leads with the same answers share one result (and so one JSON text).
        self.results: dict[tuple, tuple[tuple[CriterionPart, ...], QualificationResult]] = {}
        # The same for the pieces, for leads whose answers differ somewhere: a dimension's score depends only on
        # its parts, and a part's gap only on the part.
        self.dimension_memos: list[dict[tuple[int, ...], tuple[tuple[CriterionPart, ...], DimensionScore]]] = [
            {} for _ in self.dimensions
        ]
        self.gaps: dict[int, tuple[CriterionPart, Decimal, Gap | None]] = {}

    def level(self, score: Decimal) -> Any:
        return next((band for band in self.levels if score >= band.minimum), self.levels[-1])


_COMPILED: dict[int, _Rules] = {}


def _rules_for(config: QualificationConfig) -> _Rules:
    rules = _COMPILED.get(id(config))
    if rules is None or rules.config is not config:
        if len(_COMPILED) >= 32:
            _COMPILED.clear()
        # The entry holds the config, so its id cannot be reused by another object while it is cached.
        rules = _COMPILED[id(config)] = _Rules(config)
    return rules


# ---------------------------------------------------------------- qualification: the parts summed up


MEMO_LIMIT = 10_000


def _dimensions(rules: _Rules, parts: Sequence[CriterionPart]) -> tuple[DimensionScore, ...]:
    result = []
    for (name, positions), memo in zip(rules.dimensions, rules.dimension_memos, strict=True):
        own = tuple([parts[i] for i in positions])
        # The entry holds its parts, so no other object can take their ids while it is kept.
        key = tuple(map(id, own))
        hit = memo.get(key)
        if hit is None or hit[0] != own:
            earned = sum((part.points for part in own), ZERO)
            available = sum((part.max_points for part in own), ZERO)
            percent = round1(ratio_percent(earned, available))
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            hit = memo[key] = (own, DimensionScore(name, earned, round1(earned), available, percent))
        result.append(hit[1])
    return tuple(result)


def _gap(rules: _Rules, part: CriterionPart) -> tuple[CriterionPart, Decimal, Gap | None]:
    """The points a part lost and its Gap (None when it lost none), kept per part."""
    hit = rules.gaps.get(id(part))
    if hit is None or hit[0] is not part:
        lost = part.max_points - part.points
        gap = Gap(part.key, part.label, lost, round1(lost)) if part.points < part.max_points else None
        if len(rules.gaps) >= MEMO_LIMIT:
            rules.gaps.clear()
        hit = rules.gaps[id(part)] = (part, lost, gap)
    return hit


def _biggest_gaps(rules: _Rules, parts: Sequence[CriterionPart], count: int) -> tuple[Gap, ...]:
    losses = []
    for index, part in enumerate(parts):
        _, lost, gap = _gap(rules, part)
        if gap is not None:
            losses.append((lost, index, gap))
    # Most points lost first; equal losses keep config order.
    losses.sort(key=lambda item: (-item[0], item[1]))
    return tuple(gap for _, _, gap in losses[:count])


# ---------------------------------------------------------------- qualification: disqualifiers and fit


def _conditions(facts: LeadFacts, rules: _Rules) -> dict[str, bool]:
    answers = facts.answers
    no_team = facts.team_size == 0
    minimum_weeks = rules.minimum_weeks.get(facts.complexity)
    # Unanswered alignment and communication count as poor: nobody has shown they are in place.
    return {
        "no_stakeholder_alignment": answers.stakeholder_alignment in (None, "poor"),
        "unrealistic_timeline": minimum_weeks is not None and facts.timeline_weeks < minimum_weeks,
        "no_existing_team": no_team,
        "no_technical_team": no_team,
        "business_critical_without_fallback": facts.business_criticality == "critical" and not facts.has_fallback_plan,
        "poor_communication_structure": answers.communication_structure in (None, "poor"),
    }


def _service_fits(
    rules: _Rules, score: Decimal, parts: Sequence[CriterionPart], holding: set[str]
) -> tuple[ServiceFit, ...]:
    gap = rules.config.key_gap_fraction
    fits = []
    for service, blocking, key_factors, memo in rules.services:
        blocked_by = tuple(code for code in DISQUALIFIER_CODES if code in holding and code in blocking)
        key_gaps = tuple(key for key, i in key_factors if parts[i].points < parts[i].max_points * gap)
        if blocked_by:
            fit = "blocked"
        elif score >= service.ideal:
            fit = "ideal"
        elif score >= service.minimum:
            fit = "fit"
        else:
            fit = "weak"
        # Few combinations occur, so the same ServiceFit object serves many leads.
        key = (fit, blocked_by, key_gaps)
        item = memo.get(key)
        if item is None:
            item = memo[key] = ServiceFit(service.service_type, fit, blocked_by, key_gaps)
        fits.append(item)
    return tuple(fits)


def score_qualification(facts: LeadFacts, config: QualificationConfig) -> QualificationResult:
    """Score a lead's qualification.

    1. Score each criterion from its answer (unanswered earns 0).
    2. score = round1(earned / available x 100); the level compares that rounded score.
    3. Test every disqualifier, then the fit of every service type as if the lead had asked for it.
    """
    rules = _rules_for(config)
    parts = tuple([criterion.part(facts) for criterion in rules.criteria])
    holds = _conditions(facts, rules)
    # The result depends on nothing else; the entry holds the parts, so no other object can take their ids.
    key = (*map(id, parts), *holds.values(), facts.service_type)
    hit = rules.results.get(key)
    if hit is not None and hit[0] == parts:
        return hit[1]
    result = _qualification(rules, facts, parts, holds)
    if len(rules.results) >= RESULTS_LIMIT:
        rules.results.clear()
    rules.results[key] = (parts, result)
    return result


RESULTS_LIMIT = 5_000  # results hold 18 parts each; free-text answers could make them all differ


def _qualification(
    rules: _Rules, facts: LeadFacts, parts: tuple[CriterionPart, ...], holds: dict[str, bool]
) -> QualificationResult:
    config = rules.config
    earned = sum((part.points for part in parts), ZERO)
    score = round1(ratio_percent(earned, rules.available))
    level = rules.level(score)
    every = tuple(rules.disqualifiers[code] for code in DISQUALIFIER_CODES if holds[code])
    fits = _service_fits(rules, score, parts, {item.code for item in every})
    own = next((fit for fit in fits if fit.service_type == facts.service_type), None)
    if own is None:
        raise ValueError(f"no service-type config for {facts.service_type!r}")
    return QualificationResult(
        score=score,
        level=level.key,
        level_label=level.label,
        points_earned=earned,
        points_available=rules.available,
        parts=parts,
        dimensions=_dimensions(rules, parts),
        biggest_gaps=_biggest_gaps(rules, parts, config.biggest_gaps_count),
        unanswered=tuple(part.key for part in parts if not part.answered),
        next_steps=level.next_steps,
        disqualifiers=tuple(item for item in every if item.code in own.blocked_by),
        all_disqualifiers=every,
        service_fit=fits,
    )
