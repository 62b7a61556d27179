from __future__ import annotations

from django.urls import path

from apps.retention import views, views_playbooks

app_name = "retention"

urlpatterns = [
    path("customers/<int:customer_id>/surveys/new/", views.survey_send, name="survey_send"),
    path("customers/<int:customer_id>/touchpoints/new/", views.touchpoint_add, name="touchpoint_add"),
    path("customers/<int:customer_id>/reviews/new/", views.review_add, name="review_add"),
    path("customers/<int:customer_id>/health/recompute/", views.health_recompute, name="health_recompute"),
    path("customers/<int:customer_id>/playbooks/start/", views_playbooks.playbook_start, name="playbook_start"),
    path("playbooks/", views_playbooks.playbook_list, name="playbooks"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/close/", views.task_close, name="task_close"),
]
