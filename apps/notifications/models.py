from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In-app"
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"
    WEBHOOK = "webhook", "Signed webhook"


class OutboxMessage(models.Model):
    """One message to one recipient on one channel. The unique key makes every event send at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"

    event_key = models.CharField(max_length=200, help_text="What happened, e.g. invite:12:3 or milestone:5:at_risk")
    recipient_key = models.CharField(max_length=200, help_text="Who it is for, e.g. user:7 or stakeholder:3")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=500, blank=True, help_text="Email address or webhook URL.")
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where the message points in the portal.")
    payload = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content, mimetype}] text attachments (e.g. .ics)."
    )
    priority = models.BooleanField(default=False)
    webhook_endpoint = models.ForeignKey(
        "notifications.WebhookEndpoint", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient_key", "channel"],
                name="outbox_unique_event_recipient_channel",
                violation_error_message="This message was already queued for this recipient on this channel.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient_key}: {self.subject}"

    @property
    def stable_id(self) -> str:
        """The same for every attempt at this row (and only this row): a resend after a crash is recognisable."""
        digest = hashlib.sha256(f"{self.pk}|{self.event_key}|{self.recipient_key}|{self.channel}".encode()).hexdigest()
        return f"{self.pk}.{digest[:20]}"

    @property
    def event_label(self) -> str:
        """A webhook's event type as people read it; other messages show their subject."""
        labels = dict(WebhookEventType.choices)
        return labels.get(self.subject, self.subject) if self.channel == Channel.WEBHOOK else self.subject

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.stable_id.replace('.', '_')}"


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    succeeded = models.BooleanField()
    error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status, if any.")
    request_headers = models.JSONField(default=dict, blank=True, help_text="What was sent besides the body.")

    class Meta:
        ordering = ["message", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "number"],
                name="attempt_number_unique",
                violation_error_message="This delivery attempt is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.message_id}: {'ok' if self.succeeded else 'failed'}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        return self.filter(user=user) if user.is_authenticated else self.none()

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification: what the bell counts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.OneToOneField(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    title = models.CharField(max_length=250)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    priority = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


# Webhook endpoints and channel preferences live in their own module; importing registers them with the app.
from apps.notifications.models_webhooks import (  # noqa: E402, F401
    ChannelPreference,
    WebhookEndpoint,
    WebhookEventType,
)
