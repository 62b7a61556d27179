"""Delivery channels behind one small interface: `send(message)` delivers or raises DeliveryError.

Slack, Teams and signed webhooks post JSON over HTTPS; email goes through Django's backend (console in
development, SMTP from EMAIL_URL in production); in-app creates the notification the bell counts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from apps.notifications.models import Channel, Notification, OutboxMessage


class DeliveryError(Exception):
    pass


class ChannelBackend(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


class EmailChannel:
    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise DeliveryError("No email address for this recipient.")
        email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address])
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        for attachment in message.attachments:
            email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # SMTP raises many types; all mean "not delivered, try again later".
            raise DeliveryError(f"Email not accepted: {exc}") from exc


class InAppChannel:
    def send(self, message: OutboxMessage) -> None:
        if message.recipient_user_id is None:
            raise DeliveryError("In-app notifications need a user.")
        Notification.objects.get_or_create(
            message=message,
            defaults={
                "user_id": message.recipient_user_id,
                "title": message.subject,
                "body": message.body,
                "url": message.url,
                "priority": message.priority,
            },
        )


def _post_json(url: str, body: bytes, headers: dict[str, str]) -> None:
    if not url.startswith("https://") and not settings.DEBUG:
        raise DeliveryError("Webhook URLs must use https.")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (scheme checked above)
            if response.status >= 300:
                raise DeliveryError(f"Webhook answered {response.status}.")
    except (urllib.error.URLError, TimeoutError) as exc:
        raise DeliveryError(f"Webhook not reachable: {exc}") from exc


class SlackChannel:
    def send(self, message: OutboxMessage) -> None:
        text = f"*{message.subject}*\n{message.body}"
        _post_json(message.address, json.dumps({"text": text}).encode(), {})


class TeamsChannel:
    def send(self, message: OutboxMessage) -> None:
        card = {"@type": "MessageCard", "title": message.subject, "text": message.body}
        _post_json(message.address, json.dumps(card).encode(), {})


def sign_webhook(body: bytes, timestamp: str) -> str:
    """HMAC-SHA256 over "timestamp.body" with WEBHOOK_SIGNING_SECRET, so receivers can verify and reject replays."""
    secret = settings.WEBHOOK_SIGNING_SECRET.encode()
    return hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookChannel:
    def send(self, message: OutboxMessage) -> None:
        body = json.dumps(
            {
                "event": message.event_key,
                "subject": message.subject,
                "body": message.body,
                "data": message.payload,
            },
            sort_keys=True,
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "X-Portal-Timestamp": timestamp,
            "X-Portal-Signature": f"sha256={sign_webhook(body, timestamp)}",
        }
        _post_json(message.address, body, headers)


BACKENDS: dict[str, ChannelBackend] = {
    Channel.EMAIL: EmailChannel(),
    Channel.IN_APP: InAppChannel(),
    Channel.SLACK: SlackChannel(),
    Channel.TEAMS: TeamsChannel(),
    Channel.WEBHOOK: WebhookChannel(),
}


def backend_for(channel: str) -> ChannelBackend:
    return BACKENDS[channel]
