"""Channels: signed webhooks a receiver can verify, and refusals that become failed attempts."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from apps.notifications import channels
from apps.notifications.channels import DeliveryError, WebhookChannel, sign_webhook
from apps.notifications.models import Channel, OutboxMessage


def _verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute HMAC-SHA256 over "timestamp.body" and compare in constant time."""
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", signature)


def test_the_webhook_signature_is_an_hmac_over_timestamp_dot_body(settings):
    settings.WEBHOOK_SIGNING_SECRET = "shared-secret"
    body = b'{"event": "milestone:1:signed"}'

    signature = sign_webhook(body, "1767225600")

    expected = hmac.new(b"shared-secret", b"1767225600." + body, hashlib.sha256).hexdigest()
    assert signature == expected


def test_a_changed_body_timestamp_or_secret_breaks_the_signature(settings):
    settings.WEBHOOK_SIGNING_SECRET = "shared-secret"
    body = b'{"amount": 100}'
    signature = f"sha256={sign_webhook(body, '1767225600')}"

    assert _verify("shared-secret", "1767225600", body, signature)
    assert not _verify("shared-secret", "1767225600", b'{"amount": 900}', signature)
    assert not _verify("shared-secret", "1767225601", body, signature)
    assert not _verify("another-secret", "1767225600", body, signature)


def test_the_webhook_channel_posts_a_body_the_receiver_can_verify(settings, monkeypatch):
    settings.WEBHOOK_SIGNING_SECRET = "shared-secret"
    sent = {}
    monkeypatch.setattr(channels, "_post_json", lambda url, body, headers: sent.update(url=url, body=body, **headers))
    message = OutboxMessage(
        event_key="milestone:1:signed",
        channel=Channel.WEBHOOK,
        address="https://hooks.customer.example/portal",
        subject="Milestone 1 signed off",
        body="Signed by Alice.",
        payload={"milestone": 1},
    )

    WebhookChannel().send(message)

    assert sent["url"] == "https://hooks.customer.example/portal"
    assert json.loads(sent["body"])["event"] == "milestone:1:signed"
    assert json.loads(sent["body"])["data"] == {"milestone": 1}
    assert _verify("shared-secret", sent["X-Portal-Timestamp"], sent["body"], sent["X-Portal-Signature"])


def test_a_webhook_to_a_plain_http_address_is_refused_outside_debug(settings):
    settings.DEBUG = False
    message = OutboxMessage(channel=Channel.WEBHOOK, address="http://hooks.customer.example/", subject="s", body="b")

    with pytest.raises(DeliveryError, match="https"):
        WebhookChannel().send(message)


def test_an_email_without_an_address_is_a_delivery_error():
    message = OutboxMessage(channel=Channel.EMAIL, address="", subject="s", body="b")

    with pytest.raises(DeliveryError, match="No email address"):
        channels.EmailChannel().send(message)
