"""API of projects: CI or provisioning scripts mark kickoff environments ready."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from apps.api.schemas import Text
from apps.api.scopes import for_key_customer, require_scope
from apps.projects.models import Environment, Project
from apps.projects.services import mark_environment

router = Router(tags=["projects"])


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
            actor=None, project=project, name=name, ready=payload.ready, url=payload.url, note=payload.note,
            by=f"API key {request.auth.name}",
        )  # fmt: skip
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    phase = project.phases.get(key="environment_provisioning")
    return {
        "project": project.pk, "environment": environment.name, "ready": environment.ready, "url": environment.url,
        "ready_at": environment.ready_at, "kickoff_phase": {"status": phase.status, "summary": phase.summary},
    }  # fmt: skip
