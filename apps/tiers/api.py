"""GET /api/v1/leads/{id}/recommendations: the lead's stored tier recommendation, best first."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from apps.api.scopes import for_key_customer, require_scope
from apps.leads.models import Lead
from apps.tiers.models import Recommendation

router = Router(tags=["tiers"])


class TierCriterionOut(Schema):
    key: str
    met: bool
    text: str


class PriceLineOut(Schema):
    label: str
    amount: float | int


class RecommendationOut(Schema):
    tier: str
    name: str
    compatibility: float
    criteria: list[TierCriterionOut]
    price_usd: float | int
    price_breakdown: list[PriceLineOut]
    timeline_weeks: int
    alternative: bool
    reasoning: str


def _number(value: str) -> float | int:
    amount = Decimal(value)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _out(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "tier": result["tier"],
        "name": result["name"],
        "compatibility": float(Decimal(result["compatibility"])),
        "criteria": [{"key": c["key"], "met": c["met"], "text": c["text"]} for c in result["criteria"]],
        "price_usd": _number(result["price"]),
        "price_breakdown": [
            {"label": line["label"], "amount": _number(line["amount"])} for line in result["breakdown"]
        ],
        "timeline_weeks": result["timeline_weeks"],
        "alternative": result["alternative"],
        "reasoning": result["summary"],
    }


@router.get(
    "/leads/{lead_id}/recommendations",
    response=list[RecommendationOut],
    url_name="lead-recommendations",
    summary="Recommended service tiers for a lead, best first",
)
def lead_recommendations(request: HttpRequest, lead_id: int) -> list[dict[str, Any]]:
    """Only recommended tiers (compatibility at or above the cut, not blocked), with why, price and timeline.

    409 while the lead's scoring is pending (the price and timeline need its feasibility estimate).
    """
    require_scope(request, "leads:read")
    lead = get_object_or_404(for_key_customer(request, Lead.objects.all(), "projects__customer"), pk=lead_id)
    recommendation = Recommendation.objects.filter(lead=lead).first()
    if recommendation is None:
        raise HttpError(409, "This lead has no tier recommendation yet: it is computed once the lead is scored.")
    return [_out(result) for result in recommendation.recommended]
