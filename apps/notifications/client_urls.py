from __future__ import annotations

from django.urls import path

from apps.notifications import views_preferences

app_name = "client_notifications"

urlpatterns = [
    path("", views_preferences.client_preferences, name="preferences"),
]
