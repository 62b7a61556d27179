"""A worker dying while it records a delivery leaves the outbox row rescuable: the attempt and the row's new state
are written together, so the rescue sends again (same Message-ID) and records attempt 1, instead of failing forever
on the attempt number's unique constraint. (The SIGKILL version of this runs a real worker: tests/faults.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import services
from apps.notifications.models import Channel, DeliveryAttempt, OutboxMessage

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception` handlers."""


def test_a_crash_between_sending_and_recording_leaves_no_half_recorded_attempt(monkeypatch):
    row = OutboxMessage.objects.create(
        event_key="crash:1",
        recipient_key="user:crash",
        channel=Channel.EMAIL,
        address="pat@customer.example",
        subject="Milestone 2 is due",
        body="Please review the evidence.",
        next_attempt_at=timezone.now(),
    )
    save = OutboxMessage.save

    def dies(self, *args, **kwargs):
        if kwargs.get("update_fields"):
            raise Killed
        return save(self, *args, **kwargs)

    monkeypatch.setattr(OutboxMessage, "save", dies)
    with pytest.raises(Killed):
        services.deliver(message_id=row.pk)
    monkeypatch.setattr(OutboxMessage, "save", save)

    assert not DeliveryAttempt.objects.filter(message=row).exists()
    assert OutboxMessage.objects.get(pk=row.pk).status == OutboxMessage.Status.SENDING
    OutboxMessage.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(days=1))  # stale claim

    assert services.deliver(message_id=row.pk) is True

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxMessage.Status.SENT, 1)
    assert list(DeliveryAttempt.objects.filter(message=row).values_list("number", "succeeded")) == [(1, True)]
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]
