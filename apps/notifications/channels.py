"""Delivery channels behind one small interface: `send(message)` delivers (optionally returning what the far end
answered, for the log) or raises DeliveryError.

Email goes through Django's mailer with a Message-ID derived from the outbox row; in-app creates the notification the
bell counts; Slack (incoming webhook, Block Kit), Microsoft Teams (Workflows webhook, Adaptive Card) and customer
webhooks (Standard Webhooks 1.0) post JSON through `net.post_json`, which refuses internal addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from apps.notifications import net
from apps.notifications.models import Channel, Notification, OutboxMessage


class DeliveryError(Exception):
    """Not delivered. `permanent`: retrying cannot help; `gone`: the receiver answered 410 (disable it);
    `retry_after`: seconds the receiver asked us to wait (429)."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        gone: bool = False,
        retry_after: int | None = None,
        response_status: int | None = None,
        request_headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent, self.gone, self.retry_after = permanent or gone, gone, retry_after
        self.response_status, self.request_headers = response_status, request_headers or {}


@dataclass(frozen=True)
class Sent:
    response_status: int | None = None
    request_headers: dict[str, str] = field(default_factory=dict)


class ChannelBackend(Protocol):
    def send(self, message: OutboxMessage) -> Sent | None: ...


def message_id_header(message: OutboxMessage) -> str:
    """RFC 5322 Message-ID, the same on every attempt at this outbox row."""
    domain = urlsplit(settings.SITE_URL).hostname or "portal.invalid"
    return f"<outbox.{message.stable_id}@{domain}>"


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
    def send(self, message: OutboxMessage) -> Sent:
        if not message.address:
            raise DeliveryError("No email address for this recipient.", permanent=True)
        headers = {"Message-ID": message_id_header(message)}
        if message.priority:
            headers["Importance"] = "high"
        email = EmailMultiAlternatives(
            message.subject, body_with_link(message), settings.DEFAULT_FROM_EMAIL, [message.address], headers=headers
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        for attachment in message.attachments:
            email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # SMTP raises many types; all mean "not delivered, try again later".
            raise DeliveryError(f"Email not accepted: {exc}", request_headers=headers) from exc
        return Sent(request_headers=headers)


class InAppChannel:
    def send(self, message: OutboxMessage) -> None:
        if message.recipient_user_id is None:
            raise DeliveryError("In-app notifications need a user.", permanent=True)
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


def retry_after_seconds(value: str | None) -> int | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return int(value.strip())
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(int((when - timezone.now()).total_seconds()), 0)


def post(url: str, body: bytes, headers: dict[str, str]) -> Sent:
    """POST and turn the answer into success or a DeliveryError the outbox knows how to retry."""
    try:
        answer = net.post_json(url, body, headers)
    except net.UnsafeTarget as exc:
        raise DeliveryError(f"Refused: {exc}", permanent=True, request_headers=headers) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"Not reachable: {exc!r}", request_headers=headers) from exc
    status, common = answer.status, {"response_status": answer.status, "request_headers": headers}
    if 200 <= status < 300:
        return Sent(response_status=status, request_headers=headers)
    if 300 <= status < 400:
        where = answer.headers.get("location", "?")
        raise DeliveryError(f"Answered {status} (redirect to {where}); redirects are not followed.", **common)
    if status == 410:
        raise DeliveryError("Answered 410 Gone: the receiver no longer exists.", gone=True, **common)
    if status == 429:
        wait = retry_after_seconds(answer.headers.get("retry-after"))
        raise DeliveryError(f"Answered 429 Too Many Requests (retry after {wait} s).", retry_after=wait, **common)
    raise DeliveryError(f"Answered {status}: {answer.body[:200]}", **common)


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) or not url else f"{settings.SITE_URL}{url}"


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if part.strip()]


def slack_payload(message: OutboxMessage) -> dict[str, Any]:
    """Block Kit: a header, one mrkdwn section per paragraph (3,000 characters each), priority, a link button."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.subject[:150], "emoji": True}}
    ]
    if message.priority:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": ":rotating_light: *Priority*"}]})
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": p[:3000]}} for p in _paragraphs(message.body)]
    if message.url:
        button = {"type": "button", "text": {"type": "plain_text", "text": "Open in the portal"}}
        blocks.append({"type": "actions", "elements": [{**button, "url": _absolute(message.url)}]})
    return {"text": message.subject, "blocks": blocks[:50]}


def teams_payload(message: OutboxMessage) -> dict[str, Any]:
    """A Workflows webhook message carrying one Adaptive Card 1.4 attachment."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": message.subject, "weight": "Bolder", "size": "Medium", "wrap": True}
    ]
    if message.priority:
        body.append({"type": "TextBlock", "text": "Priority", "color": "Attention", "weight": "Bolder"})
    body += [{"type": "TextBlock", "text": p, "wrap": True} for p in _paragraphs(message.body)]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open in the portal", "url": _absolute(message.url)}]
    attachment = {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
    return {"type": "message", "attachments": [attachment]}


class SlackChannel:
    def send(self, message: OutboxMessage) -> Sent:
        return post(message.address, json.dumps(slack_payload(message)).encode(), {})


class TeamsChannel:
    def send(self, message: OutboxMessage) -> Sent:
        return post(message.address, json.dumps(teams_payload(message)).encode(), {})


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks v1: base64 HMAC-SHA256 of "id.timestamp.body" with the decoded whsec_ secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return f"v1,{base64.b64encode(digest).decode()}"


def webhook_body(message: OutboxMessage) -> bytes:
    """The envelope {type, timestamp, data} stored on the row, so every attempt sends the same bytes."""
    return json.dumps(message.payload, separators=(",", ":"), sort_keys=True).encode()


class WebhookChannel:
    def send(self, message: OutboxMessage) -> Sent:
        from apps.notifications.webhooks import signing_secrets

        endpoint = message.webhook_endpoint
        if endpoint is None:
            raise DeliveryError("A webhook needs a registered endpoint.", permanent=True)
        if not endpoint.is_active:
            raise DeliveryError(f"The endpoint is disabled: {endpoint.disabled_reason}", permanent=True)
        body, timestamp = webhook_body(message), int(time.time())
        signature = " ".join(sign(s, message.webhook_id, timestamp, body) for s in signing_secrets(endpoint))
        headers = {"webhook-id": message.webhook_id, "webhook-timestamp": str(timestamp)}
        return post(endpoint.url, body, {**headers, "webhook-signature": signature})


BACKENDS: dict[str, ChannelBackend] = {
    Channel.EMAIL: EmailChannel(),
    Channel.IN_APP: InAppChannel(),
    Channel.SLACK: SlackChannel(),
    Channel.TEAMS: TeamsChannel(),
    Channel.WEBHOOK: WebhookChannel(),
}
HTTP_CHANNELS = (Channel.SLACK, Channel.TEAMS, Channel.WEBHOOK)


def backend_for(channel: str) -> ChannelBackend:
    return BACKENDS[channel]
