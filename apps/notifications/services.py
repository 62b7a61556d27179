from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from apps.audit.services import record_event
from apps.notifications.channels import HTTP_CHANNELS, DeliveryError, Sent, backend_for
from apps.notifications.models import Channel, ChannelPreference, DeliveryAttempt, Notification, OutboxMessage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to: a stable key (for the unique outbox row) and where to reach them."""

    key: str
    email: str = ""
    user_id: int | None = None
    addresses: dict[str, str] = field(default_factory=dict)

    def address_for(self, channel: str) -> str:
        if channel == Channel.EMAIL:
            return self.email
        return self.addresses.get(channel, "")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    html_body: str = ""
    url: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    attachments: tuple[dict[str, str], ...] = ()
    priority: bool = False


def queue_message(
    *,
    event_key: str,
    recipient: Recipient,
    channel: str,
    message: Message,
    customer_id: int | None = None,
    webhook_endpoint: Any = None,
) -> OutboxMessage | None:
    """Add one outbox row and deliver it after commit. Queuing the same event twice adds nothing and sends nothing.

    Returns the new row, or None when this event was already queued for this recipient and channel.
    """
    row = OutboxMessage(
        event_key=event_key,
        recipient_key=recipient.key,
        channel=channel,
        address=recipient.address_for(channel),
        recipient_user_id=recipient.user_id,
        customer_id=customer_id,
        subject=message.subject[:250],
        body=message.body,
        html_body=message.html_body,
        url=message.url,
        payload=message.payload,
        attachments=list(message.attachments),
        priority=message.priority,
        webhook_endpoint=webhook_endpoint,
        next_attempt_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: async_task("apps.notifications.tasks.deliver_message", row.pk))
    return row


def queue_for_channels(
    *,
    event_key: str,
    recipient: Recipient,
    channels: list[str],
    message: Message,
    customer_id: int | None = None,
) -> list[OutboxMessage]:
    """One row per channel; a channel with no address for this recipient is skipped rather than failing later."""
    rows = []
    for channel in channels:
        if channel != Channel.IN_APP and not recipient.address_for(channel):
            continue
        if channel == Channel.IN_APP and recipient.user_id is None:
            continue
        row = queue_message(
            event_key=event_key,
            recipient=recipient,
            channel=channel,
            message=message,
            customer_id=customer_id,
        )
        if row is not None:
            rows.append(row)
    return rows


def _claim(message_id: int) -> OutboxMessage | None:
    """Take a due message for sending with one conditional update, so two workers never both send it."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.Q_CLUSTER["timeout"] * 2)
    claimable = Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
    )
    claimed = OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=OutboxMessage.Status.SENDING, claimed_at=now
    )
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


def backoff_seconds(attempts: int) -> int:
    return settings.OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)


def http_retry_seconds(attempts: int, *, jitter: float | None = None) -> float:
    """Slack, Teams and webhooks: exponential from WEBHOOK_RETRY_BASE_SECONDS, capped, plus up to 20% jitter.

    With the defaults (60 s base, 8 h cap, 12 attempts) the retries span more than 24 hours even with no jitter.
    """
    base = min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_CAP_SECONDS)
    return base * (1 + 0.2 * (random.random() if jitter is None else jitter))  # noqa: S311 (not security)


def max_attempts(channel: str) -> int:
    return settings.WEBHOOK_MAX_ATTEMPTS if channel in HTTP_CHANNELS else settings.OUTBOX_MAX_ATTEMPTS


def deliver(*, message_id: int) -> bool:
    """Send one outbox message if it is due and not yet sent. Returns True when this call sent it.

    1. Claim it (conditional update): a sent or in-flight message is left alone, so a second call sends nothing.
    2. Hand it to its channel and record the attempt (with the far end's status code, when there is one).
    3. On failure: give up at once when retrying cannot help (a 410 also disables the webhook endpoint), wait as
       long as a 429's Retry-After asks, else back off exponentially, and give up after the channel's attempts.
    A crash between sending and recording leaves the row claimed; it is sent again later with the same
    Message-ID / webhook-id, so delivery is at least once and a receiver can recognise the repeat.
    """
    message = _claim(message_id)
    if message is None:
        return False
    started = timezone.now()
    outcome: Sent | DeliveryError | None
    try:
        outcome = backend_for(message.channel).send(message)
    except DeliveryError as exc:
        outcome = exc
    except Exception as exc:
        # A bug in a channel must not leave the row claimed forever or stop the rest of the batch.
        logger.exception("Outbox message %s: unexpected error in the %s channel", message.pk, message.channel)
        outcome = DeliveryError(f"Unexpected error: {exc!r}")
    _record_attempt(message, started, outcome)
    return not isinstance(outcome, DeliveryError)


def _record_attempt(message: OutboxMessage, started: Any, outcome: Sent | DeliveryError | None) -> None:
    now = timezone.now()
    failed = isinstance(outcome, DeliveryError)
    error = str(outcome) if failed else ""
    message.attempts += 1
    if not failed:
        message.status, message.sent_at, message.last_error = OutboxMessage.Status.SENT, now, ""
    elif outcome.permanent or message.attempts >= max_attempts(message.channel):
        message.status, message.last_error = OutboxMessage.Status.FAILED, error
    else:
        message.status, message.last_error = OutboxMessage.Status.PENDING, error
        message.next_attempt_at = now + timedelta(seconds=_wait(message, outcome))
    # The attempt and the row's new state commit together. A worker killed between two separate writes left attempt
    # N recorded but the row still at N-1 attempts and claimed: every rescue then failed on the attempt number's
    # unique constraint and the row never left "sending" (tests/faults/test_worker_crash.py found it).
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            message=message,
            number=message.attempts,
            started_at=started,
            finished_at=now,
            succeeded=not failed,
            error=error,
            response_status=getattr(outcome, "response_status", None),
            request_headers=getattr(outcome, "request_headers", None) or {},
        )
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    if failed and outcome.gone and message.webhook_endpoint_id:
        from apps.notifications.webhooks import set_endpoint_active

        reason = f"Answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC."
        set_endpoint_active(actor=None, endpoint=message.webhook_endpoint, active=False, reason=reason)


def _wait(message: OutboxMessage, error: DeliveryError) -> float:
    if error.retry_after is not None:
        return min(error.retry_after, settings.WEBHOOK_RETRY_AFTER_MAX_SECONDS)
    if message.channel in HTTP_CHANNELS:
        return http_retry_seconds(message.attempts)
    return backoff_seconds(message.attempts)


def due_message_ids(limit: int = 200) -> list[int]:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.Q_CLUSTER["timeout"] * 2)
    due = Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=stale
    )
    return list(OutboxMessage.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one notification (or all of the user's) read. Returns how many changed."""
    unread = Notification.objects.for_user(user).unread()
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


DEFAULT_USER_CHANNELS = [Channel.EMAIL, Channel.IN_APP]
USER_CHANNELS = [Channel.EMAIL, Channel.IN_APP, Channel.SLACK, Channel.TEAMS]


def resolve_requests(*, event_key: str, user_ids: list[int] | None = None) -> int:
    """Mark the in-app requests of one event done (read) once their subject is decided. Returns how many changed.

    `user_ids` limits it to some recipients (the approver who just decided); None resolves it for everyone asked.
    """
    requests = Notification.objects.filter(message__event_key=event_key, read_at__isnull=True)
    if user_ids is not None:
        requests = requests.filter(user_id__in=user_ids)
    return requests.update(read_at=timezone.now())


def user_recipient(user: Any) -> Recipient:
    preference = ChannelPreference.objects.filter(user=user).first()
    addresses = {}
    if preference is not None:
        addresses = {Channel.SLACK: preference.slack_webhook_url, Channel.TEAMS: preference.teams_webhook_url}
    return Recipient(key=f"user:{user.pk}", email=user.email, user_id=user.pk, addresses=addresses)


def user_channels(user: Any) -> list[str]:
    """The channels a user chose (settings page); email and in-app until they choose."""
    preference = ChannelPreference.objects.filter(user=user).first()
    return list(preference.channels) if preference is not None else list(DEFAULT_USER_CHANNELS)


@transaction.atomic
def set_user_channels(
    *, user: Any, channels: list[str], slack_webhook_url: str = "", teams_webhook_url: str = ""
) -> ChannelPreference:
    """Save a user's channel choice. A chat channel needs its webhook URL, which must not point inside our network."""
    from apps.notifications.webhooks import check_url

    unknown = set(channels) - set(USER_CHANNELS)
    if unknown:
        raise ValidationError({"channels": f"Unknown channels: {', '.join(sorted(unknown))}."})
    for channel, url in ((Channel.SLACK, slack_webhook_url), (Channel.TEAMS, teams_webhook_url)):
        field_name = f"{channel}_webhook_url"
        if channel in channels and not url:
            raise ValidationError({field_name: f"Needed for the {Channel(channel).label} channel."})
        if url:
            try:
                check_url(url)
            except ValidationError as exc:
                raise ValidationError({field_name: exc.message_dict["url"]}) from None
    preference, _ = ChannelPreference.objects.get_or_create(user=user)
    preference.channels = [c for c in USER_CHANNELS if c in channels]
    preference.slack_webhook_url, preference.teams_webhook_url = slack_webhook_url, teams_webhook_url
    preference.full_clean()
    preference.save()
    record_event(
        action="notifications.channels_changed", obj=preference, actor=user, data={"channels": preference.channels}
    )
    return preference


def stakeholder_recipient(stakeholder: Any) -> Recipient:
    """A stakeholder, reachable on every channel they have an address for.

    Signed webhooks go to the company's registered endpoints (`webhooks.emit_event`), never to a per-person URL.
    """
    return Recipient(
        key=f"stakeholder:{stakeholder.pk}",
        email=stakeholder.email,
        user_id=stakeholder.user_id,
        addresses={
            Channel.SLACK: stakeholder.slack_webhook_url,
            Channel.TEAMS: stakeholder.teams_webhook_url,
        },
    )


def notify_user(
    *, event_key: str, user: Any, subject: str, body: str, url: str, customer_id: int | None, priority: bool = False
) -> list[OutboxMessage]:
    """A staff member (or any user) on the channels they chose (email and in-app by default), once per event."""
    return queue_for_channels(
        event_key=event_key,
        recipient=user_recipient(user),
        channels=user_channels(user),
        message=Message(subject=subject, body=body, url=url, priority=priority),
        customer_id=customer_id,
    )


def notify_stakeholder(
    *, event_key: str, stakeholder: Any, subject: str, body: str, url: str, priority: bool = False
) -> list[OutboxMessage]:
    """A customer stakeholder on each of their preferred channels (email when they chose none), once per event."""
    return queue_for_channels(
        event_key=event_key,
        recipient=stakeholder_recipient(stakeholder),
        channels=list(stakeholder.channels or [Channel.EMAIL]),
        message=Message(subject=subject, body=body, url=url, priority=priority),
        customer_id=stakeholder.customer_id,
    )
