"""Delivery channels behind one small interface: `send(message)` delivers or raises DeliveryError.

Slack, Teams and signed webhooks post JSON over HTTPS; email goes through Django's backend (console in
development, SMTP from EMAIL_URL in production); in-app creates the notification the bell counts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
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


_RAW_LINK = re.compile(r"https?://\S+")


def absolute_url(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def body_with_link(message: OutboxMessage) -> str:
    """An email keeps its link, as a sentence after the text (unless the text already holds it)."""
    url = absolute_url(message.url)
    if not url or url in message.body:
        return message.body
    return f"{message.body.rstrip()}\n\nOpen it in the portal: {url}\n"


def without_trailing_links(body: str) -> str:
    """In-app text never ends in a raw address: the notification's own Open button carries the link."""
    lines = body.rstrip().splitlines()
    while lines and (_RAW_LINK.fullmatch(lines[-1].strip()) or not lines[-1].strip()):
        lines.pop()
    if lines and lines[-1].rstrip().endswith(":"):  # "mark it done in your client portal:" lost its address
        lines.pop()
    return "\n".join(lines).strip()



class EmailChannel:
    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise DeliveryError("No email address for this recipient.")
        body = body_with_link(message)
        email = EmailMultiAlternatives(message.subject, body, settings.DEFAULT_FROM_EMAIL, [message.address])
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
                "body": without_trailing_links(message.body),
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
        if message.url:
            text += f"\n<{absolute_url(message.url)}|Open in the portal>"
        _post_json(message.address, json.dumps({"text": text}).encode(), {})


class TeamsChannel:
    def send(self, message: OutboxMessage) -> None:
        text = message.body + (f"\n\n[Open in the portal]({absolute_url(message.url)})" if message.url else "")
        card = {"@type": "MessageCard", "title": message.subject, "text": text}
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
                "url": absolute_url(message.url),
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
