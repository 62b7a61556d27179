from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from apps.api.api import api
from apps.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("apps.accounts.urls")),
    path("", include("apps.core.urls")),
    path("customers/", include("apps.customers.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("client/", include("apps.customers.client_urls")),
    path("leads/", include("apps.leads.urls")),
    path("projects/", include("apps.projects.urls")),
    path("client/projects/", include("apps.projects.client_urls")),
    path("client/notifications/", include("apps.notifications.client_urls")),
    path("guarantees/", include("apps.guarantees.urls")),
    path("client/guarantees/", include("apps.guarantees.client_urls")),
    path("tiers/", include("apps.tiers.urls")),
    path("p/", include("apps.tiers.link_urls")),
    path("education/", include("apps.education.urls")),
    path("client/learning/", include("apps.education.client_urls")),
    path("outcomes/", include("apps.outcomes.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("client/outcomes/", include("apps.outcomes.client_urls")),
    path("retention/", include("apps.retention.urls")),
    path("client/surveys/", include("apps.retention.client_urls")),
    path("s/", include("apps.retention.link_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Each face gets its own error pages (apps/core/errors.py): customers never see the staff navigation.
handler403 = "apps.core.errors.permission_denied"
handler404 = "apps.core.errors.page_not_found"
handler500 = "apps.core.errors.server_error"
