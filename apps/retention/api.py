"""The retention API: customers with their health, one customer's health in full, and sending a survey.

Authenticated by API key like the rest of /api/v1/ (scopes such as customers:read arrive with the API-scope work).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict, StrictInt

from apps.api.schemas import Text
from apps.api.scopes import for_key_customer, require_scope
from apps.customers.models import Customer
from apps.retention.health import compute_health
from apps.retention.models import HealthScore
from apps.retention.surveys import link_url, send_survey

router = Router(tags=["retention"])

# Database ids: a bigger number than a 64-bit integer is refused with a 422, never passed to the database.
Id = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]
Band = Literal["excellent", "good", "fair", "at_risk", "critical"] | None


def _one(value: str | Decimal | None) -> float | None:
    """A number with one decimal, as a JSON number."""
    return None if value is None else float(Decimal(value).quantize(Decimal("0.1")))


def _weight(value: str | Decimal | None) -> float | None:
    return None if value is None else float(Decimal(value).quantize(Decimal("0.0001")).normalize())


class CustomerRow(Schema):
    id: int
    name: str
    status: str
    health_score: float | None
    health_band: Band


class ListFilters(Schema):
    status: Literal["onboarding", "active", "at_risk", "churned"] | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/customers", response=list[CustomerRow], summary="Customers with their health")
def list_customers(request: HttpRequest, filters: Query[ListFilters]) -> list[dict[str, Any]]:
    require_scope(request, "customers:read")
    rows = for_key_customer(request, Customer.objects.select_related("health"), "pk").order_by("name", "pk")
    if filters.status:
        rows = rows.filter(status=filters.status)
    result = []
    for c in rows[filters.offset : filters.offset + filters.limit]:
        health = getattr(c, "health", None)
        result.append(
            {
                "id": c.pk,
                "name": c.name,
                "status": c.status,
                "health_score": _one(health.score) if health else None,
                "health_band": (health.band or None) if health else None,
            }
        )
    return result


def health_json(customer_id: int, health: HealthScore) -> dict[str, Any]:
    components = [
        {
            "key": c["key"],
            "weight": _weight(c["weight"]),
            "effective_weight": _weight(c["effective_weight"]),
            "score": _one(c["score"]),
            "parts": [
                {
                    "key": p["key"],
                    "weight": _weight(p["weight"]),
                    "effective_weight": _weight(p["effective_weight"]),
                    "value": _one(p["value"]),
                    "source": "; ".join(s["label"] for s in p["sources"]) or None,
                }
                for p in c["parts"]
            ],
        }
        for c in health.components
    ]
    return {
        "customer_id": customer_id,
        "score": _one(health.score),
        "band": health.band or None,
        "components_with_data": health.components_with_data,
        "components": components,
        "trend_30d": _one(health.trend_30d),
        "trend_90d": _one(health.trend_90d),
        "churn_risk": {
            "score": _one(health.churn_risk),
            "factors": [
                {"key": f["key"], "points": _one(f["points"]), "reason": f["reason"]} for f in health.churn_factors
            ],
        },
        "strategy": health.strategy,
        "config_version": health.config_version,
        "computed_at": health.computed_at,
    }


@router.get("/customers/{customer_id}/health", summary="One customer's health, part by part")
def customer_health(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    require_scope(request, "customers:read")
    customer = get_object_or_404(for_key_customer(request, Customer.objects.all(), "pk"), pk=customer_id)
    health = HealthScore.objects.filter(customer=customer).first()
    if health is None:
        # Never computed yet (a customer added since the nightly run): compute it now rather than answer nothing.
        compute_health([customer.pk])
        health = HealthScore.objects.get(customer=customer)
    return health_json(customer.pk, health)


class SurveyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    stakeholder_ids: list[Id] = Field(..., min_length=1, max_length=100)
    questions: list[Literal["nps", "csat"]] = Field(default_factory=lambda: ["nps", "csat"], min_length=1)
    message: Text = Field("", max_length=2000)


class InvitationOut(Schema):
    id: int
    stakeholder_id: int
    link: str


class SurveyOut(Schema):
    survey_id: int
    expires_at: datetime
    invitations: list[InvitationOut]


@router.post("/customers/{customer_id}/surveys", response={201: SurveyOut}, summary="Send a survey")
def post_survey(request: HttpRequest, customer_id: int, payload: SurveyIn) -> tuple[int, dict[str, Any]]:
    require_scope(request, "surveys:write")
    customer = get_object_or_404(for_key_customer(request, Customer.objects.all(), "pk"), pk=customer_id)
    stakeholders = list(customer.stakeholders.filter(pk__in=payload.stakeholder_ids))
    unknown = set(payload.stakeholder_ids) - {s.pk for s in stakeholders}
    if unknown:
        message = f"Not stakeholders of this customer: {', '.join(map(str, sorted(unknown)))}."
        raise NinjaValidationError([{"loc": ["body", "payload", "stakeholder_ids"], "msg": message}])
    try:
        survey = send_survey(
            actor=None,
            customer=customer,
            stakeholders=stakeholders,
            questions=list(dict.fromkeys(payload.questions)),
            message=payload.message,
            actor_label=f"API key {request.auth.name}",
        )
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    invitations = [
        {"id": i.pk, "stakeholder_id": i.stakeholder_id, "link": link_url(i)} for i in survey.invitations.all()
    ]
    return 201, {"survey_id": survey.pk, "expires_at": survey.expires_at, "invitations": invitations}
