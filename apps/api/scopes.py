"""What an API key may do, and which customer's objects it may see.

Every API operation names the scope it needs with one call, and scopes its querysets to the key's customer:

    from apps.api.scopes import require_scope, for_key_customer

    @router.get("/projects/{project_id}")
    def get_project(request, project_id: int):
        require_scope(request, "projects:read")                    # 403 naming the scope when the key lacks it
        projects = for_key_customer(request, Project.objects.all(), "customer")
        project = get_object_or_404(projects, pk=project_id)       # another customer's project: 404

A key created without scopes holds every scope (so existing integrations keep working); a key bound to a customer
sees and touches only that customer's objects.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

SCOPES: dict[str, str] = {
    "leads:write": "Submit and change leads",
    "leads:read": "Read leads, their scores and tier recommendations",
    "evidence:write": "Post machine evidence to milestones",
    "guarantees:read": "Read guarantees and milestones",
    "projects:read": "Read projects' quality-gate runs",
    "projects:write": "Change projects (kickoff environments, progress updates, quality-gate runs)",
    "customers:read": "Read customers and their health",
    "surveys:write": "Send surveys to a customer's stakeholders",
    "webhooks:write": "Register webhook endpoints and rotate their secrets",
    "kpis:read": "Read KPIs",
}


def all_scopes() -> list[str]:
    """Every scope: what a key holds unless it is created with fewer. (Also the migration's default.)"""
    return list(SCOPES)


def require_scope(request: HttpRequest, scope: str) -> None:
    """Refuse with 403, naming the scope, unless the request's API key holds `scope`."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown API scope {scope!r}; add it to apps.api.scopes.SCOPES.")
    key = request.auth  # type: ignore[attr-defined]
    if scope not in key.scopes:
        raise HttpError(403, f"This API key lacks the scope {scope}.")


def key_customer_id(request: HttpRequest) -> int | None:
    """The customer the request's key is bound to, or None for a key that may see every customer."""
    return request.auth.customer_id  # type: ignore[attr-defined]


def for_key_customer(request: HttpRequest, queryset: QuerySet[Any], customer_path: str) -> QuerySet[Any]:
    """`queryset` narrowed to the key's customer, reached by `customer_path` (e.g. "project__customer").

    A key bound to no customer gets the queryset unchanged. The filter goes through a pk subquery, so a path across a
    to-many relation (a lead's projects) gives no duplicate rows.
    """
    customer_id = key_customer_id(request)
    if customer_id is None:
        return queryset
    matching = queryset.model._default_manager.filter(**{customer_path: customer_id}).values("pk")
    return queryset.filter(pk__in=matching)
