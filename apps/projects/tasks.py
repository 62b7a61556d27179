"""Background work of projects: thin functions that take ids and call one service."""

from __future__ import annotations

from apps.projects.kickoff import run_phase


def run_kickoff_phase(project_id: int, phase_key: str, actor_id: int | None = None) -> str:
    return run_phase(project_id=project_id, phase_key=phase_key, actor_id=actor_id)
