"""Demo playbook runs, dated to read true against the retention demo's 120 days of replayed health.

- Pinecone Retail (at risk): at-risk recovery started by the CSM 9 days ago; the health review call done on day 2,
  the fix of the weakest component overdue, the follow-up survey still ahead.
- Redwood Freight (critical): critical intervention started by the portal 4 days ago; the executive call done.
- Cedar Health and Blue Harbor Bank: an improvement run each, closed long enough ago for their outcome to be
  recorded (30 days after the close, from that day's health snapshot), so the playbook list has success rates.
Every step goes through the services under `demo_clock`. Safe to run twice: a customer with a run is left alone.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from apps.core.demo import days_ago, demo_clock
from apps.customers.models import Customer
from apps.retention import services
from apps.retention.models import Playbook, PlaybookRun, Task
from apps.retention.playbooks import current_playbook_settings, record_due_outcomes, start_playbook

# customer, strategy, started (days ago), started by the CSM?, [(task title, closed days ago, status, note)]
RUNS: list[tuple[str, str, int, bool, list[tuple[str, int, str, str]]]] = [
    (
        "Pinecone Retail",
        "at_risk_recovery",
        9,
        True,
        [("Health review call", 7, "done", "Walked the sponsor through the health page; releases are the issue.")],
    ),
    (
        "Redwood Freight",
        "critical_intervention",
        4,
        False,
        [("Executive call", 2, "done", "Their COO agreed to a recovery plan by Friday.")],
    ),
    (
        "Cedar Health",
        "improvement",
        80,
        True,
        [
            ("Success-plan review", 68, "done", "Goals re-set with the product owner."),
            ("Training offer", 55, "dropped", "They run their own onboarding academy."),
        ],
    ),
    (
        "Blue Harbor Bank",
        "improvement",
        110,
        True,
        [
            ("Success-plan review", 97, "done", "Success plan re-set around the compliance roadmap."),
            ("Training offer", 88, "done", "Two admin workshops held."),
        ],
    ),
]


def _run(ctx: Any, customer: Customer, strategy: str, started: int, by_csm: bool, steps: list) -> PlaybookRun:
    with demo_clock(days_ago(started, time(9, 0))):
        run = start_playbook(
            actor=ctx.csm if by_csm else None, customer=customer, playbook=Playbook.objects.get(strategy=strategy)
        )
    for title, closed, status, note in steps:
        task = run.tasks.get(title=title)
        with demo_clock(days_ago(closed, time(16, 0))):
            services.close_task(actor=task.owner, task=task, status=status, note=note)
    return run


def seed(ctx: Any) -> None:
    made = []
    for name, strategy, started, by_csm, steps in RUNS:
        customer = Customer.objects.filter(name=name).first()
        if customer is None or PlaybookRun.objects.filter(customer=customer).exists():
            continue
        run = _run(ctx, customer, strategy, started, by_csm, steps)
        made.append(f"{run.playbook.name} for {name}")
    # The nightly outcome task, as it ran on each closed run's 30th day after the close.
    after = current_playbook_settings().outcome_after_days
    closed = PlaybookRun.objects.filter(status=PlaybookRun.Status.CLOSED, outcome_recorded_at__isnull=True)
    for run in closed.order_by("closed_at"):
        run.refresh_from_db(fields=["outcome_recorded_at"])
        if run.outcome_recorded_at is not None:
            continue
        due_day = timezone.localdate(run.closed_at) + timedelta(days=after)
        if due_day < timezone.localdate():
            moment = days_ago((timezone.localdate() - due_day).days, time(3, 0))
            with demo_clock(moment):
                record_due_outcomes(now=moment)
    open_tasks = Task.objects.filter(run__status=PlaybookRun.Status.OPEN, status=Task.Status.OPEN).count()
    ctx.log(f"Playbooks: {', '.join(made) or 'already there'}; {open_tasks} playbook task(s) open.")
