from __future__ import annotations

from django.urls import path

from apps.retention import client_views

app_name = "survey_link"

urlpatterns = [path("<str:token>/", client_views.survey_link, name="answer")]
