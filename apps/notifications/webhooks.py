"""Customer webhook endpoints: registration, secret rotation, events out through the outbox, and "send again".

Other apps emit an event with one line: `emit_event(event_type=..., customer_id=..., key=..., data={...})`, inside the
transaction of the change; each subscribed endpoint gets one outbox row (unique per event and endpoint).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.notifications import crypto, net
from apps.notifications.models import Channel, OutboxMessage, WebhookEndpoint, WebhookEventType
from apps.notifications.services import Message, Recipient, queue_message

ROTATION_OVERLAP = timedelta(hours=24)


def check_url(url: str) -> None:
    """Refuse a URL that is not https or that resolves to an internal address (unless the setting allows it)."""
    try:
        net.resolve_target(url)
    except net.UnsafeTarget as exc:
        raise ValidationError({"url": str(exc)}) from exc


def _check_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - set(WebhookEventType.values))
    if unknown:
        raise ValidationError({"events": f"Unknown event types: {', '.join(unknown)}."})
    return list(dict.fromkeys(events))


@transaction.atomic
def register_endpoint(
    *, actor: Any, customer: Any, url: str, description: str = "", events: list[str], actor_label: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint and return it with its secret, in clear this once (only the ciphertext is stored)."""
    check_url(url)
    secret = crypto.new_secret()
    endpoint = WebhookEndpoint(
        customer=customer,
        url=url,
        description=description,
        events=_check_events(events),
        secret_encrypted=crypto.encrypt(secret),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    endpoint.full_clean()
    endpoint.save()
    record_event(
        action="webhook_endpoint.created",
        obj=endpoint,
        actor=actor,
        customer_id=customer.pk,
        actor_label=actor_label,
        data={"url": url, "events": endpoint.events},
    )
    return endpoint, secret


@transaction.atomic
def rotate_secret(*, actor: Any, endpoint: WebhookEndpoint, actor_label: str = "") -> str:
    """A new secret signs from now on; the old one keeps signing alongside it for 24 hours."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret, now = crypto.new_secret(), timezone.now()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = now + ROTATION_OVERLAP
    endpoint.secret_encrypted, endpoint.secret_rotated_at = crypto.encrypt(secret), now
    endpoint.save(
        update_fields=[
            "previous_secret_encrypted",
            "previous_secret_expires_at",
            "secret_encrypted",
            "secret_rotated_at",
        ]
    )
    record_event(
        action="webhook_endpoint.secret_rotated",
        obj=endpoint,
        actor=actor,
        customer_id=endpoint.customer_id,
        actor_label=actor_label,
        data={"old_secret_valid_until": endpoint.previous_secret_expires_at},
    )
    return secret


def signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    """The current secret, and the previous one while its 24 hours last."""
    secrets = [crypto.decrypt(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires and expires > timezone.now():
        secrets.append(crypto.decrypt(endpoint.previous_secret_encrypted))
    return secrets


@transaction.atomic
def set_endpoint_active(*, actor: Any, endpoint: WebhookEndpoint, active: bool, reason: str = "") -> WebhookEndpoint:
    """Disable (410, or by hand) or re-enable an endpoint; pending messages to a disabled one fail without a call."""
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=not active)
    now = timezone.now() if not active else None
    if changed.update(disabled_at=now, disabled_reason="" if active else reason[:300]):
        endpoint.disabled_at, endpoint.disabled_reason = now, "" if active else reason[:300]
        action = "webhook_endpoint.enabled" if active else "webhook_endpoint.disabled"
        record_event(
            action=action, obj=endpoint, actor=actor, customer_id=endpoint.customer_id, data={"reason": reason}
        )
    return endpoint


def envelope(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """{type, timestamp, data}; Decimals and dates in `data` become strings, as in every JSON the portal sends."""
    safe = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return {"type": event_type, "timestamp": timezone.now().isoformat(timespec="seconds"), "data": safe}


def emit_event(*, event_type: str, customer_id: int, key: str, data: dict[str, Any]) -> list[OutboxMessage]:
    """Queue one signed webhook per active endpoint of the customer that subscribed to `event_type`.

    `key` names the occurrence (e.g. "milestone:5:r1:at_risk"), so emitting the same occurrence twice sends nothing.
    """
    body = envelope(WebhookEventType(event_type).value, data)
    rows = []
    for endpoint in WebhookEndpoint.objects.active().filter(customer_id=customer_id):
        if not endpoint.wants(event_type):
            continue
        row = queue_message(
            event_key=f"{event_type}:{key}",
            recipient=Recipient(key=f"endpoint:{endpoint.pk}", addresses={Channel.WEBHOOK: endpoint.url}),
            channel=Channel.WEBHOOK,
            customer_id=customer_id,
            message=Message(subject=event_type, body="", payload=body),
            webhook_endpoint=endpoint,
        )
        if row is not None:
            rows.append(row)
    return rows


@transaction.atomic
def send_again(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """Queue a sent or failed message once more: same body, same webhook-id (receivers deduplicate on it)."""
    if message.webhook_endpoint_id and not message.webhook_endpoint.is_active:
        raise ValidationError("The endpoint is disabled; enable it first.")
    again = OutboxMessage.objects.filter(
        pk=message.pk, status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED]
    )
    if not again.update(status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), claimed_at=None):
        raise ValidationError("This message is already waiting to be sent.")
    record_event(
        action="outbox.send_again",
        obj=message,
        actor=actor,
        customer_id=message.customer_id,
        data={"channel": message.channel, "event_key": message.event_key},
    )
    transaction.on_commit(lambda: async_task("apps.notifications.tasks.deliver_message", message.pk))
    return message


def delivery_log(endpoint: WebhookEndpoint, limit: int = 50) -> list[OutboxMessage]:
    """The endpoint's latest messages, each with its attempts (request headers, response code, time)."""
    messages = endpoint.messages.order_by("-created_at", "-id").prefetch_related("delivery_attempts")[:limit]
    return list(messages)
