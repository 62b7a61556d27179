"""The kickoff runner: six phases, each a django-q2 task, run in order with real start and end times.

A phase is claimed with a conditional update (so a task delivered twice runs it once), runs inside its own
transaction (a failure leaves nothing half-done), and records its result or its error. A failed phase stops the
kickoff with a visible error; `retry_kickoff` resumes at that phase, never redoing the ones that succeeded.
Environment provisioning may wait for the checklist; marking the last environment ready resumes it.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.projects.models import KickoffPhase, Project
from apps.projects.phases import PHASES, PhaseOutcome

logger = logging.getLogger(__name__)
P = KickoffPhase.Status


@transaction.atomic
def start_kickoff(*, actor: Any, project: Project, standup_time: time) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != Project.Status.KICKOFF_PENDING:
        raise ValidationError(f"The kickoff of {project.name} has already started.")
    project.status, project.kickoff_started_at = Project.Status.KICKOFF_RUNNING, timezone.now()
    project.standup_time = standup_time
    project.save(update_fields=["status", "kickoff_started_at", "standup_time", "updated_at"])
    record_event(
        action="project.kickoff_started",
        obj=project,
        actor=actor,
        customer_id=project.customer_id,
        data={"standup_time": standup_time},
    )
    _queue(project, project.phases.get(position=1), actor)
    return project


@transaction.atomic
def retry_kickoff(*, actor: Any, project: Project) -> Project:
    """Resume a failed kickoff at the phase that failed."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    failed = project.phases.filter(status=P.FAILED).order_by("position").first()
    if project.status != Project.Status.KICKOFF_FAILED or failed is None:
        raise ValidationError("Only a failed kickoff can be retried.")
    project.status = Project.Status.KICKOFF_RUNNING
    project.save(update_fields=["status", "updated_at"])
    record_event(
        action="project.kickoff_retried",
        obj=project,
        actor=actor,
        customer_id=project.customer_id,
        data={"phase": failed.key, "attempts_so_far": failed.attempts},
    )
    _queue(project, failed, actor)
    return project


def resume_if_waiting(*, project: Project, phase_key: str) -> bool:
    """Run a waiting phase again (its start time is kept: it has been running since it first started)."""
    resumed = KickoffPhase.objects.filter(project=project, key=phase_key, status=P.WAITING).update(status=P.QUEUED)
    if resumed:
        _enqueue(project.pk, phase_key, None)
    return bool(resumed)


def _queue(project: Project, phase: KickoffPhase, actor: Any) -> None:
    KickoffPhase.objects.filter(pk=phase.pk).update(status=P.QUEUED, started_at=None, finished_at=None, error="")
    _enqueue(project.pk, phase.key, getattr(actor, "pk", None))


def _enqueue(project_id: int, phase_key: str, actor_id: int | None) -> None:
    transaction.on_commit(lambda: async_task("apps.projects.tasks.run_kickoff_phase", project_id, phase_key, actor_id))


def run_phase(*, project_id: int, phase_key: str, actor_id: int | None = None) -> str:
    """Run one queued phase and queue the next. Returns the phase's final status ("skipped" if not queued)."""
    now = timezone.now()
    # A phase resumed after waiting keeps its start time and attempt number: it is the same attempt, continued.
    new_attempt = Case(
        When(started_at__isnull=True, then=F("attempts") + 1), default=F("attempts"), output_field=IntegerField()
    )
    claimed = KickoffPhase.objects.filter(project_id=project_id, key=phase_key, status=P.QUEUED).update(
        status=P.RUNNING, started_at=Coalesce(F("started_at"), now), attempts=new_attempt
    )
    if not claimed:
        return "skipped"
    project = Project.objects.select_related("customer__owner").get(pk=project_id)
    phase = project.phases.get(key=phase_key)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        with transaction.atomic():
            outcome = PHASES[phase_key](project=project, actor=actor)
    except Exception as error:  # noqa: BLE001 - any failure must show on the phase, not vanish in a worker log
        _fail(project, phase, actor, error)
        return P.FAILED
    return _finish(project, phase, actor, outcome)


@transaction.atomic
def _finish(project: Project, phase: KickoffPhase, actor: Any, outcome: PhaseOutcome) -> str:
    phase.status = P.WAITING if outcome.waiting else P.SUCCEEDED
    phase.finished_at = None if outcome.waiting else timezone.now()
    phase.summary, phase.result = outcome.summary[:300], outcome.result
    phase.save(update_fields=["status", "finished_at", "summary", "result"])
    record_event(
        action=f"project.kickoff_phase_{phase.status}",
        obj=project,
        actor=actor,
        customer_id=project.customer_id,
        data={"phase": phase.key, "summary": phase.summary, "attempt": phase.attempts},
    )
    following = project.phases.filter(position=phase.position + 1).first()
    if phase.status == P.SUCCEEDED and following is not None:
        _queue(project, following, actor)
    return phase.status


@transaction.atomic
def _fail(project: Project, phase: KickoffPhase, actor: Any, error: Exception) -> None:
    if isinstance(error, ValidationError):
        message = " ".join(error.messages)
    else:
        logger.exception("Kickoff phase %s of project %s failed", phase.key, project.pk)
        message = f"Unexpected error ({type(error).__name__}): {error}"
    phase.status, phase.finished_at, phase.error = P.FAILED, timezone.now(), message
    phase.save(update_fields=["status", "finished_at", "error"])
    Project.objects.filter(pk=project.pk).update(status=Project.Status.KICKOFF_FAILED, updated_at=timezone.now())
    record_event(
        action="project.kickoff_phase_failed",
        obj=project,
        actor=actor,
        customer_id=project.customer_id,
        data={"phase": phase.key, "error": message, "attempt": phase.attempts},
    )
