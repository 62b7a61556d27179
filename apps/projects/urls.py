from __future__ import annotations

from django.urls import path

from apps.projects import views, views_quality

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/kickoff/", views.kickoff_start, name="kickoff_start"),
    path("<int:project_id>/kickoff/retry/", views.kickoff_retry, name="kickoff_retry"),
    path("<int:project_id>/environments/<slug:name>/", views.environment_mark, name="environment"),
    path("<int:project_id>/progress-updates/", views.progress_update_create, name="progress_update_create"),
]

# Quality gates (views_quality.py)
urlpatterns += [
    path("<int:project_id>/quality-gate-runs/", views_quality.quality_run_create, name="quality_run_create"),
    path("<int:project_id>/quality-gate-runs/<int:run_id>/", views_quality.quality_run_detail, name="quality_run"),
]
