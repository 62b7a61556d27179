"""Playbook runs: start one (a CSM, or the health computation for critical intervention), close it when its tasks
are all done or dropped, and record its outcome once the admin-set number of days after the close has passed.

1. `start_playbook` copies each action into a `Task` (owner by role, due today + N days) and keeps the health it
   started from; 2. `finish_run_if_done` closes the run after its last open task closes (a conditional update);
3. `record_due_outcomes` (scheduled, safe to run twice) stores each due run's outcome from the daily snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.services import record_event
from apps.customers.models import Customer
from apps.notifications.services import notify_user
from apps.retention.models import (
    HealthScore,
    HealthSnapshot,
    Playbook,
    PlaybookAction,
    PlaybookRun,
    PlaybookSettings,
    Task,
)
from apps.retention.playbook_rules import outcome_day, outcome_due, run_outcome

CRITICAL = "critical_intervention"


@dataclass(frozen=True)
class StartHealth:
    """The health a run starts from (kept on the run, so its outcome can be measured against it)."""

    score: Decimal | None
    band: str
    strategy: str


def current_playbook_settings() -> PlaybookSettings:
    row = PlaybookSettings.objects.first()
    return row if row is not None else PlaybookSettings()


def suggested_playbook(customer: Customer) -> Playbook | None:
    """The playbook of the customer's current strategy (None before their first health computation)."""
    strategy = HealthScore.objects.filter(customer=customer).values_list("strategy", flat=True).first()
    return Playbook.objects.filter(strategy=strategy).first() if strategy else None


def health_on(customer_id: int, day: date) -> tuple[Decimal | None, str]:
    """The customer's health as the daily snapshot of `day` (or the latest before it) recorded it."""
    row = (
        HealthSnapshot.objects.filter(customer_id=customer_id, day__lte=day)
        .order_by("-day")
        .values_list("score", "band")
        .first()
    )
    return (row[0], row[1]) if row else (None, "")


def team_lead_of(csm: Any) -> Any | None:
    lead = csm.team_lead if csm.team_lead_id else None
    return lead if lead is not None and lead.is_active and lead.is_staff and lead.pk != csm.pk else None


def _owner(action: PlaybookAction, csm: Any) -> Any:
    """Team-lead actions go to the CSM's team lead; to the CSM when no active team lead is set."""
    if action.owner_role == PlaybookAction.OwnerRole.TEAM_LEAD:
        return team_lead_of(csm) or csm
    return csm


def _task(run: PlaybookRun, action: PlaybookAction, today: date) -> Task:
    csm = run.customer.owner
    detail = (
        f"{run.playbook.name} playbook. Priority {action.get_priority_display().lower()}, "
        f"expected impact {action.get_expected_impact_display().lower()}, cost {action.get_cost_display().lower()}."
    )
    task = Task(
        customer=run.customer,
        kind=Task.Kind.PLAYBOOK_ACTION,
        title=action.title,
        detail=f"{detail} {action.detail}".strip(),
        owner=_owner(action, csm),
        due_on=today + timedelta(days=action.due_in_days),
        run=run,
        action=action,
        priority=action.priority,
    )
    task.full_clean(exclude=["answer", "run", "action", "customer", "owner"])
    return task


def _save_run(
    *, actor: Any | None, customer: Customer, playbook: Playbook, actions: list[PlaybookAction], start: StartHealth
) -> tuple[PlaybookRun, list[Task]]:
    """Insert the run (the partial unique index refuses a second open one), its tasks and the audit event."""
    now = timezone.now()
    run = PlaybookRun(
        customer=customer,
        playbook=playbook,
        trigger=PlaybookRun.Trigger.MANUAL if actor else PlaybookRun.Trigger.AUTOMATIC,
        strategy_at_start=start.strategy,
        started_by=actor,
        started_at=now,
        health_at_start=start.score,
        band_at_start=start.band,
    )
    run.full_clean(exclude=["customer", "playbook", "started_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError as exc:  # a second start racing the first
        raise ValidationError({"playbook": f"The {playbook.name} playbook is already running."}) from exc
    tasks = Task.objects.bulk_create([_task(run, action, timezone.localdate(now)) for action in actions])
    record_event(
        action="playbook.started",
        obj=run,
        actor=actor,
        customer_id=customer.pk,
        data={
            "playbook": playbook.strategy,
            "trigger": run.trigger,
            "health_at_start": start.score,
            "tasks": [{"title": t.title, "owner_id": t.owner_id, "due_on": t.due_on.isoformat()} for t in tasks],
        },
    )
    return run, tasks


@transaction.atomic
def start_playbook(*, actor: Any | None, customer: Customer, playbook: Playbook) -> PlaybookRun:
    """Start a run: one task per action. Refused (nothing written) while the same playbook runs for this customer."""
    if PlaybookRun.objects.filter(customer=customer, playbook=playbook, status=PlaybookRun.Status.OPEN).exists():
        raise ValidationError({"playbook": f"The {playbook.name} playbook is already running for {customer.name}."})
    actions = list(playbook.actions.all())
    if not actions:
        raise ValidationError({"playbook": f"The {playbook.name} playbook has no actions yet."})
    score, band = health_on(customer.pk, timezone.localdate())
    strategy = HealthScore.objects.filter(customer=customer).values_list("strategy", flat=True).first() or ""
    start = StartHealth(score, band, strategy)
    return _save_run(actor=actor, customer=customer, playbook=playbook, actions=actions, start=start)[0]


def _customer_url(customer_id: int) -> str:
    return settings.SITE_URL + reverse("customers:detail", args=[customer_id]) + "#playbooks"


def _notify_critical(run: PlaybookRun, tasks: list[Task], leads: list[Any]) -> None:
    customer, csm = run.customer, run.customer.owner
    score = "no score" if run.health_at_start is None else f"health {run.health_at_start}"
    subject = f"{customer.name} needs a critical intervention ({score})"
    body = (
        f"{customer.name} entered the critical intervention strategy; its playbook started with {len(tasks)} task(s)."
    )
    first = min(tasks, key=lambda t: (t.due_on, t.pk), default=None)
    if first is not None:
        body += f" First: {first.title}, due {first.due_on:%a %-d %b} ({first.owner})."
    for user in [csm, *leads]:
        notify_user(
            event_key=f"playbook-run:{run.pk}:started",
            user=user,
            subject=subject,
            body=body,
            url=_customer_url(customer.pk),
            customer_id=customer.pk,
            priority=True,
        )


def start_critical_interventions(entered: dict[int, StartHealth]) -> list[PlaybookRun]:
    """Customers who just entered critical intervention: start its playbook unless it already runs, and notify the
    CSM and their team lead (the admins when none is set).

    Called by the health computation inside its transaction with the health it just computed (so nothing is read
    twice); safe to call twice (the open run is checked, and the partial unique index settles a race).
    """
    playbook = Playbook.objects.filter(strategy=CRITICAL).first()
    actions = list(playbook.actions.all()) if playbook else []
    if not actions:
        return []
    running = PlaybookRun.objects.filter(
        customer_id__in=list(entered), playbook=playbook, status=PlaybookRun.Status.OPEN
    )
    customers = (
        Customer.objects.filter(pk__in=list(entered))
        .exclude(pk__in=running.values("customer_id"))
        .exclude(status=Customer.Status.CHURNED)
        .select_related("owner__team_lead")
    )
    admins: list[Any] | None = None
    started = []
    for customer in customers:
        try:
            run, tasks = _save_run(
                actor=None, customer=customer, playbook=playbook, actions=actions, start=entered[customer.pk]
            )
        except ValidationError:
            continue
        lead = team_lead_of(customer.owner)
        if lead is None and admins is None:
            admins = list(get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk"))
        leads = [lead] if lead is not None else [a for a in admins or [] if a.pk != customer.owner_id]
        _notify_critical(run, tasks, leads)
        started.append(run)
    return started


def finish_run_if_done(*, run_id: int, actor: Any | None) -> bool:
    """Close the run once none of its tasks is open: one conditional UPDATE, so it closes once."""
    if Task.objects.filter(run_id=run_id, status=Task.Status.OPEN).exists():
        return False
    now = timezone.now()
    moved = PlaybookRun.objects.filter(pk=run_id, status=PlaybookRun.Status.OPEN).update(
        status=PlaybookRun.Status.CLOSED, closed_at=now
    )
    if moved:
        run = PlaybookRun.objects.select_related("playbook", "customer").get(pk=run_id)
        counts = {s: run.tasks.filter(status=s).count() for s in (Task.Status.DONE, Task.Status.DROPPED)}
        record_event(
            action="playbook.closed",
            obj=run,
            actor=actor,
            customer_id=run.customer_id,
            data={"done": counts[Task.Status.DONE], "dropped": counts[Task.Status.DROPPED]},
        )
    return bool(moved)


@transaction.atomic
def record_outcome(*, run: PlaybookRun, now: datetime, after_days: int, worked_delta: Decimal) -> bool:
    """Store one closed run's outcome, once (a conditional UPDATE claims it)."""
    end_day = outcome_day(timezone.localdate(run.closed_at), after_days)
    end_score, end_band = health_on(run.customer_id, end_day)
    outcome = run_outcome(
        start_score=run.health_at_start,
        start_band=run.band_at_start,
        end_score=end_score,
        end_band=end_band,
        worked_delta=worked_delta,
    )
    moved = PlaybookRun.objects.filter(pk=run.pk, outcome_recorded_at__isnull=True).update(
        outcome_recorded_at=now,
        health_at_outcome=end_score,
        band_at_outcome=end_band,
        health_delta=outcome.delta,
        worked=outcome.worked,
        outcome_reason=outcome.reason[:300],
    )
    if moved:
        record_event(
            action="playbook.outcome_recorded",
            obj=run,
            actor=None,
            customer_id=run.customer_id,
            data={"delta": outcome.delta, "worked": outcome.worked, "health_at_outcome": end_score},
        )
    return bool(moved)


def record_due_outcomes(*, now: datetime | None = None) -> int:
    """The schedule: every closed run whose outcome day has come and has no outcome yet. Safe to run twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    config = current_playbook_settings()
    latest_close = now - timedelta(days=config.outcome_after_days - 1)
    due = PlaybookRun.objects.filter(
        status=PlaybookRun.Status.CLOSED, outcome_recorded_at__isnull=True, closed_at__lt=latest_close
    ).order_by("pk")
    recorded = 0
    for run in due:
        if outcome_due(closed_on=timezone.localdate(run.closed_at), today=today, after_days=config.outcome_after_days):
            recorded += record_outcome(
                run=run, now=now, after_days=config.outcome_after_days, worked_delta=config.worked_delta
            )
    return recorded
