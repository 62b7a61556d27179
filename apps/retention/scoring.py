"""Customer health, churn risk, expansion potential and retention strategy: pure rules (DOMAIN section 6).

No ORM and no clock: `HealthInputs` come from `loader.py`, `HealthConfig` from the admin-edited configuration.
Everything is exact Decimal; the health score and churn risk are rounded half-up to one decimal once, at the end,
and bands and rules compare the rounded values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from apps.core.numbers import HUNDRED, ZERO, round1
from apps.retention.registry import LABELS, SIGNAL_LABELS
from apps.retention.scoring_types import (
    ChurnResult,
    ComponentResult,
    Factor,
    HealthConfig,
    HealthInputs,
    HealthResult,
    Opportunity,
    PartResult,
    Source,
    StrategyResult,
)

PartValue = tuple[Decimal | None, str]


def _mean(values: Sequence[int]) -> Decimal:
    return Decimal(sum(values)) / Decimal(len(values))


def _num(value: Decimal | int) -> str:
    """A figure for a sentence: 7.5, 12, 66.7."""
    text = f"{round1(value):f}"
    return text[:-2] if text.endswith(".0") else text


def nps_value(scores: Sequence[int], *, detractor_max: int, promoter_min: int) -> Decimal:
    """NPS = % promoters - % detractors (-100..100), exact."""
    promoters = sum(1 for s in scores if s >= promoter_min)
    detractors = sum(1 for s in scores if s <= detractor_max)
    return Decimal(promoters - detractors) * HUNDRED / Decimal(len(scores))


def _csat(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.csat_scores:
        return None, "No CSAT answer in the last 90 days."
    mean = _mean(i.csat_scores)
    return mean * 10, f"Mean CSAT {_num(mean)} of {len(i.csat_scores)} answer(s) x 10."


def _nps(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.nps_scores:
        return None, "No NPS answer in the last 90 days."
    nps = nps_value(i.nps_scores, detractor_max=c.detractor_max, promoter_min=c.promoter_min)
    return (nps + HUNDRED) / 2, f"NPS {_num(nps)} from {len(i.nps_scores)} answer(s), mapped (NPS + 100) / 2."


def _support(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.support_scores:
        return None, "No support rating yet (asked when a recovery action or claim closes)."
    mean = _mean(i.support_scores)
    return mean * 10, f"Mean support CSAT {_num(mean)} of {len(i.support_scores)} answer(s) x 10."


def _sentiment(i: HealthInputs, c: HealthConfig) -> PartValue:
    if i.sentiment is None:
        return None, "No review recorded yet."
    return Decimal(i.sentiment) * 10, f"Sentiment {i.sentiment}/10 at the latest review x 10."


def _capped_ratio(count: int, target: Decimal) -> Decimal:
    return min(Decimal(count) / target, Decimal(1)) * HUNDRED if target > 0 else HUNDRED


def _active_days(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.stakeholders_with_login:
        return None, "No stakeholder has a client-view login."
    value = _capped_ratio(i.active_days, c.active_days_target)
    return value, f"{i.active_days} active day(s) in 30 of a target of {_num(c.active_days_target)}."


def _features(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.stakeholders_with_login or not i.features_total:
        return None, "No stakeholder has a client-view login."
    value = Decimal(i.features_used) / Decimal(i.features_total) * HUNDRED
    return value, f"{i.features_used} of {i.features_total} client-view features used in 30 days."


def _touchpoints(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.touchpoints_ever:
        return None, "No touchpoint logged yet."
    value = _capped_ratio(i.touchpoints_30d, c.touchpoints_target)
    return value, f"{i.touchpoints_30d} touchpoint(s) in 30 days of a target of {_num(c.touchpoints_target)}."


def _response_rate(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.invited_90d:
        return None, "No survey sent in the last 90 days."
    value = Decimal(i.answered_90d) / Decimal(i.invited_90d) * HUNDRED
    return value, f"{i.answered_90d} of {i.invited_90d} invitation(s) answered in 90 days."


def _succeeded(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.milestones_scored:
        return None, "No milestone scored yet."
    value = Decimal(i.milestones_succeeded) / Decimal(i.milestones_scored) * HUNDRED
    return value, f"{i.milestones_succeeded} of {i.milestones_scored} scored milestone(s) succeeded."


def _on_time(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.milestones_due:
        return None, "No milestone due yet."
    value = Decimal(i.milestones_on_time) / Decimal(i.milestones_due) * HUNDRED
    return value, f"{i.milestones_on_time} of {i.milestones_due} due milestone(s) signed off by their due date."


def _quality(i: HealthInputs, c: HealthConfig) -> PartValue:
    if i.quality_score is None:
        return None, "No quality-gate run recorded."
    return i.quality_score, f"Latest quality-gate comprehensive score {_num(i.quality_score)}."


def _review_figure(name: str, label: str) -> Callable[[HealthInputs, HealthConfig], PartValue]:
    """`label` starts a sentence ("ROI achieved 80 at the latest review.")."""

    def value(i: HealthInputs, c: HealthConfig) -> PartValue:
        figure = getattr(i, name)
        if figure is None:
            return None, "Not entered at a review yet."
        return Decimal(figure), f"{label} {_num(figure)} at the latest review."

    return value


def _stakeholders_active(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.stakeholders_with_login:
        return None, "No stakeholder has a client-view login."
    active = min(i.stakeholders_active, i.stakeholders_with_login)
    value = Decimal(active) / Decimal(i.stakeholders_with_login) * HUNDRED
    return value, f"{active} of {i.stakeholders_with_login} stakeholder(s) with a login active in 30 days."


def _sponsor(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.has_sponsor_login:
        return None, "No executive has a client-view login."
    if i.sponsor_active:
        return HUNDRED, "An executive was active in the client view in 30 days."
    return ZERO, "No executive was active in the client view in 30 days."


def _escalations(i: HealthInputs, c: HealthConfig) -> PartValue:
    if not i.has_guarantee and not i.open_claims:
        return None, "No guarantee yet, so nothing to escalate."
    n = i.open_escalations
    value = max(ZERO, HUNDRED - c.escalation_penalty * n)
    detail = f"{i.failed_weeks} failed week(s), {i.open_claims} open claim(s)"
    return value, f"{detail}: 100 - {_num(c.escalation_penalty)} x {n}, floor 0."


PART_RULES: dict[str, Callable[[HealthInputs, HealthConfig], PartValue]] = {
    "csat": _csat,
    "nps": _nps,
    "support_rating": _support,
    "sentiment": _sentiment,
    "active_days": _active_days,
    "features_used": _features,
    "touchpoints": _touchpoints,
    "survey_response_rate": _response_rate,
    "milestones_succeeded": _succeeded,
    "signed_off_on_time": _on_time,
    "quality_score": _quality,
    "roi_achieved": _review_figure("roi_achieved", "ROI achieved"),
    "business_impact": _review_figure("business_impact", "Business impact"),
    "goals_met": _review_figure("goals_met", "Success-plan goals met"),
    "stakeholders_active": _stakeholders_active,
    "sponsor_engaged": _sponsor,
    "open_escalations": _escalations,
}


def weighted_mean(items: Sequence[tuple[Decimal, Decimal | None]]) -> tuple[Decimal | None, Decimal]:
    """(weight, value) pairs; those without a value are left out, their weight shared. -> (mean, weight with data)."""
    with_data = [(w, v) for w, v in items if v is not None]
    total = sum((w for w, _ in with_data), ZERO)
    if not with_data or total <= 0:
        return None, ZERO
    return sum((w / total * v for w, v in with_data), ZERO), total


def _share(weight: Decimal, total: Decimal, has_data: bool) -> Decimal:
    return weight / total if has_data and total > 0 else ZERO


def score_component(key: str, weights: Sequence, inputs: HealthInputs, config: HealthConfig) -> tuple:
    """-> (exact score or None, parts)."""
    raw = [(part, *PART_RULES[part.key](inputs, config)) for part in weights]
    exact, total = weighted_mean([(part.weight, value) for part, value, _ in raw])
    parts = tuple(
        PartResult(
            key=part.key,
            weight=part.weight,
            effective_weight=_share(part.weight, total, value is not None),
            value=value,
            reason=reason,
            sources=inputs.sources.get(part.key, ()) if value is not None else (),
        )
        for part, value, reason in raw
    )
    return exact, parts


def band_for(score: Decimal | None, bands: Sequence[tuple[str, Decimal]]) -> str | None:
    """The first band whose lower limit the (rounded) score reaches; under them all: critical."""
    if score is None:
        return None
    return next((key for key, limit in bands if score >= limit), "critical")


def trend(score: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if score is None or before is None else round1(score - before)


def _nps_reason(nps: int | None, detractor: bool) -> str:
    if nps is None:
        return "No NPS answer yet."
    return f"Latest NPS answer {nps}" + (" (a detractor)." if detractor else ".")


def churn_risk(
    *, health: Decimal | None, trend_30d: Decimal | None, inputs: HealthInputs, config: HealthConfig
) -> ChurnResult:
    """Each factor listed, with 0 points when it does not apply; capped, rounded once."""
    c = config.churn
    if health is None:
        low = Factor("low_health", c.missing_health_points, f"No health score: {_num(c.missing_health_points)} points.")
    else:
        points = c.health_multiplier * (HUNDRED - health)
        low = Factor("low_health", points, f"{_num(c.health_multiplier)} x (100 - {_num(health)}) = {_num(points)}.")
    falling = trend_30d is not None and trend_30d <= -c.falling_trend_drop
    trend_text = "no 30-day trend yet" if trend_30d is None else f"30-day trend {_num(trend_30d)}"
    n = inputs.open_escalations
    nps = inputs.latest_nps
    detractor = nps is not None and nps <= config.detractor_max
    factors = (
        low,
        Factor(
            "falling_trend",
            c.falling_trend_points if falling else ZERO,
            f"{trend_text.capitalize()}; counts when it fell by {_num(c.falling_trend_drop)} or more.",
        ),
        Factor(
            "open_escalation",
            c.open_escalation_points if n else ZERO,
            f"{n} open escalation(s)." if n else "No open escalation.",
        ),
        Factor("detractor", c.detractor_points if detractor else ZERO, _nps_reason(nps, detractor)),
        Factor(
            "inactive",
            ZERO if inputs.active_days else c.inactive_points,
            f"{inputs.active_days} day(s) of client-view activity in 30 days.",
        ),
    )
    total = min(sum((f.points for f in factors), ZERO), c.cap)
    return ChurnResult(score=round1(total), factors=factors)


def opportunities(inputs: HealthInputs, config: HealthConfig, csat_mean: Decimal | None) -> tuple[Opportunity, ...]:
    signals = set(inputs.signals)
    if csat_mean is not None and csat_mean >= config.satisfaction_trigger:
        signals.add("satisfaction_at_least_8")
    result = []
    for kind in config.expansion_types:
        met = tuple(t for t in kind.triggers if t in signals)
        share = Decimal(len(met)) / Decimal(len(kind.triggers)) if kind.triggers else ZERO
        value = None if inputs.latest_project_value is None else inputs.latest_project_value * kind.multiplier
        result.append(
            Opportunity(
                key=kind.key,
                label=kind.label,
                triggers_met=met,
                triggers_missing=tuple(t for t in kind.triggers if t not in signals),
                share_met=share,
                qualified=len(met) >= kind.qualified_at,
                probability=kind.base_probability * share,
                value=value,
            )
        )
    return tuple(result)


def strategy_for(
    *,
    health: Decimal | None,
    churn: Decimal,
    escalations: int,
    potential: Decimal | None,
    satisfaction: Decimal | None,
    config: HealthConfig,
) -> StrategyResult:
    """The first rule that matches. Rules on health do not match when there is no health score."""
    s = config.strategy
    h = _num(health) if health is not None else "none"
    if health is not None and health < s.critical_health_below:
        return StrategyResult("critical_intervention", f"Health {h} is under {_num(s.critical_health_below)}.")
    if churn >= s.critical_churn_at:
        return StrategyResult("critical_intervention", f"Churn risk {_num(churn)} >= {_num(s.critical_churn_at)}.")
    if health is not None and health < s.recovery_health_below:
        return StrategyResult("at_risk_recovery", f"Health {h} is under {_num(s.recovery_health_below)}.")
    if escalations >= s.recovery_escalations_at:
        return StrategyResult("at_risk_recovery", f"{escalations} open escalations (>= {s.recovery_escalations_at}).")
    if health is not None and health < s.improvement_health_below:
        return StrategyResult("improvement", f"Health {h} is under {_num(s.improvement_health_below)}.")
    if (
        potential is not None
        and potential >= s.expansion_potential_at
        and satisfaction is not None
        and satisfaction >= s.expansion_satisfaction_at
    ):
        return StrategyResult("expansion", f"Expansion potential {_num(potential)}, satisfaction {_num(satisfaction)}.")
    if health is None:
        return StrategyResult("nurture", "No health score yet and no other rule matched.")
    return StrategyResult("nurture", f"Health {h}: no earlier rule matched.")


def score_health(inputs: HealthInputs, config: HealthConfig) -> HealthResult:
    """1. each part from its data; 2. each component from its parts with data; 3. the score from the components with
    data; 4. band, trends, churn risk, expansion and strategy from the rounded score."""
    scored = [(comp, *score_component(comp.key, comp.parts, inputs, config)) for comp in config.components]
    exact, total = weighted_mean([(comp.weight, value) for comp, value, _ in scored])
    components = tuple(
        ComponentResult(
            key=comp.key,
            weight=comp.weight,
            effective_weight=_share(comp.weight, total, value is not None),
            score=value,
            parts=parts,
        )
        for comp, value, parts in scored
    )
    score = None if exact is None else round1(exact)
    trend_30d, trend_90d = trend(score, inputs.score_30d_ago), trend(score, inputs.score_90d_ago)
    churn = churn_risk(health=score, trend_30d=trend_30d, inputs=inputs, config=config)
    csat_mean = _mean(inputs.csat_scores) if inputs.csat_scores else None
    opps = opportunities(inputs, config, csat_mean)
    potential = max((o.share_met for o in opps), default=None)
    potential = None if potential is None else round1(potential * HUNDRED)
    satisfaction = next((c.score for c in components if c.key == "satisfaction"), None)
    strategy = strategy_for(
        health=score,
        churn=churn.score,
        escalations=inputs.open_escalations,
        potential=potential,
        satisfaction=None if satisfaction is None else round1(satisfaction),
        config=config,
    )
    missing = tuple(f"{LABELS[p.key]}: {p.reason}" for c in components for p in c.parts if p.value is None)
    return HealthResult(
        score=score,
        band=band_for(score, config.bands),
        components=components,
        components_with_data=sum(1 for c in components if c.has_data),
        trend_30d=trend_30d,
        trend_90d=trend_90d,
        churn=churn,
        opportunities=opps,
        expansion_potential=potential,
        strategy=strategy,
        missing=missing,
    )


__all__ = ["SIGNAL_LABELS", "Source", "band_for", "churn_risk", "nps_value", "score_health", "strategy_for"]
