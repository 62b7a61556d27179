from __future__ import annotations

from django.urls import path

from apps.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.kpi_page, name="kpis"),
    path("kpis/<slug:key>/", views.kpi_detail, name="kpi_detail"),
    path("kpis/<slug:key>.csv", views.kpi_csv, name="kpi_csv"),
    path("search/", views.search_page, name="search"),
]
