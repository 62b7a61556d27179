"""Demo quality-gate runs, through the service: one healthy project and one that escalates.

Safe to run twice: a project that already has a run is left alone.
"""

from __future__ import annotations

from typing import Any

from apps.projects.models import Project
from apps.projects.services_quality import run_quality_gates

# project name, metrics CI posted
RUNS: list[tuple[str, dict[str, Any]]] = [
    (
        # A finished project: CI's last run before handover (a running project's later weeks have not begun yet,
        # and a run is the evidence of the weeks still open).
        "Fleet Telemetry MVP",
        {
            "coverage_percent": 96.4,
            "cyclomatic_complexity": 8,
            "maintainability": 8.9,
            "high_critical_vulnerabilities": 0,
            "performance_p95_score": 97,
            "requirements_traceability": 100,
            "acceptance_criteria_coverage": 100,
            "stakeholder_approval": 88,
            "documentation": 92,
        },
    ),
    (
        "Clinical Scheduling Modernization",
        {
            "coverage_percent": 81.5,
            "cyclomatic_complexity": 14,
            "maintainability": 7.2,
            "high_critical_vulnerabilities": 2,
            "performance_p95_score": 91,
            "requirements_traceability": 94,
            "acceptance_criteria_coverage": 100,
            "stakeholder_approval": 80,
        },
    ),
]


def seed(ctx: Any) -> None:
    made = []
    for name, metrics in RUNS:
        project = Project.objects.filter(name=name).first()
        if project is None or project.quality_gate_runs.exists():
            continue
        run = run_quality_gates(
            actor=None, project=project, metrics=metrics, source="api", actor_label="API key demo-ci"
        )
        made.append(f"{name} ({run.gates_passed} of {run.gates_checked} gates, {run.comprehensive})")
    ctx.log(f"Quality-gate runs: {', '.join(made) or 'already there'}")
