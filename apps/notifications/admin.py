from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from apps.notifications.models import ChannelPreference, DeliveryAttempt, Notification, OutboxMessage, WebhookEndpoint


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "started_at",
        "finished_at",
        "succeeded",
        "error",
        "response_status",
        "request_headers",
    ]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient_key", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["event_key", "recipient_key", "address", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    inlines = [DeliveryAttemptInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    search_fields = ["title", "user__email"]
    list_filter = ["read_at"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Secrets never appear here (only their ciphertext exists); staff rotate them on the endpoint's page."""

    list_display = ["url", "customer", "created_at", "disabled_at"]
    list_filter = ["disabled_at"]
    search_fields = ["url", "customer__name"]
    exclude = ["secret_encrypted", "previous_secret_encrypted"]
    readonly_fields = ["customer", "previous_secret_expires_at", "secret_rotated_at", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channels", "updated_at"]
    search_fields = ["user__email"]
