from __future__ import annotations

from django.urls import path

from apps.guarantees import client_views

app_name = "client_guarantees"

urlpatterns = [
    path("", client_views.guarantee_list, name="list"),
    path("<int:guarantee_id>/", client_views.guarantee_detail, name="detail"),
    path("milestones/<int:milestone_id>/", client_views.milestone_detail, name="milestone"),
    path("milestones/<int:milestone_id>/criteria/<slug:key>/input/", client_views.stakeholder_input, name="input"),
    path("milestones/<int:milestone_id>/sign-off/", client_views.sign_off, name="sign_off"),
    path("evidence/<int:evidence_id>/download/", client_views.evidence_download, name="evidence_download"),
]
