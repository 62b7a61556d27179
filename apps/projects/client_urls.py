from __future__ import annotations

from django.urls import path

from apps.projects import client_views

app_name = "client_projects"

urlpatterns = [
    path("", client_views.project_list, name="list"),
    path("<int:project_id>/", client_views.project_detail, name="detail"),
]
