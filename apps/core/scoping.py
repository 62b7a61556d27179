"""The one rule for what a person may see: staff see everything, a client user only their own company's rows."""

from __future__ import annotations

from typing import Any

from django.db import models


def client_scope(queryset: models.QuerySet, user: Any, path: str = "customer_id") -> models.QuerySet:
    """Rows `user` may see; `path` leads from the row to its company's id (e.g. "project__customer_id")."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_staff:
        return queryset
    customer_id = user.client_customer_id
    return queryset.filter(**{path: customer_id}) if customer_id else queryset.none()
