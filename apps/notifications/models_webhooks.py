"""A customer's webhook endpoints (Standard Webhooks 1.0) and each portal user's channel preferences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from apps.core.scoping import client_scope


class WebhookEventType(models.TextChoices):
    """Every event a webhook endpoint can subscribe to; the envelope's `type`."""

    PROGRESS_UPDATE_CREATED = "progress_update.created", "A progress update was posted"
    MILESTONE_STATUS_CHANGED = "milestone.status_changed", "A weekly milestone's status changed"
    MILESTONE_SIGNED_OFF = "milestone.signed_off", "A weekly milestone was signed off"
    GUARANTEE_STATUS_CHANGED = "guarantee.status_changed", "The guarantee's status changed"
    CLAIM_STATUS_CHANGED = "claim.status_changed", "A claim's status changed"
    SURVEY_ANSWERED = "survey.answered", "A survey was answered"


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def visible_to(self, user: Any) -> WebhookEndpointQuerySet:
        return client_scope(self, user)

    def active(self) -> WebhookEndpointQuerySet:
        return self.filter(disabled_at__isnull=True)


class WebhookEndpoint(models.Model):
    """Where one customer receives signed events. The secret is stored encrypted (Fernet, key from the env)."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, blank=True, help_text="Event types sent here; empty means every type.")
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["customer", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.url} ({self.customer_id})"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events

    def event_labels(self) -> list[str]:
        if not self.events:
            return ["Every event"]
        return [WebhookEventType(key).label for key in self.events if key in WebhookEventType.values]


class ChannelPreference(models.Model):
    """Where a portal user (staff) wants their notifications. Without a row: email and in-app."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference")
    channels = models.JSONField(default=list, blank=True)
    slack_webhook_url = models.URLField(max_length=500, blank=True)
    teams_webhook_url = models.URLField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Channels of {self.user_id}: {', '.join(self.channels) or 'none'}"
