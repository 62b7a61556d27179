from __future__ import annotations

from django.http import HttpRequest


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX swap asks for a fragment; a history restore needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def template_for(request: HttpRequest, page: str, partial: str) -> str:
    return f"{page}#{partial}" if wants_partial(request) else page
