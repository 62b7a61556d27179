"""Extension points other apps hook into with one line (like DEMO_STEPS).

LAST_WEEK_CLOSED: dotted paths of tasks called with the guarantee id after the transaction that closed its last
week commits (`close_week` in signoff.py). Final validation (the claims app) adds its task here.

CUSTOMER_CHANGED: dotted paths of tasks called with the customer id after a transaction that changed a milestone's
status, a sign-off or a claim commits. Customer health (the retention app) recomputes there, and sends the survey
of a week that became current (week 4's satisfaction survey once weeks 1-3 are closed).

SUPPORT_CASE_CLOSED: dotted paths of tasks called with ("recovery_action" or "claim", its id) after a transaction
that closed a recovery action (marked done) or a claim (rejected, fulfilled or paid) commits. The retention app
asks the customer's stakeholders how satisfied they are with how it was handled (the support rating).
"""

from __future__ import annotations

LAST_WEEK_CLOSED: list[str] = ["apps.outcomes.tasks.run_final_validation"]
CUSTOMER_CHANGED: list[str] = ["apps.retention.tasks.recompute_health", "apps.retention.tasks.send_week_surveys_of"]
SUPPORT_CASE_CLOSED: list[str] = ["apps.retention.tasks.send_support_survey"]


def customer_changed(customer_id: int) -> None:
    """Queue every CUSTOMER_CHANGED task for the customer once the current transaction commits."""
    from django.db import transaction
    from django_q.tasks import async_task

    for task in CUSTOMER_CHANGED:
        transaction.on_commit(lambda task=task: async_task(task, customer_id))


def support_case_closed(kind: str, object_id: int) -> None:
    """Queue every SUPPORT_CASE_CLOSED task once the current transaction commits; kind: recovery_action, claim."""
    from django.db import transaction
    from django_q.tasks import async_task

    for task in SUPPORT_CASE_CLOSED:
        transaction.on_commit(lambda task=task: async_task(task, kind, object_id))
