from __future__ import annotations

from django.urls import path

from apps.guarantees import views

app_name = "guarantees"

urlpatterns = [
    path("", views.guarantee_list, name="list"),
    path("<int:guarantee_id>/", views.guarantee_detail, name="detail"),
    path("milestones/<int:milestone_id>/", views.milestone_detail, name="milestone"),
    path("milestones/<int:milestone_id>/criteria/<slug:key>/evidence/", views.evidence_form, name="evidence_form"),
    path("milestones/<int:milestone_id>/criteria/<slug:key>/participants/", views.participants, name="participants"),
    path("milestones/<int:milestone_id>/submit/", views.milestone_submit, name="submit"),
    path("milestones/<int:milestone_id>/withdraw/", views.milestone_withdraw, name="withdraw"),
    path("actions/<int:action_id>/", views.action_update, name="action_update"),
    path("evidence/<int:evidence_id>/download/", views.evidence_download, name="evidence_download"),
]
