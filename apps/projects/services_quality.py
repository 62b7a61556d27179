"""Writes of the quality gates: a run (by API or by a CSM), its evidence in the guarantee, and the escalation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import record_event
from apps.projects import quality, quality_sources
from apps.projects.models import Project
from apps.projects.models_quality import QualityGateRun, QualityGateSettings


def clean_metrics(metrics: dict[str, Any]) -> dict[str, Decimal]:
    """The posted code and delivery metrics as Decimals; every refusal is named by its field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Decimal] = {}
    for key, raw in metrics.items():
        if key not in quality.INPUT_METRICS:
            errors[key] = f"Unknown metric; use one of {', '.join(quality.INPUT_METRICS)}."
            continue
        if raw is None:
            continue
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
                raise InvalidOperation
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            errors[key] = "Enter a number."
            continue
        message = quality.check_metric(key, value)
        if message:
            errors[key] = message
        else:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def run_url(run: QualityGateRun) -> str:
    return settings.SITE_URL + reverse("projects:quality_run", args=[run.project_id, run.pk])


@transaction.atomic
def run_quality_gates(
    *, actor: Any, project: Project, metrics: dict[str, Any], source: str, actor_label: str = ""
) -> QualityGateRun:
    """Check a project's quality gates and keep the run.

    1. Clean the posted code and delivery metrics (a gate whose metric is missing is not checked).
    2. Measure the process gates from the portal's own data, as of today, keeping their sources.
    3. Evaluate with the admin-edited settings; store every part and the settings version.
    4. Record the run as the evidence of the automated quality checks of the project's open weeks.
    5. Audit; on escalation, notify the CSM and their team lead (the admins when none is set).
    """
    values: dict[str, Decimal | None] = dict(clean_metrics(metrics))
    config_row = QualityGateSettings.load()
    measures = quality_sources.process_measures(
        project, today=timezone.localdate(), grace_days=config_row.signoff_grace_days
    )
    values.update({key: measure.value for key, measure in measures.items()})
    result = quality.evaluate(config_row.to_config(), values)
    run = _store(actor, project, source, actor_label, values, measures, result, config_row)
    _record_evidence(actor, run, result)
    record_event(
        action="quality_gate_run.recorded",
        obj=run,
        actor=actor,
        customer_id=project.customer_id,
        actor_label=actor_label,
        data={
            "project_id": project.pk,
            "comprehensive": run.comprehensive,
            "escalate": run.escalate,
            "gates_passed": run.gates_passed,
            "gates_checked": run.gates_checked,
            "config_version": result.version,
            "evidence_ids": [e.pk for e in run.evidence.all()],
        },
    )
    if run.escalate:
        _notify_escalation(run, result)
    return run


def _store(
    actor: Any,
    project: Project,
    source: str,
    actor_label: str,
    values: dict[str, Decimal | None],
    measures: dict[str, quality.Measure],
    result: quality.RunResult,
    config_row: QualityGateSettings,
) -> QualityGateRun:
    run = QualityGateRun(
        project=project,
        source=source,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_by_label=actor_label or getattr(actor, "email", "") or "system",
        metrics={key: str(values[key]) for key in quality.INPUT_METRICS if values.get(key) is not None},
        process={key: _measure_json(m) for key, m in measures.items()},
        families={f.family: _family_json(f) for f in result.families},
        comprehensive=result.comprehensive,
        escalate=result.escalate,
        escalation_reasons=list(result.reasons),
        recommendations=[{"gate": key, "text": text} for key, text in result.recommendations],
        gates_passed=result.passed,
        gates_checked=result.checked,
        config=config_row.snapshot(),
        config_version=result.version,
    )
    run.full_clean()
    run.save()
    return run


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _measure_json(measure: quality.Measure) -> dict[str, Any]:
    return {
        "value": _dec(measure.value),
        "numerator": _dec(measure.numerator),
        "denominator": measure.denominator,
        "explanation": measure.explanation,
        "records": list(measure.records),
    }


def _family_json(family: quality.FamilyResult) -> dict[str, Any]:
    return {
        "score": _dec(family.score),
        "weight": str(family.weight),
        "share": _dec(None if family.share is None else family.share.quantize(Decimal("0.0001"))),
        "passed": family.passed,
        "checked": family.checked,
        "gates": [
            {
                "key": g.key,
                "value": _dec(g.value),
                "threshold": str(g.threshold),
                "direction": g.direction,
                "passed": g.passed,
            }
            for g in family.gates
        ],
    }


def _record_evidence(actor: Any, run: QualityGateRun, result: quality.RunResult) -> None:
    from apps.guarantees.models import Evidence
    from apps.guarantees.services import record_quality_gate_evidence

    if not result.checked:
        return  # nothing was checked: there is no ratio to give
    source = Evidence.Source.API if run.source == QualityGateRun.Source.API else Evidence.Source.STAFF
    note = f"Quality-gate run #{run.pk}: {result.passed} of {result.checked} gates passed. {run_url(run)}"
    evidence = record_quality_gate_evidence(
        actor=actor,
        project_id=run.project_id,
        gates_passed=result.passed,
        gates_total=result.checked,
        source=source,
        note=note,
        actor_label=f"{run.submitted_by_label} (quality-gate run #{run.pk})"[:254],
    )
    run.evidence.set(evidence)


def escalation_recipients(project: Project) -> list[Any]:
    """The CSM and their team lead; the active admins when the CSM has no team lead."""
    csm = project.customer.owner
    lead = getattr(csm, "team_lead", None)
    if lead is not None:
        leads = [lead]
    else:
        leads = list(get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk"))
    recipients = [csm, *leads]
    return list({user.pk: user for user in recipients if user is not None}.values())


def _notify_escalation(run: QualityGateRun, result: quality.RunResult) -> None:
    from apps.notifications.services import notify_user

    project = run.project
    score = "no score" if run.comprehensive is None else f"{run.comprehensive}"
    subject = f"{project.customer.name}: quality gates need attention on {project.name} ({score})"
    failing = ", ".join(quality.METRICS[key].label for key, _ in result.recommendations) or "none"
    body = f"{' '.join(result.reasons)} Failing gates: {failing}. The run lists a recommendation for each."
    for user in escalation_recipients(project):
        notify_user(
            event_key=f"quality_gate_run:{run.pk}:escalated",
            user=user,
            subject=subject,
            body=body,
            url=run_url(run),
            customer_id=project.customer_id,
            priority=True,
        )


def latest_run_context(project: Project) -> dict[str, Any]:
    """The latest quality-gate run as the technical lead's progress update shows it (a progress_messages hook)."""
    run = QualityGateRun.objects.filter(project=project).order_by("-created_at", "-pk").first()
    if run is None:
        return {}
    gates = [
        {
            "label": quality.METRICS[gate["key"]].label if gate["key"] in quality.METRICS else gate["key"],
            "value": gate["value"],
            "threshold": gate["threshold"],
            "passed": gate["passed"],
        }
        for family in ("code", "delivery", "process")
        for gate in (run.families.get(family) or {}).get("gates", [])
        if gate.get("passed") is not None
    ]
    return {"quality": {"comprehensive": run.comprehensive, "gates": gates}}
