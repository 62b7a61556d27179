"""API of the quality gates: CI posts a project's code and delivery metrics; the answer is the run's verdict."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from apps.api.scopes import for_key_customer, require_scope
from apps.projects import quality
from apps.projects.models import Project
from apps.projects.models_quality import QualityGateRun
from apps.projects.services_quality import run_quality_gates

router = Router(tags=["quality gates"])


def _number(value: Any) -> Any:
    # JSON numbers only: a string, a boolean or a list is refused (not read as a number).
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Enter a number.")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("Enter a finite number.")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _in_range(key: str) -> AfterValidator:
    def check(value: Decimal) -> Decimal:
        message = quality.check_metric(key, value)
        if message:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def _metric_type(metric: quality.Metric) -> Any:
    schema = {
        "type": "integer" if metric.whole else "number",
        "minimum": int(metric.minimum),
        "maximum": int(metric.maximum),
        "description": f"{metric.label}: {metric.measures}",
    }
    return Annotated[Decimal, BeforeValidator(_number), _in_range(metric.key), WithJsonSchema(schema)]


Metrics = create_model(
    "QualityMetrics",
    __config__=ConfigDict(extra="forbid"),
    **{key: (_metric_type(quality.METRICS[key]) | None, None) for key in quality.INPUT_METRICS},
)


class RunIn(Schema):
    model_config = ConfigDict(extra="forbid")
    metrics: Metrics = Field(description="Any subset of the code and delivery metrics; a missing one is not checked.")  # type: ignore[valid-type]


def _float(value: str | None) -> float | None:
    return None if value is None else float(Decimal(value))


def run_json(run: QualityGateRun) -> dict[str, Any]:
    """The run as the API answers it (built from what was stored, never recomputed)."""
    families = {
        family: {
            "score": _float(part["score"]),
            "gates": [
                {
                    "key": g["key"],
                    "value": _float(g["value"]),
                    "threshold": _float(g["threshold"]),
                    "direction": g["direction"],
                    "passed": g["passed"],
                }
                for g in part["gates"]
            ],
        }
        for family, part in run.families.items()
    }
    return {
        "id": run.pk,
        "families": families,
        "comprehensive": None if run.comprehensive is None else float(run.comprehensive),
        "escalate": run.escalate,
        "recommendations": [{"gate": r["gate"], "text": r["text"]} for r in run.recommendations],
    }


@router.post(
    "/projects/{project_id}/quality-gate-runs",
    response={201: dict, 422: dict},
    summary="Run a project's quality gates with the code and delivery metrics from CI (process metrics are measured)",
)
def post_quality_gate_run(request: HttpRequest, project_id: int, payload: RunIn = Body(...)) -> Status:  # noqa: B008
    require_scope(request, "projects:write")
    projects = for_key_customer(request, Project.objects.select_related("customer__owner"), "customer")
    project = get_object_or_404(projects, pk=project_id)
    metrics = {key: value for key, value in payload.metrics.model_dump().items() if value is not None}
    try:
        run = run_quality_gates(
            actor=None,
            project=project,
            metrics=metrics,
            source=QualityGateRun.Source.API,
            actor_label=f"API key {request.auth.name}",
        )
    except ValidationError as error:
        errors = [
            {"field": f"metrics.{field}", "message": " ".join(messages)}
            for field, messages in error.message_dict.items()
        ]
        return Status(422, {"detail": "Invalid input.", "errors": errors})
    return Status(201, run_json(run))


@router.get("/projects/{project_id}/quality-gate-runs/{run_id}", summary="One quality-gate run of a project")
def get_quality_gate_run(request: HttpRequest, project_id: int, run_id: int) -> dict[str, Any]:
    require_scope(request, "projects:read")
    runs = for_key_customer(request, QualityGateRun.objects.all(), "project__customer")
    run = get_object_or_404(runs, project_id=project_id, pk=run_id)
    return run_json(run)
