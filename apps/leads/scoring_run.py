"""Run the pure rules on a lead and shape the result as an (unsaved) `LeadScore`.

Shared by the single-lead task and the batched rescore, so both store exactly the same thing.
"""

from __future__ import annotations

import hashlib
import json

from apps.leads.config_io import to_jsonable
from apps.leads.models import Lead, LeadScore, ScoringConfigVersion
from apps.leads.scoring import score_feasibility, score_qualification, success_probability
from apps.leads.scoring_stops import LeadScoringConfig, stops_for
from apps.leads.scoring_types import LeadFacts

# The status a scored open lead takes from its qualification level.
LEVEL_STATUS = {
    "highly_qualified": Lead.Status.QUALIFIED,
    "qualified": Lead.Status.QUALIFIED,
    "moderately_qualified": Lead.Status.MODERATELY_QUALIFIED,
    "unqualified": Lead.Status.UNQUALIFIED,
}
# What the tiers app reads from a score: when none of it changes, its recommendations need no refresh.
TIERS_INPUTS = (
    "qualification_level",
    "qualification_score",
    "feasibility_score",
    "disqualifiers",
    "blocked_service_types",
    "estimated_weeks",
)


def facts_hash(facts: LeadFacts) -> str:
    """SHA-256 of everything the rules read from a lead: equal hashes score equally under one config."""
    text = json.dumps(to_jsonable(facts), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def compute_score(
    lead: Lead, facts: LeadFacts, version: ScoringConfigVersion, config: LeadScoringConfig, inputs_hash: str = ""
) -> LeadScore:
    """Score `facts` with one version's config; the result is not saved.

    1. Qualification, then feasibility with the lead's own disqualifiers as blockers.
    2. Success probability from the two rounded scores (the observed rate is looked up when shown).
    3. The stops the two scores trigger.
    """
    scoring = config.scoring
    qualification = score_qualification(facts, scoring.qualification)
    feasibility = score_feasibility(facts, scoring.feasibility, qualification.disqualifiers)
    probability = success_probability(qualification.score, feasibility.overall, scoring.probability)
    blocked = [fit.service_type for fit in qualification.service_fit if fit.fit == "blocked"]
    return LeadScore(
        lead=lead,
        config_version=version,
        inputs_hash=inputs_hash or facts_hash(facts),
        qualification_score=qualification.score,
        qualification_level=qualification.level,
        feasibility_score=feasibility.overall,
        feasibility_level=feasibility.level,
        estimated_weeks=feasibility.estimated_weeks,
        disqualifiers=[item.code for item in qualification.disqualifiers],
        blocked_service_types=blocked,
        combined_score=probability.combined,
        probability_band=probability.band,
        probability_percent=probability.default_percent,
        stops=list(stops_for(qualification.score, feasibility.overall, config.stops)),
        qualification=to_jsonable(qualification),
        feasibility=to_jsonable(feasibility),
    )


def status_after(lead: Lead, score: LeadScore) -> str:
    """An open lead's status follows its qualification level; proposal, won and lost are kept."""
    if lead.status not in Lead.OPEN_STATUSES:
        return lead.status
    return LEVEL_STATUS.get(score.qualification_level, Lead.Status.UNQUALIFIED)


def tiers_inputs_changed(before: LeadScore | None, after: LeadScore) -> bool:
    if before is None:
        return True
    return any(getattr(before, name) != getattr(after, name) for name in TIERS_INPUTS)
