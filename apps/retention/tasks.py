"""django-q2 tasks: thin, take ids, call one service. Each is safe to run twice."""

from __future__ import annotations

from apps.retention import health, occasions, playbooks, surveys


def recompute_health(customer_id: int) -> int:
    return health.compute_health([customer_id])


def recompute_all_health() -> int:
    return health.compute_all_health()


def send_due_surveys() -> int:
    return surveys.send_due_surveys()


def record_playbook_outcomes() -> int:
    return playbooks.record_due_outcomes()


def send_week_surveys() -> int:
    """Hourly: the survey of every guarantee week that became current (week 4's satisfaction survey)."""
    return occasions.send_week_surveys()


def send_week_surveys_of(customer_id: int) -> int:
    """After a customer's week closed (the guarantees app's CUSTOMER_CHANGED hook): the next week may be current."""
    return occasions.send_week_surveys(customer_id=customer_id)


def send_support_survey(kind: str, object_id: int) -> int:
    """After a recovery action or claim closed (SUPPORT_CASE_CLOSED): 1 when a survey was sent."""
    return int(occasions.send_support_survey(kind=kind, object_id=object_id) is not None)
