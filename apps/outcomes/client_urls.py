from __future__ import annotations

from django.urls import path

from apps.outcomes import client_views

app_name = "client_outcomes"

urlpatterns = [
    path("", client_views.outcome_list, name="list"),
    path("guarantees/<int:guarantee_id>/", client_views.guarantee_outcome, name="guarantee"),
    path("guarantees/<int:guarantee_id>/claims/new/", client_views.claim_open, name="claim_open"),
    path("guarantees/<int:guarantee_id>/success/", client_views.success_document, name="success"),
    path("guarantees/<int:guarantee_id>/success/print/", client_views.success_print, name="success_print"),
    path("claims/<int:claim_id>/", client_views.claim_detail, name="claim"),
]
