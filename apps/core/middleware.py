from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from apps.core.request_context import RequestInfo, reset_request_info, set_request_info

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (kept from X-Request-ID when well formed) and remember IP and user agent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        info = RequestInfo(
            request_id=request_id,
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.headers.get("User-Agent", "")[:400],
        )
        token = set_request_info(info)
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request_id
        return response


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Deny by default; the JSON API authenticates by its own keys, and HTMX requests are sent to the login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request: HttpRequest, view_func: Callable) -> HttpResponse:
        if getattr(request, "htmx", False):
            # A plain redirect would swap the login page into a fragment; tell htmx to navigate instead.
            response = HttpResponse(status=401)
            try:
                next_path = request.htmx.current_url_abs_path or "/"
            except ValueError:  # a malformed HX-Current-URL header (e.g. "http://[") is no page to come back to
                next_path = "/"
            response["HX-Redirect"] = f"{settings.LOGIN_URL_PATH}?next={quote(next_path)}"
            return response
        return redirect_to_login(request.get_full_path(), self.get_login_url(view_func))


class PrivateCacheControlMiddleware:
    """Logged-in pages and every API answer say `Cache-Control: private, no-store`.

    They carry one person's or one company's data: no shared proxy may keep them, and the browser must not keep
    them on disk either (a shared computer's back button after logout, a disk cache read later).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response
