"""API of the guarantee: read guarantees and milestones; CI, scanners and monitors post machine evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, create_model
from pydantic import ValidationError as PydanticError

from apps.api.schemas import PlainText, Text
from apps.api.scopes import for_key_customer, require_scope
from apps.guarantees import responses
from apps.guarantees.client_input import recorded_by_text
from apps.guarantees.methods import METHODS, Method
from apps.guarantees.methods.base import MAX_COUNT, MAX_ITEMS, MAX_NAME_LENGTH, MAX_NUMBER
from apps.guarantees.methods.fields import FieldSpec, declared
from apps.guarantees.models import Evidence, Guarantee, MethodSettings, Milestone, MilestoneCriterion
from apps.guarantees.recording import record_evidence

router = Router(tags=["guarantees"])
_MILESTONE_CUSTOMER = "guarantee__project__customer"  # how a bound API key's customer reaches a milestone


class Check(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[PlainText, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
    passed: StrictBool


# The methods' own bounds (apps.guarantees.methods.base), so the API refuses what the staff form refuses; the
# evidence class then checks the rest (a total of 0, a percentage above 100), as it does for every door.
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]
Number = Annotated[Decimal, Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False)]
Checks = Annotated[list[Check], Field(min_length=1, max_length=MAX_ITEMS)]
_API_TYPES: dict[str, Any] = {"count": Count, "number": Number, "yes_no": StrictBool, "checks": Checks}


def _api_field(field: FieldSpec) -> tuple[Any, Any]:
    """The machine-evidence type of one declared field; one with a configured value may be left out."""
    if field.kind not in _API_TYPES:
        raise TypeError(f"{field.kind} evidence cannot be posted by machines.")
    if field.configured:
        return _API_TYPES[field.kind] | None, None
    return _API_TYPES[field.kind], ...


# The exact machine-evidence fields of each method that machines may post (CI, scanners, monitors), derived from
# the method's one declaration.
def machine_schema(method: Method) -> type[BaseModel]:
    """The API's input schema of a method's evidence: a note and its evidence fields, nothing else."""
    return create_model(
        f"{method.key}_evidence",
        __config__=ConfigDict(extra="forbid"),
        note=(Text, Field(default="", max_length=2000)),
        **{name: _api_field(field) for name, field in declared(method.evidence_class)},
    )


MACHINE_SCHEMAS = {key: machine_schema(method) for key, method in METHODS.items() if method.machine_allowed}


def _inlined(schema: Any, defs: dict[str, Any]) -> Any:
    """A JSON schema with its local `$defs` references written in place (the OpenAPI document has no `$defs`)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inlined(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inlined(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inlined(item, defs) for item in schema]
    return schema


def evidence_body_schema() -> dict[str, Any]:
    """The documented body: exactly one of the machine methods' schemas. Which one applies is the criterion's
    method (GET the milestone: each criterion names its `method`); a body for another method is a 422."""
    variants = []
    for key, model in MACHINE_SCHEMAS.items():
        schema = model.model_json_schema()
        variant = _inlined(schema, schema.get("$defs", {}))
        variant["title"] = f"{METHODS[key].label} evidence"
        variants.append(variant)
    return {"anyOf": variants}  # anyOf: two methods may take the same fields


def _score(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def criterion_json(criterion: MilestoneCriterion, complete_at: Decimal) -> dict[str, Any]:
    data = {
        "key": criterion.key,
        "name": criterion.name,
        "method": criterion.method,
        "weight": float(criterion.weight),
        "score": _score(criterion.score),
        "complete": criterion.score is not None and criterion.score >= complete_at,
    }
    if responses.is_response_method(criterion.method):
        data["answers"] = _answers_json(criterion)
    return data


def _answers_json(criterion: MilestoneCriterion) -> list[dict[str, Any]]:
    """Each stakeholder's latest answer, attributed as on the pages ("recorded by <CSM> for <stakeholder>")."""
    latest = criterion.latest_evidence
    if latest is None:
        return []
    summary = responses.RESPONSES[criterion.method].summary
    fields = [f.name for f in responses.RESPONSES[criterion.method].questions]
    return [
        {
            "stakeholder": {"id": c.get("stakeholder_id"), "name": c.get("name")},
            "answer": summary(c),
            "values": {name: c.get(name) for name in fields},
            "on_behalf": bool(c.get("on_behalf")),
            "recorded_by": recorded_by_text(c),
            "note": c.get("note", ""),
        }
        for c in latest.contributions
    ]


def milestone_json(milestone: Milestone, complete_at: Decimal) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "week": milestone.week,
        "title": milestone.title,
        "due_date": milestone.due_date,
        "status": milestone.status,
        "signed_off": milestone.is_closed,
        "review": milestone.review,
        "round": milestone.round,
        "score": _score(milestone.score),
        "pass_threshold": float(milestone.pass_threshold),
        "escalation_threshold": float(milestone.escalation_threshold),
        "criteria": [criterion_json(c, complete_at) for c in milestone.criteria.all()],
    }


def guarantee_json(guarantee: Guarantee, complete_at: Decimal) -> dict[str, Any]:
    project = guarantee.project
    return {
        "id": guarantee.pk,
        "status": guarantee.status,
        "service_type": guarantee.service_type,
        "project": {"id": project.pk, "name": project.name},
        "customer": {"id": project.customer_id, "name": project.customer.name},
        "amount": str(guarantee.amount),
        "threshold": float(guarantee.threshold),
        "starts_on": guarantee.starts_on,
        "ends_on": guarantee.ends_on,
        "milestones": [milestone_json(m, complete_at) for m in guarantee.milestones.all()],
    }


def _guarantees() -> Any:
    criteria = MilestoneCriterion.objects.select_related("latest_evidence").order_by("position")
    milestones = Milestone.objects.order_by("week").prefetch_related(Prefetch("criteria", queryset=criteria))
    return Guarantee.objects.select_related("project__customer").prefetch_related(
        Prefetch("milestones", queryset=milestones)
    )


class ListFilters(Schema):
    status: Guarantee.Status | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=1_000_000_000)  # beyond 64 bits the database refuses the OFFSET


@router.get("/guarantees", summary="List guarantees with their milestones (filter by status)")
def list_guarantees(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    require_scope(request, "guarantees:read")
    guarantees = for_key_customer(request, _guarantees(), "project__customer").order_by("-activated_at", "-pk")
    if filters.status:
        guarantees = guarantees.filter(status=filters.status)
    complete_at = MethodSettings.load().complete_at
    page = guarantees[filters.offset : filters.offset + filters.limit]
    return {"count": guarantees.count(), "items": [guarantee_json(g, complete_at) for g in page]}


@router.get("/guarantees/{guarantee_id}", summary="One guarantee with its milestones")
def get_guarantee(request: HttpRequest, guarantee_id: int) -> dict[str, Any]:
    require_scope(request, "guarantees:read")
    guarantee = get_object_or_404(for_key_customer(request, _guarantees(), "project__customer"), pk=guarantee_id)
    return guarantee_json(guarantee, MethodSettings.load().complete_at)


@router.get("/milestones/{milestone_id}", summary="One weekly milestone: status, score, thresholds, criteria")
def get_milestone(request: HttpRequest, milestone_id: int) -> dict[str, Any]:
    require_scope(request, "guarantees:read")
    criteria = MilestoneCriterion.objects.select_related("latest_evidence").order_by("position")
    milestones = for_key_customer(
        request, Milestone.objects.prefetch_related(Prefetch("criteria", queryset=criteria)), _MILESTONE_CUSTOMER
    )
    milestone = get_object_or_404(milestones, pk=milestone_id)
    return milestone_json(milestone, MethodSettings.load().complete_at)


def _invalid(errors: list[dict[str, str]]) -> Status:
    return Status(422, {"detail": "Invalid evidence.", "errors": errors})


@router.post(
    "/milestones/{milestone_id}/criteria/{key}/evidence",
    response={201: dict, 422: dict},
    summary="Record machine evidence (test results, checks, security counts, performance figures)",
    description="The body is the evidence of the criterion's method (its `method` in the milestone's criteria): "
    "one of the schemas below, with no other field.",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": evidence_body_schema()}}}
    },
)
def post_evidence(
    request: HttpRequest,
    milestone_id: int,
    key: Text,
    payload: dict[str, Any] = Body(...),  # noqa: B008
) -> Status:
    require_scope(request, "evidence:write")
    milestones = for_key_customer(request, Milestone.objects.all(), _MILESTONE_CUSTOMER)
    milestone = get_object_or_404(milestones, pk=milestone_id)
    criterion = get_object_or_404(
        MilestoneCriterion.objects.select_related("latest_evidence"), milestone=milestone, key=key
    )
    schema = MACHINE_SCHEMAS.get(criterion.method)
    if schema is None:
        raise HttpError(400, f"{METHODS[criterion.method].label} evidence is entered in the portal, not by API.")
    try:
        values = schema.model_validate(payload).model_dump()
    except PydanticError as error:
        return _invalid([{"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in error.errors()])
    note = values.pop("note")
    values = {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items() if v is not None}
    try:
        evidence = record_evidence(
            actor=None,
            criterion=criterion,
            data=values,
            source=Evidence.Source.API,
            note=note,
            actor_label=f"API key {request.auth.name}",
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if milestone.review != Milestone.Review.OPEN or milestone.guarantee.is_final:
            raise HttpError(409, message) from None
        if hasattr(error, "error_dict"):
            return _invalid([{"field": f, "message": m} for f, ms in error.message_dict.items() for m in ms])
        return _invalid([{"field": "", "message": message}])
    milestone.refresh_from_db()
    return Status(
        201,
        {
            "evidence_id": evidence.pk,
            "criterion": criterion.key,
            "version": evidence.version,
            "score": float(evidence.score),
            "reason": evidence.reason,
            "milestone": milestone_json(milestone, MethodSettings.load().complete_at),
        },
    )
