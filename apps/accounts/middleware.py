from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "last_seen"
# Sent by static/js/app.js on every request of an element that refreshes itself (hx-trigger="every ...").
BACKGROUND_POLL_HEADER = "X-Background-Poll"


def is_background_poll(request: HttpRequest) -> bool:
    """A request the page made on its own (the bell, a pending score): not a sign that someone is there."""
    return request.headers.get(BACKGROUND_POLL_HEADER, "").lower() == "true"


class SessionIdleTimeoutMiddleware:
    """Log out a session that has been idle longer than SESSION_IDLE_TIMEOUT seconds.

    Background polls are checked against the timeout but never extend it: an open tab whose bell polls every
    30 seconds must still expire when nobody uses it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif _LAST_SEEN not in request.session or (now - last_seen > 60 and not is_background_poll(request)):
                # Writing at most once a minute keeps idle tracking from saving the session on every request.
                request.session[_LAST_SEEN] = now
        return self.get_response(request)
