"""The JSON API under /api/v1/. Each app adds its router here; authentication is by API key (Bearer)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from apps.api.services import authenticate_key


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return authenticate_key(token)


api = NinjaAPI(
    title="Customer Success Portal API",
    version="1",
    urls_namespace="api",
    auth=ApiKeyAuth(),
    docs_decorator=staff_member_required,
    description="Send `Authorization: Bearer <key>`; admins create keys in the Django admin.",
)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):  # type: ignore[no-untyped-def]
    """422 with one message per field, named by its path (e.g. project.timeline_weeks)."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(location), "message": error.get("msg", "Invalid value.")})
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


api.add_router("", "apps.guarantees.api.router")
api.add_router("", "apps.projects.api.router")
api.add_router("", "apps.projects.api_quality.router")
api.add_router("", "apps.tiers.api.router")
api.add_router("", "apps.dashboard.api.router")
api.add_router("", "apps.notifications.api.router")
api.add_router("", "apps.retention.api.router")


api.add_router("/leads", "apps.leads.api.router")


@api.get("/ping", tags=["meta"], summary="Check that a key works")
def ping(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok", "key": request.auth.name}
