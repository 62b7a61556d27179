"""Staff pages of the quality gates: the project page's panel and form, and a run explained gate by gate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.access import staff_required
from apps.projects import quality
from apps.projects.forms_quality import QualityGateRunForm
from apps.projects.models import Project
from apps.projects.models_quality import QualityGateRun
from apps.projects.services_quality import run_quality_gates


def quality_panel(project: Project, form: Any = None) -> dict[str, Any]:
    """What the project page's quality-gate panel needs (its latest runs and the form)."""
    return {
        "quality_runs": list(QualityGateRun.objects.filter(project=project)[:5]),
        "quality_form": form or QualityGateRunForm(),
    }


def _project(request: HttpRequest, project_id: int) -> Project:
    projects = Project.objects.visible_to(request.user).select_related("customer__owner")
    return get_object_or_404(projects, pk=project_id)


@require_POST
@staff_required
def quality_run_create(request: HttpRequest, project_id: int) -> HttpResponse:
    from apps.projects.views import _context

    project = _project(request, project_id)
    form = QualityGateRunForm(request.POST)
    if form.is_valid():
        try:
            run = run_quality_gates(actor=request.user, project=project, metrics=form.metrics(), source="staff")
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Quality gates checked: {run.gates_passed} of {run.gates_checked} passed.")
            return redirect("projects:quality_run", project.pk, run.pk)
    context = {**_context(project), **quality_panel(project, form)}
    return render(request, "projects/project_detail.html", context)


@require_GET
@staff_required
def quality_run_detail(request: HttpRequest, project_id: int, run_id: int) -> HttpResponse:
    project = _project(request, project_id)
    run = get_object_or_404(QualityGateRun.objects.filter(project=project).prefetch_related("evidence"), pk=run_id)
    context = {
        "project": project,
        "run": run,
        "families": [_family_rows(run, family) for family in quality.FAMILIES if family in run.families],
        "recommendations": [(_label(r["gate"]), r["text"]) for r in run.recommendations],
        "evidence": list(run.evidence.select_related("criterion__milestone")),
        "deadlines": _deadline_rules(run),
    }
    return render(request, "projects/quality_run_detail.html", context)


def _label(key: str) -> str:
    metric = quality.METRICS.get(key)
    return metric.label if metric else key.replace("_", " ").capitalize()


def _number(value: str | None, unit: str) -> str:
    if value is None:
        return "not measured"
    number = Decimal(value).normalize()
    text = f"{number:f}"
    return f"{text}{unit}" if unit in ("%", " h", "/10", "/100") else text


def _family_rows(run: QualityGateRun, family: str) -> dict[str, Any]:
    part = run.families[family]
    gates = []
    for gate in part["gates"]:
        metric = quality.METRICS.get(gate["key"])
        unit = metric.unit if metric else ""
        direction = quality.DIRECTION_LABELS.get(quality.Direction(gate["direction"]), gate["direction"])
        gates.append(
            {
                "key": gate["key"],
                "label": _label(gate["key"]),
                "measures": metric.measures if metric else "",
                "value": _number(gate["value"], unit),
                "threshold": f"{direction} {_number(gate['threshold'], unit)}",
                "passed": gate["passed"],
                "source": _source(run, gate["key"], metric),
            }
        )
    share = part.get("share")
    return {
        "key": family,
        "label": quality.FAMILY_LABELS.get(family, family),
        "score": part["score"],
        "gates": gates,
        "weight": part["weight"],
        "share": None if share is None else Decimal(share) * 100,
        "passed": part["passed"],
        "checked": part["checked"],
    }


def _source(run: QualityGateRun, key: str, metric: quality.Metric | None) -> dict[str, Any]:
    if metric is not None and metric.from_portal:
        measure = run.process.get(key, {})
        return {"text": measure.get("explanation", ""), "records": measure.get("records", [])}
    if key in run.metrics:
        return {"text": f"Posted by {run.submitted_by_label} ({run.get_source_display()}).", "records": []}
    return {"text": "Not in this run: the gate is not checked.", "records": []}


def _deadline_rules(run: QualityGateRun) -> list[str]:
    """The page explains how responsiveness deadlines are set, with this run's grace days."""
    grace = run.config.get("signoff_grace_days")
    return [
        "A sign-off request (a week sent to the approvers) is answered when the first approver approves or rejects "
        f"it; its deadline is the week's due date, or the day it was sent when that is later, plus {grace} day(s). "
        "A round taken back before anyone decided is not counted.",
        "An escalation (the escalation actions of a failed week) is answered when all its actions are done; its "
        "deadline is the actions' due date. Requests still open before their deadline are not counted yet.",
    ]
