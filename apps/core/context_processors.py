from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from apps.core.access import is_client_user, is_finance_user, is_staff_user
from apps.core.navigation import CLIENT_NAV, STAFF_NAV


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    staff, client = is_staff_user(user), is_client_user(user)
    return {
        "staff_nav": _links(STAFF_NAV) if staff else [],
        "client_nav": _links(CLIENT_NAV) if client else [],
        "is_staff_user": staff,
        "is_client_user": client,
        # Lazy: the permission check costs two queries, and most pages never read it (the finance pages' views pass
        # their own), so it is only asked when a template does.
        "is_finance_user": SimpleLazyObject(lambda: is_finance_user(user)),
        "site_url": settings.SITE_URL,
    }


def _links(entries: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": label, "url": reverse(name)} for label, name in entries]
