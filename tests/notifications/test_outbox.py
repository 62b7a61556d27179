"""The outbox: one row per event, recipient and channel; each row sent once; failures retried with backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from apps.notifications import channels, services, tasks
from apps.notifications.channels import DeliveryError
from apps.notifications.models import Channel, DeliveryAttempt, Notification, OutboxMessage
from apps.notifications.services import Message, Recipient, queue_for_channels, queue_message
from tests.customers.factories import UserFactory

pytestmark = pytest.mark.django_db


class FailingChannel:
    def __init__(self) -> None:
        self.calls = 0

    def send(self, message: OutboxMessage) -> None:
        self.calls += 1
        raise DeliveryError("Mail server said no.")


class CrashingChannel:
    def send(self, message: OutboxMessage) -> None:
        raise RuntimeError("A bug in the channel code.")


@pytest.fixture
def person():
    return UserFactory(email="pat@portal.example")


def _recipient(user) -> Recipient:
    return Recipient(key=f"user:{user.pk}", email=user.email, user_id=user.pk)


def _queue(user, *, channel: str = Channel.EMAIL, event_key: str = "milestone:1:due") -> OutboxMessage | None:
    message = Message(subject="Milestone 1 is due", body="Please review the evidence.", url="/client/")
    return queue_message(event_key=event_key, recipient=_recipient(user), channel=channel, message=message)


def _make_due(row: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_queueing_the_same_event_twice_for_the_same_recipient_and_channel_makes_one_outbox_row(person):
    first = _queue(person)
    second = _queue(person)

    assert first is not None
    assert second is None
    assert OutboxMessage.objects.filter(event_key="milestone:1:due").count() == 1


def test_the_same_event_on_another_channel_or_for_another_person_gets_its_own_row(person):
    other = UserFactory(email="sam@portal.example")

    _queue(person, channel=Channel.EMAIL)
    _queue(person, channel=Channel.IN_APP)
    _queue(other, channel=Channel.EMAIL)

    assert OutboxMessage.objects.count() == 3


def test_queueing_delivers_the_email_once_the_transaction_commits(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(person)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat@portal.example"]
    assert mail.outbox[0].subject == "Milestone 1 is due"
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_delivering_the_same_outbox_row_twice_sends_exactly_one_email(person):
    row = _queue(person)

    first = tasks.deliver_message(row.pk)
    second = tasks.deliver_message(row.pk)

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert row.sent_at is not None
    assert row.attempts == 1
    attempts = list(DeliveryAttempt.objects.filter(message=row))
    assert [(a.number, a.succeeded, a.error) for a in attempts] == [(1, True, "")]


def test_a_failing_channel_records_the_attempt_and_schedules_a_retry_with_exponential_backoff(person, monkeypatch):
    monkeypatch.setitem(channels.BACKENDS, Channel.EMAIL, FailingChannel())
    row = _queue(person)
    base = settings.OUTBOX_BACKOFF_SECONDS

    for number, expected_wait in [(1, base), (2, base * 2), (3, base * 4)]:
        assert services.deliver(message_id=row.pk) is False
        row.refresh_from_db()
        attempt = DeliveryAttempt.objects.get(message=row, number=number)
        assert attempt.succeeded is False
        assert attempt.error == "Mail server said no."
        assert row.status == OutboxMessage.Status.PENDING
        assert row.last_error == "Mail server said no."
        assert row.next_attempt_at - attempt.finished_at == timedelta(seconds=expected_wait)
        _make_due(row)

    assert mail.outbox == []


def test_a_message_that_is_not_yet_due_is_not_retried_early(person, monkeypatch):
    failing = FailingChannel()
    monkeypatch.setitem(channels.BACKENDS, Channel.EMAIL, failing)
    row = _queue(person)
    services.deliver(message_id=row.pk)

    assert services.deliver(message_id=row.pk) is False
    assert tasks.deliver_due_messages() == 0
    assert failing.calls == 1


def test_a_failing_message_is_given_up_as_failed_after_the_maximum_attempts(person, monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    failing = FailingChannel()
    monkeypatch.setitem(channels.BACKENDS, Channel.EMAIL, failing)
    row = _queue(person)

    for _ in range(5):
        services.deliver(message_id=row.pk)
        _make_due(row)

    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.FAILED
    assert row.attempts == 3
    assert failing.calls == 3
    assert DeliveryAttempt.objects.filter(message=row, succeeded=False).count() == 3
    assert row.pk not in services.due_message_ids()


def test_a_failing_channel_does_not_block_another_channels_row(person, monkeypatch):
    monkeypatch.setitem(channels.BACKENDS, Channel.EMAIL, FailingChannel())
    queue_for_channels(
        event_key="milestone:2:signed",
        recipient=_recipient(person),
        channels=[Channel.EMAIL, Channel.IN_APP],
        message=Message(subject="Milestone 2 signed off", body="Thank you."),
    )

    delivered = tasks.deliver_due_messages()

    assert delivered == 1
    assert OutboxMessage.objects.get(channel=Channel.IN_APP).status == OutboxMessage.Status.SENT
    assert OutboxMessage.objects.get(channel=Channel.EMAIL).status == OutboxMessage.Status.PENDING
    assert Notification.objects.get(user=person).title == "Milestone 2 signed off"


def test_a_channel_that_crashes_records_a_failed_attempt_and_the_rest_of_the_batch_is_still_sent(person, monkeypatch):
    monkeypatch.setitem(channels.BACKENDS, Channel.EMAIL, CrashingChannel())
    email_row = _queue(person, channel=Channel.EMAIL)
    in_app_row = _queue(person, channel=Channel.IN_APP)

    assert tasks.deliver_due_messages() == 1

    email_row.refresh_from_db()
    in_app_row.refresh_from_db()
    assert email_row.status == OutboxMessage.Status.PENDING
    assert "A bug in the channel code." in email_row.last_error
    assert DeliveryAttempt.objects.get(message=email_row).succeeded is False
    assert in_app_row.status == OutboxMessage.Status.SENT


def test_a_stale_sending_claim_left_by_a_dead_worker_is_rescued_by_deliver_due_messages(person):
    row = _queue(person)
    stale = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["timeout"] * 2 + 5)
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.SENDING, claimed_at=stale)

    assert tasks.deliver_due_messages() == 1

    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_a_fresh_sending_claim_is_left_to_the_worker_that_holds_it(person):
    row = _queue(person)
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.SENDING, claimed_at=timezone.now())

    assert tasks.deliver_due_messages() == 0
    assert services.deliver(message_id=row.pk) is False
    assert mail.outbox == []


def test_the_in_app_channel_creates_one_notification_even_if_delivered_twice(person):
    row = _queue(person, channel=Channel.IN_APP)

    services.deliver(message_id=row.pk)
    services.deliver(message_id=row.pk)
    # A worker that died after sending but before recording leaves the row claimable again.
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxMessage.Status.PENDING)
    services.deliver(message_id=row.pk)

    notification = Notification.objects.get(user=person)
    assert notification.title == "Milestone 1 is due"
    assert notification.url == "/client/"
    assert notification.read_at is None


def test_queue_for_channels_skips_channels_the_recipient_cannot_be_reached_on(person):
    recipient = Recipient(key="stakeholder:9", email="", user_id=None, addresses={Channel.SLACK: ""})

    rows = queue_for_channels(
        event_key="x:1",
        recipient=recipient,
        channels=[Channel.EMAIL, Channel.IN_APP, Channel.SLACK],
        message=Message(subject="s", body="b"),
    )

    assert rows == []
    assert OutboxMessage.objects.count() == 0
