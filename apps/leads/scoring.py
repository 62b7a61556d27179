"""Pure lead-scoring rules: qualification, feasibility and success probability.

No Django, no clock, no randomness: frozen dataclasses in (`LeadFacts` and a config from
`scoring_config`), frozen dataclasses out. All arithmetic is Decimal and exact; `round1` is applied once, to
what is reported, and levels and thresholds compare the rounded value.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from apps.core.numbers import HUNDRED, ZERO, ratio_percent, round1, to_decimal
from apps.leads.scoring_config import (
    DISQUALIFIER_CODES,
    AnswerChoice,
    CriterionConfig,
    ProbabilityBand,
    ProbabilityConfig,
    QualificationConfig,
    ServiceTypeConfig,
    TimelineLimit,
    pick_level,
)
from apps.leads.scoring_feasibility import score_feasibility
from apps.leads.scoring_types import (
    ANSWER_KEYS,
    FACT_SOURCES,
    Answers,
    CriterionPart,
    DimensionScore,
    Disqualifier,
    FeasibilityResult,
    Gap,
    LeadFacts,
    ObservedOutcomes,
    ProbabilityResult,
    QualificationResult,
    ServiceFit,
    plain_number,
)

# The public API: the rules, and the input/output types re-exported so callers need one import.
__all__ = [
    "Answers",
    "FeasibilityResult",
    "LeadFacts",
    "ObservedOutcomes",
    "ProbabilityResult",
    "QualificationResult",
    "combined_score",
    "probability_band",
    "score_feasibility",
    "score_qualification",
    "success_probability",
]


# ---------------------------------------------------------------- qualification: criteria


def _source_value(facts: LeadFacts, source: str) -> object:
    if source in ANSWER_KEYS:
        return getattr(facts.answers, source)
    if source in FACT_SOURCES:
        return getattr(facts, source)
    raise ValueError(f"unknown criterion source {source!r}")


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


def _score_criterion(facts: LeadFacts, criterion: CriterionConfig) -> CriterionPart:
    value = _source_value(facts, criterion.source)
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


def _dimensions(parts: Sequence[CriterionPart]) -> tuple[DimensionScore, ...]:
    names = list(dict.fromkeys(part.dimension for part in parts))  # first-seen order, as configured
    result = []
    for name in names:
        earned = sum((p.points for p in parts if p.dimension == name), ZERO)
        available = sum((p.max_points for p in parts if p.dimension == name), ZERO)
        percent = round1(ratio_percent(earned, available))
        result.append(DimensionScore(name, earned, round1(earned), available, percent))
    return tuple(result)


def _biggest_gaps(parts: Sequence[CriterionPart], count: int) -> tuple[Gap, ...]:
    losses = [(p.max_points - p.points, index, p) for index, p in enumerate(parts) if p.points < p.max_points]
    # Most points lost first; equal losses keep config order.
    losses.sort(key=lambda item: (-item[0], item[1]))
    return tuple(Gap(p.key, p.label, lost, round1(lost)) for lost, _, p in losses[:count])


# ---------------------------------------------------------------- qualification: disqualifiers and fit


def _timeline_unrealistic(facts: LeadFacts, limits: Sequence[TimelineLimit]) -> bool:
    return any(limit.complexity == facts.complexity and facts.timeline_weeks < limit.minimum_weeks for limit in limits)


def _conditions(facts: LeadFacts, config: QualificationConfig) -> dict[str, bool]:
    answers = facts.answers
    no_team = facts.team_size == 0
    # Unanswered alignment and communication count as poor: nobody has shown they are in place.
    return {
        "no_stakeholder_alignment": answers.stakeholder_alignment in (None, "poor"),
        "unrealistic_timeline": _timeline_unrealistic(facts, config.timeline_limits),
        "no_existing_team": no_team,
        "no_technical_team": no_team,
        "business_critical_without_fallback": facts.business_criticality == "critical" and not facts.has_fallback_plan,
        "poor_communication_structure": answers.communication_structure in (None, "poor"),
    }


def _all_disqualifiers(facts: LeadFacts, config: QualificationConfig) -> tuple[Disqualifier, ...]:
    labels = {item.code: item.label for item in config.disqualifiers}
    holds = _conditions(facts, config)
    return tuple(Disqualifier(code, labels.get(code, code)) for code in DISQUALIFIER_CODES if holds[code])


def _service_fit(
    service: ServiceTypeConfig,
    score: Decimal,
    parts: Sequence[CriterionPart],
    holding: set[str],
    gap: Decimal,
) -> ServiceFit:
    blocked_by = tuple(code for code in DISQUALIFIER_CODES if code in holding & set(service.blocking_codes))
    by_key = {part.key: part for part in parts}
    key_gaps = tuple(key for key in service.key_factors if by_key[key].points < by_key[key].max_points * gap)
    if blocked_by:
        fit = "blocked"
    elif score >= service.ideal:
        fit = "ideal"
    elif score >= service.minimum:
        fit = "fit"
    else:
        fit = "weak"
    return ServiceFit(service.service_type, fit, blocked_by, key_gaps)


def score_qualification(facts: LeadFacts, config: QualificationConfig) -> QualificationResult:
    """Score a lead's qualification.

    1. Score each criterion from its answer (unanswered earns 0).
    2. score = round1(earned / available x 100); the level compares that rounded score.
    3. Test every disqualifier, then the fit of every service type as if the lead had asked for it.
    """
    parts = tuple(_score_criterion(facts, criterion) for criterion in config.criteria)
    earned = sum((part.points for part in parts), ZERO)
    available = sum((part.max_points for part in parts), ZERO)
    score = round1(ratio_percent(earned, available))
    level = pick_level(score, config.levels)
    every = _all_disqualifiers(facts, config)
    holding = {item.code for item in every}
    fits = tuple(
        _service_fit(service, score, parts, holding, config.key_gap_fraction) for service in config.service_types
    )
    own = next((fit for fit in fits if fit.service_type == facts.service_type), None)
    if own is None:
        raise ValueError(f"no service-type config for {facts.service_type!r}")
    return QualificationResult(
        score=score,
        level=level.key,
        level_label=level.label,
        points_earned=earned,
        points_available=available,
        parts=parts,
        dimensions=_dimensions(parts),
        biggest_gaps=_biggest_gaps(parts, config.biggest_gaps_count),
        unanswered=tuple(part.key for part in parts if not part.answered),
        next_steps=level.next_steps,
        disqualifiers=tuple(item for item in every if item.code in own.blocked_by),
        all_disqualifiers=every,
        service_fit=fits,
    )


# ---------------------------------------------------------------- success probability


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
