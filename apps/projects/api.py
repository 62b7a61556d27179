"""API of projects: CI or provisioning scripts mark kickoff environments ready; delivery tools post progress."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict, Field, StringConstraints

from apps.api.schemas import Text
from apps.api.scopes import for_key_customer, require_scope
from apps.projects import services_progress
from apps.projects.models import Environment, ProgressUpdate, Project, RiskLevel
from apps.projects.services import mark_environment
from apps.projects.services_progress import MAX_ITEM_LENGTH, MAX_ITEMS

router = Router(tags=["projects"])
# The choices are declared once, on the models; the schema (and its OpenAPI enum) is derived from them.
RiskLevelName = Literal[tuple(RiskLevel.values)]  # type: ignore[valid-type]
ScheduleStatusName = Literal[tuple(ProgressUpdate.ScheduleStatus.values)]  # type: ignore[valid-type]


class EnvironmentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    ready: bool = True
    url: Text = Field(default="", max_length=200)
    note: Text = Field(default="", max_length=300)


@router.post(
    "/projects/{project_id}/environments/{name}",
    summary="Mark a kickoff environment ready (repository, ci, development, staging, production)",
)
def post_environment(
    request: HttpRequest,
    project_id: int,
    name: str,
    payload: EnvironmentIn = Body(default=None),  # noqa: B008
) -> dict[str, Any]:
    require_scope(request, "projects:write")
    project = get_object_or_404(for_key_customer(request, Project.objects.all(), "customer"), pk=project_id)
    if name not in Environment.Name.values:
        raise HttpError(404, f"Unknown environment {name!r}; use one of {', '.join(Environment.Name.values)}.")
    payload = payload or EnvironmentIn()
    try:
        environment = mark_environment(
            actor=None,
            project=project,
            name=name,
            ready=payload.ready,
            url=payload.url,
            note=payload.note,
            by=f"API key {request.auth.name}",
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    phase = project.phases.get(key="environment_provisioning")
    return {
        "project": project.pk,
        "environment": environment.name,
        "ready": environment.ready,
        "url": environment.url,
        "ready_at": environment.ready_at,
        "kickoff_phase": {"status": phase.status, "summary": phase.summary},
    }


Line = Annotated[Text, StringConstraints(max_length=MAX_ITEM_LENGTH)]


class ProgressUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    percent_complete: Decimal = Field(ge=0, le=100, max_digits=4, decimal_places=1)
    achievements: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    blockers: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    upcoming: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS, description="Upcoming milestones.")
    risk_level: RiskLevelName


class DeliveryOut(Schema):
    stakeholder_id: int
    channel: str
    status: str = Field(description="pending, sending, sent, failed, or skipped (no address for that channel).")


class ProgressUpdateOut(Schema):
    id: int
    expected_percent: float
    schedule_status: ScheduleStatusName
    priority: bool
    deliveries: list[DeliveryOut]


def _errors(error: ValidationError) -> list[dict[str, str]]:
    if hasattr(error, "message_dict"):
        return [{"field": field, "message": " ".join(msgs)} for field, msgs in error.message_dict.items()]
    return [{"field": "", "message": " ".join(error.messages)}]


@router.post(
    "/projects/{project_id}/progress-updates",
    response={201: ProgressUpdateOut, 422: dict},
    summary="Post a progress update; each stakeholder receives the version for their role on their channels",
)
def post_progress_update(request: HttpRequest, project_id: int, payload: ProgressUpdateIn) -> Status:
    require_scope(request, "projects:write")
    projects = for_key_customer(request, Project.objects.select_related("customer"), "customer")
    project = get_object_or_404(projects, pk=project_id)
    try:
        update = services_progress.post_progress_update(
            actor=None,
            project=project,
            source=f"API key {request.auth.name}",
            **payload.model_dump(),
        )
    except ValidationError as error:
        return Status(422, {"detail": "Invalid progress update.", "errors": _errors(error)})
    body = {
        "id": update.pk,
        "expected_percent": float(update.expected_percent),
        "schedule_status": update.schedule_status,
        "priority": update.priority,
        "deliveries": services_progress.deliveries(update),
    }
    return Status(201, body)
