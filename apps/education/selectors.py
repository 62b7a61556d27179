"""Reads of the education app: plans with their items, and completion per stakeholder."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from apps.customers.models import Customer
from apps.education.models import EducationPlan


def plans_with_progress(*, user: Any) -> QuerySet[EducationPlan]:
    """Plans with their item counts, so a list of them costs one query."""
    return (
        EducationPlan.objects.visible_to(user)
        .select_related("stakeholder", "customer")
        .annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__completed_at__isnull=False)),
            sent_count=Count("items", filter=Q(items__queued_at__isnull=False)),
            first_at=Min("items__scheduled_for"),
            last_at=Max("items__scheduled_for"),
        )
    )


def customer_progress(*, user: Any) -> QuerySet[Customer]:
    """Customers that have plans, with completion over all their stakeholders' plans."""
    return (
        Customer.objects.visible_to(user)
        .filter(education_plans__isnull=False)
        .annotate(
            plan_count=Count("education_plans", distinct=True),
            item_count=Count("education_plans__items"),
            done_count=Count("education_plans__items", filter=Q(education_plans__items__completed_at__isnull=False)),
        )
        .order_by("name")
    )


def my_plans(*, user: Any) -> list[EducationPlan]:
    """The signed-in stakeholder's plans with their items and content (two queries)."""
    return list(EducationPlan.objects.visible_to(user).prefetch_related("items__content").order_by("-starts_at", "-pk"))


def percent(done: int, total: int) -> int:
    return round(done * 100 / total) if total else 0
