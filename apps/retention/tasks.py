"""django-q2 tasks: thin, take ids, call one service. Each is safe to run twice."""

from __future__ import annotations

from apps.retention import health, playbooks, surveys


def recompute_health(customer_id: int) -> int:
    return health.compute_health([customer_id])


def recompute_all_health() -> int:
    return health.compute_all_health()


def send_due_surveys() -> int:
    return surveys.send_due_surveys()


def record_playbook_outcomes() -> int:
    return playbooks.record_due_outcomes()
