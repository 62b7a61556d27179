from __future__ import annotations

from django.urls import path

from apps.leads import views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="list"),
    path("export.csv", views.lead_export, name="export"),
    path("new/", views.lead_create, name="create"),
    path("validate/", views.validate_field, name="validate_field"),
    path("<int:lead_id>/", views.lead_detail, name="detail"),
    path("<int:lead_id>/edit/", views.lead_edit, name="edit"),
    path("<int:lead_id>/override/", views.lead_override, name="override"),
    path("<int:lead_id>/status/", views.lead_status, name="status"),
    path("<int:lead_id>/rescore/", views.lead_rescore, name="rescore"),
]
