"""The JSON API under /api/v1/. Each app adds its router here; authentication is by API key (Bearer)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from apps.api.openapi import JsonOnlyParser, body_error, document_errors
from apps.api.services import authenticate_key


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return authenticate_key(token)


class PortalApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = PortalApi(
    title="Customer Success Portal API",
    version="1",
    urls_namespace="api",
    auth=ApiKeyAuth(),
    docs_decorator=staff_member_required,
    parser=JsonOnlyParser(),
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


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):  # type: ignore[no-untyped-def]
    """ninja's own answer ({"detail"}), except for a body it could not parse: 400 or 415 with the errors shape."""
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        status, payload = body_error(request, exc.__cause__)
        return api.create_response(request, payload, status=status)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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
