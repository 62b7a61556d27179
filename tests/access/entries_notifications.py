from __future__ import annotations

from django.urls import reverse

from tests.access.matrix import API_KEY_ONLY, CLIENT_ANY, STAFF, STAFF_ACTION, Entry

ENTRIES = {
    "notifications:preferences": Entry(lambda w: reverse("notifications:preferences"), STAFF),
    "client_notifications:preferences": Entry(lambda w: reverse("client_notifications:preferences"), CLIENT_ANY),
    "notifications:endpoint_create": Entry(
        lambda w: reverse("notifications:endpoint_create", args=[w.company_a.pk]), STAFF
    ),
    "notifications:endpoint_detail": Entry(
        lambda w: reverse("notifications:endpoint_detail", args=[w.endpoint_a.pk]), STAFF
    ),
    "notifications:endpoint_rotate": Entry(
        lambda w: reverse("notifications:endpoint_rotate", args=[w.endpoint_a.pk]), STAFF_ACTION, method="post"
    ),
    "notifications:endpoint_toggle": Entry(
        lambda w: reverse("notifications:endpoint_toggle", args=[w.endpoint_a.pk]), STAFF_ACTION, method="post"
    ),
    "notifications:send_again": Entry(
        lambda w: reverse("notifications:send_again", args=[w.webhook_message_a.pk]), STAFF_ACTION, method="post"
    ),
    "api:post_endpoint": Entry(
        lambda w: reverse("api:post_endpoint", args=[w.company_a.pk]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
    "api:rotate_secret": Entry(
        lambda w: reverse("api:rotate_secret", args=[w.company_a.pk, w.endpoint_a.pk]),
        API_KEY_ONLY,
        method="post",
        content_type="application/json",
    ),
}


def build(world) -> None:
    from django.utils import timezone

    from apps.notifications.models import Channel, OutboxMessage
    from tests.notifications.factories import make_endpoint

    world.endpoint_a, _ = make_endpoint(customer=world.company_a)
    world.webhook_message_a = OutboxMessage.objects.create(
        event_key="progress_update.created:1",
        recipient_key=f"endpoint:{world.endpoint_a.pk}",
        channel=Channel.WEBHOOK,
        customer_id=world.company_a.pk,
        subject="progress_update.created",
        body="",
        payload={"type": "progress_update.created"},
        webhook_endpoint=world.endpoint_a,
        status=OutboxMessage.Status.FAILED,
        next_attempt_at=timezone.now(),
    )
