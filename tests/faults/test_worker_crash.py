"""A worker killed with SIGKILL in the middle of a task, then restarted: every effect happens exactly once.

A real `manage.py qcluster` (tests/faults/cluster.py) works on committed rows of the PostgreSQL test database. The
whole process group is killed mid-batch, a new cluster is started, and the data is checked:

- a rescore of every open lead: each lead ends with exactly one score of the new version (none lost, none twice);
- a batch of outbox emails: every row is sent, each Message-ID reaches the mail server, and the only possible
  repeat is the one message in flight at the kill, carrying the same Message-ID (delivery is at least once with a
  stable id: README, "Notifications"); every row records exactly one successful attempt.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.utils import timezone

from apps.leads.models import Lead, LeadScore, RescoreRun
from apps.leads.scoring import versions
from apps.notifications.channels import message_id_header
from apps.notifications.models import Channel, DeliveryAttempt, OutboxMessage
from tests.customers.factories import UserFactory
from tests.faults.cluster import wait_for
from tests.faults.conftest import postgres_only
from tests.faults.mailsink import SECONDS_PER_MESSAGE, received
from tests.leads.factories import LeadFactory

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

LEADS = 1500  # three batches of 500: the kill lands after the first has committed and before the last


def _leads(count: int) -> list[int]:
    owner = UserFactory()
    leads = Lead.objects.bulk_create(LeadFactory.build_batch(count, owner=owner))
    return [lead.pk for lead in leads]


def _emails(count: int) -> list[OutboxMessage]:
    now = timezone.now()
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            event_key=f"fault-test:{n}",
            recipient_key="user:fault",
            channel=Channel.EMAIL,
            address=f"person{n}@customer.example",
            subject=f"Message {n}",
            body="Milestone 2 is due.",
            next_attempt_at=now,
        )
        for n in range(count)
    )


def test_a_rescore_killed_mid_batch_and_restarted_scores_every_lead_exactly_once(cluster_factory):
    lead_ids = _leads(LEADS)
    version = versions.current_version()
    run = RescoreRun.objects.create(version=version, total=LEADS)
    cluster = cluster_factory()
    cluster.enqueue("apps.leads.tasks.rescore_open_leads", run.pk)
    cluster.start()

    def mid_run() -> bool:
        run.refresh_from_db()
        return run.status == RescoreRun.Status.RUNNING and run.done >= 500

    wait_for(mid_run, seconds=60, what="the first batch to commit", cluster=cluster)
    cluster.kill()
    run.refresh_from_db()
    scored_at_kill = LeadScore.objects.filter(config_version=version).count()
    assert run.status == RescoreRun.Status.RUNNING, "the run finished before the kill: nothing was interrupted"
    assert 500 <= scored_at_kill < LEADS

    # The ORM broker hands the unacknowledged task to the new cluster once its lock (Q_RETRY, 21 s here) runs out.
    cluster.start()
    wait_for(
        lambda: RescoreRun.objects.filter(pk=run.pk, status=RescoreRun.Status.DONE).exists(),
        seconds=90,
        what="the restarted cluster to finish the run",
        cluster=cluster,
    )
    cluster.kill()

    scores = LeadScore.objects.filter(config_version=version)
    assert scores.count() == LEADS
    assert Counter(scores.values_list("lead_id", flat=True)) == Counter(lead_ids)
    leads = Lead.objects.filter(pk__in=lead_ids).select_related("latest_score")
    assert all(lead.latest_score is not None and lead.latest_score.config_version_id == version.pk for lead in leads)
    assert all(lead.latest_score.lead_id == lead.pk for lead in leads)


def test_an_outbox_batch_killed_mid_send_and_restarted_sends_each_message_id_once(cluster_factory):
    rows = _emails(12)
    expected = {message_id_header(row) for row in rows}
    # The batch takes about 2 s (longer on a loaded machine: the timeout leaves room, or django-q2 itself would kill
    # the task); the dead worker's claim is stale (2 x timeout) 16 s later.
    cluster = cluster_factory(timeout=8)
    cluster.enqueue("apps.notifications.tasks.deliver_due_messages")
    cluster.start()

    wait_for(lambda: len(received(cluster.sink)) >= 4, seconds=60, what="four messages sent", cluster=cluster)
    cluster.kill()
    in_flight = {message_id_header(row) for row in OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING)}
    sent_before = len(received(cluster.sink))
    assert sent_before < len(rows), "the batch finished before the kill: nothing was interrupted"
    assert len(in_flight) <= 1

    # The recurring `deliver_due_messages` (every minute in production) sends what is due and rescues the claim the
    # dead worker left, once it is stale (2 x Q_TIMEOUT); here it is queued every 2 s until all are sent.
    cluster.start()

    def all_sent() -> bool:
        if OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).filter(pk__in=[r.pk for r in rows]):
            cluster.enqueue("apps.notifications.tasks.deliver_due_messages")
            time.sleep(2)
            return False
        return True

    seconds = 60 + 2 * cluster.timeout + len(rows) * SECONDS_PER_MESSAGE
    wait_for(all_sent, seconds=seconds, what="every row sent", cluster=cluster)
    cluster.kill()

    deliveries = Counter(received(cluster.sink))
    assert set(deliveries) == expected
    repeats = {message_id for message_id, times in deliveries.items() if times > 1}
    assert repeats <= in_flight, "only the message in flight at the kill may reach the server twice"
    assert all(times <= 2 for times in deliveries.values())
    successes = Counter(
        DeliveryAttempt.objects.filter(message__in=rows, succeeded=True).values_list("message_id", flat=True)
    )
    assert successes == Counter({row.pk: 1 for row in rows})
