"""Every recurring task, declared in one place. `manage.py sync_schedules` makes django-q2 match this list.

Each app adds its line; every task listed here must be safe to run twice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recurring:
    name: str
    func: str
    minutes: int


SCHEDULES: list[Recurring] = [
    Recurring("deliver-due-messages", "apps.notifications.tasks.deliver_due_messages", minutes=1),
    Recurring("education-due-items", "apps.education.tasks.send_due_items", minutes=5),
    Recurring("guarantee-routine", "apps.guarantees.tasks.run_guarantee_routine", minutes=60),
    Recurring("final-validations-due", "apps.outcomes.tasks.run_due_final_validations", minutes=60),
    Recurring("kpi-snapshots", "apps.dashboard.tasks.snapshot_kpis", minutes=60),
    Recurring("health-nightly", "apps.retention.tasks.recompute_all_health", minutes=1440),
    Recurring("surveys-due", "apps.retention.tasks.send_due_surveys", minutes=1440),
    Recurring("playbook-outcomes", "apps.retention.tasks.record_playbook_outcomes", minutes=1440),
    Recurring("guarantee-week-surveys", "apps.retention.tasks.send_week_surveys", minutes=60),
]
