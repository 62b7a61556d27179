"""The 403, 404 and 500 pages, each in the chrome of the face that asked.

A customer sees the client view's navigation, staff the staff portal's, and anyone else a minimal page, so an
error never shows a customer the staff navigation (Django's default pages render one template for everyone).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from apps.core.access import is_client_user, is_staff_user

logger = logging.getLogger(__name__)

_BASES = {"client": "client/base.html", "staff": "base.html", "anonymous": "errors/minimal.html"}

# Last resort when even the error page cannot be rendered (the database or a template is what failed).
_PLAIN_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>'
    "<body><main><h1>Something went wrong</h1><p>The error was logged. Please try again in a moment.</p>"
    '<p><a href="/">Home</a></p></main></body></html>'
)


def face_of(request: HttpRequest) -> str:
    """'client', 'staff' or 'anonymous' (which includes a logged-in user with no access to either face)."""
    user = getattr(request, "user", None)
    if user is None:
        return "anonymous"
    if is_client_user(user):
        return "client"
    if is_staff_user(user):
        return "staff"
    return "anonymous"


def _render(request: HttpRequest, template: str, status: int, extra: dict[str, Any] | None = None) -> HttpResponse:
    face = face_of(request)
    context = {"error_base": _BASES[face], "face": face, **(extra or {})}
    body = loader.render_to_string(template, context, request=request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _render(request, "500.html", 500)
    except Exception:  # the page must never fail in turn: fall back to markup that needs nothing
        logger.exception("The 500 page could not be rendered; answering with the plain one.")
        return HttpResponseServerError(_PLAIN_500)
