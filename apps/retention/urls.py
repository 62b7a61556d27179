from __future__ import annotations

from django.urls import path

from apps.retention import views

app_name = "retention"

urlpatterns = [
    path("customers/<int:customer_id>/surveys/new/", views.survey_send, name="survey_send"),
    path("customers/<int:customer_id>/touchpoints/new/", views.touchpoint_add, name="touchpoint_add"),
    path("customers/<int:customer_id>/reviews/new/", views.review_add, name="review_add"),
    path("customers/<int:customer_id>/health/recompute/", views.health_recompute, name="health_recompute"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/close/", views.task_close, name="task_close"),
]
