"""Role checks for views. Object scoping lives in each model's `visible_to(user)` queryset method.

Anonymous users never reach these: LoginRequiredMiddleware sends them to the login page first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def is_staff_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_client_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and not user.is_staff and user.client_customer_id)


def is_finance_user(user: Any) -> bool:
    return bool(is_staff_user(user) and user.has_perm("accounts.approve_refunds"))


def _require(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _require(is_staff_user)
client_required = _require(is_client_user)
admin_required = _require(lambda user: is_staff_user(user) and user.is_superuser)
finance_required = _require(is_finance_user)
