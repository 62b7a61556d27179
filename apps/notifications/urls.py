from __future__ import annotations

from django.urls import path

from apps.notifications import views, views_preferences, views_webhooks

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="mark_all_read"),
    path("<int:notification_id>/read/", views.mark_read, name="mark_read"),
    path("preferences/", views_preferences.preferences, name="preferences"),
    path("customers/<int:customer_id>/webhooks/new/", views_webhooks.endpoint_create, name="endpoint_create"),
    path("webhooks/<int:endpoint_id>/", views_webhooks.endpoint_detail, name="endpoint_detail"),
    path("webhooks/<int:endpoint_id>/rotate-secret/", views_webhooks.endpoint_rotate, name="endpoint_rotate"),
    path("webhooks/<int:endpoint_id>/toggle/", views_webhooks.endpoint_toggle, name="endpoint_toggle"),
    path("outbox/<int:message_id>/send-again/", views_webhooks.send_again, name="send_again"),
]
