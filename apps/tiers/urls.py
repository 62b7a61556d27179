from __future__ import annotations

from django.urls import path

from apps.tiers import views

app_name = "tiers"

urlpatterns = [
    path("", views.tier_list, name="list"),
    path("leads/<int:lead_id>/recommendations/", views.lead_recommendations, name="lead_recommendations"),
    path("leads/<int:lead_id>/proposals/new/<slug:tier_slug>/", views.proposal_create, name="proposal_create"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/print/", views.proposal_print, name="proposal_print"),
    path("proposals/<int:proposal_id>/send/", views.proposal_send, name="proposal_send"),
    path("proposals/<int:proposal_id>/record/", views.proposal_record, name="proposal_record"),
]
