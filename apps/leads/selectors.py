"""Reads of the leads app: the filtered list, observed success rates, and a lead's explainable breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from apps.core.numbers import round1
from apps.leads.models import GuaranteeOutcome, Lead, LeadScore, ServiceType
from apps.leads.scoring.probability import ObservedOutcomes
from apps.leads.scoring.qualification import plain_number
from apps.leads.scoring.record import STOP_LABELS
from apps.leads.scoring.versions import config_for

SORTS: dict[str, Any] = {
    "created": F("created_at").asc(),
    "-created": F("created_at").desc(),
    "organization": F("organization_name").asc(),
    "-organization": F("organization_name").desc(),
    "qualification": F("latest_score__qualification_score").asc(nulls_first=True),
    "-qualification": F("latest_score__qualification_score").desc(nulls_last=True),
    "feasibility": F("latest_score__feasibility_score").asc(nulls_first=True),
    "-feasibility": F("latest_score__feasibility_score").desc(nulls_last=True),
    "status": F("status").asc(),
}
DEFAULT_SORT = "-created"


@dataclass(frozen=True)
class LeadFilters:
    search: str = ""
    status: str = ""
    level: str = ""
    service_type: str = ""
    owner: str = ""  # "me", "none" or a user id
    created_from: date | None = None
    created_to: date | None = None
    sort: str = DEFAULT_SORT


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def lead_list(*, user: Any, filters: LeadFilters) -> QuerySet[Lead]:
    """Leads the user may see, filtered and sorted, with everything a row shows in the same query.

    The big JSON parts of the score are deferred: a row needs only the headline numbers.
    """
    leads = (
        Lead.objects.visible_to(user)
        .with_scores()
        .defer("latest_score__qualification", "latest_score__feasibility", "latest_score__config_version__snapshot")
    )
    if filters.search:
        text = filters.search
        leads = leads.filter(
            Q(organization_name__icontains=text) | Q(contact_name__icontains=text) | Q(contact_email__icontains=text)
        )
    if filters.status:
        leads = leads.filter(status=filters.status)
    if filters.level == "pending":
        leads = leads.filter(Q(latest_score__isnull=True) | ~Q(latest_score__inputs_hash=F("inputs_hash")))
    elif filters.level:
        leads = leads.filter(
            latest_score__qualification_level=filters.level, latest_score__inputs_hash=F("inputs_hash")
        )
    if filters.service_type:
        leads = leads.filter(service_type=filters.service_type)
    if filters.owner == "me":
        leads = leads.filter(owner=user)
    elif filters.owner == "none":
        leads = leads.filter(owner__isnull=True)
    elif filters.owner:
        leads = leads.filter(owner_id=filters.owner)
    if filters.created_from:
        leads = leads.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        leads = leads.filter(created_at__lt=_day_start(filters.created_to) + timezone.timedelta(days=1))
    return leads.order_by(SORTS.get(filters.sort, SORTS[DEFAULT_SORT]), "-pk")


def observed_outcomes(band: str) -> ObservedOutcomes:
    """Closed guarantees of leads in one probability band: successes out of total."""
    counts = GuaranteeOutcome.objects.filter(band=band).aggregate(
        total=Count("pk"), successes=Count("pk", filter=Q(succeeded=True))
    )
    return ObservedOutcomes(successes=counts["successes"], total=counts["total"])


# ---------------------------------------------------------------- the breakdown of one score


def _one(value: Any) -> str:
    """A stored number shown with one decimal (half-up, the portal's one rounding rule)."""
    return str(round1(Decimal(str(value))))


def _labels(score: LeadScore) -> dict[str, str]:
    return {part["key"]: part["label"] for part in score.qualification["parts"]}


def _disqualifier_rows(score: LeadScore) -> list[dict[str, Any]]:
    blocks: dict[str, list[str]] = {}
    for fit in score.qualification["service_fit"]:
        for code in fit["blocked_by"]:
            blocks.setdefault(code, []).append(ServiceType(fit["service_type"]).label)
    own = set(score.disqualifiers)
    return [
        {"code": item["code"], "label": item["label"], "own": item["code"] in own, "blocks": blocks.get(item["code"])}
        for item in score.qualification["all_disqualifiers"]
    ]


def _fit_rows(score: LeadScore, service_type: str) -> list[dict[str, Any]]:
    labels = _labels(score)
    words = {item["code"]: item["label"] for item in score.qualification["all_disqualifiers"]}
    return [
        {
            "service_type": fit["service_type"],
            "label": ServiceType(fit["service_type"]).label,
            "fit": fit["fit"],
            "asked": fit["service_type"] == service_type,
            "blocked_by": [words.get(code, code) for code in fit["blocked_by"]],
            "key_gaps": [labels.get(key, key) for key in fit["key_gaps"]],
        }
        for fit in score.qualification["service_fit"]
    ]


def _probability(score: LeadScore) -> dict[str, Any]:
    """Where the success probability came from: the weighted scores, the band, and the observed rate if any."""
    config = config_for(score.config_version).scoring.probability
    band = next((item for item in config.bands if item.key == score.probability_band), None)
    observed = observed_outcomes(score.probability_band)
    shown = observed.total > 0 and observed.total >= config.min_observed_sample  # never a rate over nothing
    return {
        "feasibility_weight": plain_number(config.feasibility_weight),
        "qualification_weight": plain_number(config.qualification_weight),
        "combined": _one(score.combined_score),
        "band_label": band.label if band else score.probability_band,
        "band_minimum": plain_number(band.minimum) if band else "",
        "percent": _one(score.probability_percent),
        "observed_percent": _one(Decimal(observed.successes * 100) / observed.total) if shown else None,
        "observed_sample": observed.total,
        "min_sample": config.min_observed_sample,
    }


def breakdown(lead: Lead) -> dict[str, Any] | None:
    """Everything the lead page shows about its current score, in display form; None while scoring is pending."""
    score = lead.current_score
    if score is None:
        return None
    q, f = score.qualification, score.feasibility
    labels = _labels(score)
    return {
        "score": score,
        "qualification": {
            "score": _one(q["score"]),
            "level": q["level"],
            "level_label": q["level_label"],
            "earned": _one(q["points_earned"]),
            "available": plain_number(Decimal(q["points_available"])),
        },
        "dimensions": [{**d, "points": _one(d["points"]), "max": _one(d["max_points"])} for d in q["dimensions"]],
        "criteria": [{**p, "points": _one(p["points"]), "max": _one(p["max_points"])} for p in q["parts"]],
        "gaps": [{**g, "lost": _one(g["points_lost"])} for g in q["biggest_gaps"]],
        "unanswered": [labels.get(key, key) for key in q["unanswered"]],
        "disqualifiers": _disqualifier_rows(score),
        "service_fit": _fit_rows(score, lead.service_type),
        "feasibility": {
            **f,
            "overall": _one(f["overall"]),
            "estimated_weeks": _one(f["estimated_weeks"]),
            "sub_scores": [
                {**s, "score": _one(s["score"]), "weight": plain_number(Decimal(s["weight"]))} for s in f["sub_scores"]
            ],
            "risk_factors": [{**r, "impact": _one(r["impact"])} for r in f["risk_factors"]],
        },
        "probability": _probability(score),
        "next_steps": q["next_steps"],
        "stops": [{"code": stop, "label": STOP_LABELS.get(stop, stop)} for stop in score.stops],
    }
