from __future__ import annotations

from django.urls import path

from apps.retention import client_views

app_name = "client_retention"

urlpatterns = [
    path("", client_views.survey_list, name="list"),
    path("<int:invitation_id>/", client_views.survey_answer, name="answer"),
]
