"""The lead API under /api/v1/leads: intake from website forms and CRMs, reads with the full explanation, edits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from apps.api.scopes import for_key_customer, require_scope
from apps.core.numbers import round1
from apps.leads import services
from apps.leads.api_schemas import LeadCreated, LeadIn, LeadOut, LeadPage, LeadPatch, LeadQuery
from apps.leads.models import Lead
from apps.leads.selectors import LeadFilters, lead_list

router = Router(tags=["leads"])

PROJECT_FIELDS = [
    "timeline_weeks",
    "complexity",
    "requirements",
    "technology_preferences",
    "budget_usd",
    "compliance_requirements",
    "required_integrations",
    "business_criticality",
    "team_size",
    "has_ui_requirements",
    "has_fallback_plan",
]
CONTACT_FIELDS = {"name": "contact_name", "email": "contact_email", "phone": "contact_phone"}
# Model field -> the path the API caller used, so a 422 names the field they sent.
API_PATHS = {
    **{model: f"contact.{key}" for key, model in CONTACT_FIELDS.items()},
    **{name: f"project.{name}" for name in PROJECT_FIELDS},
}


def _num(value: Any) -> float:
    """A stored number as a JSON number with one decimal."""
    return float(round1(Decimal(str(value))))


def _lead_data(payload: dict[str, Any], lead: Lead | None = None) -> dict[str, Any]:
    """The API's nested shape flattened into the model fields the services take (only the keys sent)."""
    data: dict[str, Any] = {k: payload[k] for k in ("organization_name", "service_type") if payload.get(k) is not None}
    for key, value in (payload.get("contact") or {}).items():
        data[CONTACT_FIELDS[key]] = value if value is not None else ("" if key == "phone" else None)
    data.update(payload.get("project") or {})
    if "answers" in payload and payload["answers"] is not None:
        merged = dict(lead.answers) if lead else {}
        merged.update(payload["answers"])
        data["answers"] = {key: value for key, value in merged.items() if value is not None}
    return data


def _unprocessable(exc: ValidationError) -> JsonResponse:
    """The same 422 shape as the API's schema errors, for what the model and the rules refuse."""
    errors = []
    for name, messages in (exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}).items():
        field = API_PATHS.get(name, "" if name == "__all__" else name)
        errors.extend({"field": field, "message": message} for message in messages)
    return JsonResponse({"detail": "Invalid input.", "errors": errors}, status=422)


def _qualification(score: Any) -> dict[str, Any]:
    q = score.qualification
    return {
        "score": _num(score.qualification_score),
        "level": score.qualification_level,
        "dimensions": {
            d["name"]: {"points": _num(d["points"]), "max": _num(d["max_points"]), "percent": _num(d["percent"])}
            for d in q["dimensions"]
        },
        "criteria": [
            {
                "key": p["key"],
                "dimension": p["dimension"],
                "answer": p["answer"],
                "points": _num(p["points"]),
                "max": _num(p["max_points"]),
                "reason": p["reason"],
            }
            for p in q["parts"]
        ],
        "disqualifiers": list(score.disqualifiers),
        "service_fit": {f["service_type"]: {"fit": f["fit"], "key_gaps": f["key_gaps"]} for f in q["service_fit"]},
        "next_steps": q["next_steps"],
        "config_version": score.config_version.number,
    }


def _feasibility(score: Any) -> dict[str, Any]:
    f = score.feasibility
    return {
        "score": _num(score.feasibility_score),
        "level": score.feasibility_level,
        "technical": _num(f["technical"]),
        "timeline": _num(f["timeline"]),
        "resource": _num(f["resource"]),
        "estimated_weeks": _num(f["estimated_weeks"]),
        "success_probability": _num(score.probability_percent),
        "risk_factors": [
            {"code": r["code"], "impact": _num(r["impact"]), "text": r["text"]} for r in f["risk_factors"]
        ],
        "blockers": [b["text"] for b in f["blockers"]],
        "recommended_approach": f["recommended_approach"],
    }


def lead_out(lead: Lead) -> dict[str, Any]:
    score = lead.current_score
    project = {name: getattr(lead, name) for name in PROJECT_FIELDS}
    project["budget_usd"] = float(lead.budget_usd)
    return {
        "id": lead.pk,
        "organization_name": lead.organization_name,
        "contact": {"name": lead.contact_name, "email": lead.contact_email, "phone": lead.contact_phone},
        "service_type": lead.service_type,
        "project": project,
        "answers": lead.answers,
        "status": lead.status,
        "lost_reason": lead.lost_reason,
        "owner": lead.owner.email if lead.owner else None,
        "stops": lead.stops,
        "stopped": lead.is_stopped,
        "overridden": lead.is_overridden,
        "created_at": lead.created_at,
        "updated_at": lead.updated_at,
        "qualification": _qualification(score) if score else None,
        "feasibility": _feasibility(score) if score else None,
    }


def _for_key(request: HttpRequest, leads: Any) -> Any:
    # A lead belongs to a customer once it became one of their projects; a customer-bound key sees only those.
    return for_key_customer(request, leads, "projects__customer")


def _label(request: HttpRequest) -> str:
    return f"api:{request.auth.name}"


@router.post("", response={201: LeadCreated}, url_name="leads-collection", summary="Submit a lead")
def create_lead(request: HttpRequest, payload: LeadIn) -> Any:
    """Store the lead and start scoring it; `qualification` and `feasibility` stay null until scoring lands."""
    require_scope(request, "leads:write")
    try:
        lead = services.create_lead(
            actor=None, data=_lead_data(payload.model_dump()), source=Lead.Source.API, actor_label=_label(request)
        )
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(201, {"id": lead.pk, "status": lead.status})


@router.get("", response=LeadPage, url_name="leads-collection", summary="List leads (filtered, paginated)")
def list_leads(request: HttpRequest, query: Query[LeadQuery]) -> dict[str, Any]:
    require_scope(request, "leads:read")
    params = query.model_dump(exclude_none=True, exclude={"limit", "offset"})
    # The list view defers the big score parts; the API returns them, so load them with the rows.
    leads = _for_key(request, lead_list(user=_ApiReader(), filters=LeadFilters(**params)).defer(None))
    page = list(leads[query.offset : query.offset + query.limit])
    return {"count": leads.count(), "limit": query.limit, "offset": query.offset, "items": [lead_out(x) for x in page]}


@router.get("/{lead_id}", response=LeadOut, url_name="lead-item", summary="A lead with its explained scores")
def get_lead(request: HttpRequest, lead_id: int) -> dict[str, Any]:
    require_scope(request, "leads:read")
    return lead_out(get_object_or_404(_for_key(request, Lead.objects.with_scores()), pk=lead_id))


@router.patch("/{lead_id}", response=LeadOut, url_name="lead-item", summary="Change a lead (inputs rescore it)")
def patch_lead(request: HttpRequest, lead_id: int, payload: LeadPatch) -> Any:
    require_scope(request, "leads:write")
    lead = get_object_or_404(_for_key(request, Lead.objects.with_scores()), pk=lead_id)
    try:
        services.update_lead(
            actor=None,
            lead=lead,
            data=_lead_data(payload.model_dump(exclude_unset=True), lead),
            actor_label=_label(request),
        )
    except ValidationError as exc:
        return _unprocessable(exc)
    return lead_out(get_object_or_404(Lead.objects.with_scores(), pk=lead_id))


class _ApiReader:
    """An API key reads every lead, as staff do (keys are created by admins for trusted systems)."""

    is_authenticated = is_active = is_staff = True
    pk = None
