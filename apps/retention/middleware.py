"""Record client-view activity cheaply: at most one write per stakeholder, day and feature.

The feature comes from the URL namespace (and name) the request resolved to. The fact that today's row exists is
remembered in the session, so repeat visits cost no query at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from apps.retention.services import record_activity

NAMESPACE_FEATURES = {
    "client_guarantees": "guarantee",
    "client_education": "learning",
    "client_outcomes": "outcomes",
    "client_retention": "surveys",
}
URL_FEATURES = {
    ("client_guarantees", "sign_off"): "sign_off",
    ("client_guarantees", "input"): "evidence_input",
}


def feature_for(namespace: str, url_name: str) -> str | None:
    return URL_FEATURES.get((namespace, url_name)) or NAMESPACE_FEATURES.get(namespace)


class ClientActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or response.status_code >= 400 or user is None or not user.is_authenticated:
            return response
        feature = feature_for(match.namespace, match.url_name or "")
        if feature is None or user.is_staff:
            return response
        day = timezone.localdate()
        key = f"activity:{day.isoformat()}:{feature}"
        if request.session.get(key):
            return response
        stakeholder = user.client_stakeholder
        if stakeholder is not None:
            record_activity(
                stakeholder_id=stakeholder.pk, customer_id=stakeholder.customer_id, feature=feature, day=day
            )
            request.session[key] = True
        return response
