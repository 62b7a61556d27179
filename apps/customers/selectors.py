from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.customers.models import Customer

SORTS = {"name": "name", "-name": "-name", "created": "created_at", "-created": "-created_at"}


def customer_list(*, user: Any, search: str = "", status: str = "", owner: str = "", sort: str = "name") -> QuerySet:
    customers = (
        Customer.objects.visible_to(user).select_related("owner").annotate(stakeholder_count=Count("stakeholders"))
    )
    if search:
        customers = customers.filter(Q(name__icontains=search) | Q(industry__icontains=search))
    if status:
        customers = customers.filter(status=status)
    if owner == "me":
        customers = customers.filter(owner=user)
    return customers.order_by(SORTS.get(sort, "name"), "pk")
