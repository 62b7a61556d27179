from __future__ import annotations

from django.urls import path

from apps.education import views

app_name = "education"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("customers/<int:customer_id>/", views.customer_progress, name="customer"),
]
