from __future__ import annotations

from django.urls import path

from apps.retention import views, views_opportunities, views_playbooks

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
    path("opportunities/", views_opportunities.opportunity_board, name="opportunities"),
    path("opportunities/<int:opportunity_id>/move/", views_opportunities.opportunity_move, name="opportunity_move"),
    path("opportunities/<int:opportunity_id>/won/", views_opportunities.opportunity_won, name="opportunity_won"),
    path("opportunities/<int:opportunity_id>/lost/", views_opportunities.opportunity_lost, name="opportunity_lost"),
    path("customers/<int:customer_id>/opportunities/new/", views_opportunities.opportunity_add, name="opportunity_add"),
]
