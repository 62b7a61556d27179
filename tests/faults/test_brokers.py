"""The tasks' idempotency checks, through a real worker on each broker: the database (ORM) and Redis.

Each task is queued twice, as a broker that delivers twice (or an impatient user) would, and a real
`manage.py qcluster` runs both copies. The second copy changes nothing and sends nothing. The Redis case needs a Redis
server (CI runs one at 127.0.0.1:6379); without one it is skipped, unless FAULTS_REQUIRE_REDIS=1 (set by .ci/run).
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone
from django_q.models import Task

from apps.audit.models import AuditEvent
from apps.leads.models import Lead, LeadScore, RescoreRun
from apps.leads.scoring import versions
from apps.notifications.channels import message_id_header
from apps.notifications.models import Channel, DeliveryAttempt, OutboxMessage
from tests.customers.factories import UserFactory
from tests.faults.cluster import wait_for
from tests.faults.conftest import postgres_only
from tests.faults.mailsink import received
from tests.leads.factories import LeadFactory

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["orm", "redis"])
def broker_url(request) -> str:
    return request.getfixturevalue("redis_url") if request.param == "redis" else ""


def _email(n: int) -> OutboxMessage:
    return OutboxMessage.objects.create(
        event_key=f"broker-test:{n}",
        recipient_key="user:broker",
        channel=Channel.EMAIL,
        address=f"reader{n}@customer.example",
        subject=f"Message {n}",
        body="The guarantee is active.",
        next_attempt_at=timezone.now(),
    )


def test_every_task_queued_twice_has_its_effect_once(broker_url, cluster_factory):
    owner = UserFactory()
    lead = LeadFactory(owner=owner)
    others = Lead.objects.bulk_create(LeadFactory.build_batch(30, owner=owner))
    version = versions.current_version()
    run = RescoreRun.objects.create(version=version, total=31)
    direct, batched = _email(1), [_email(n) for n in range(2, 6)]
    cluster = cluster_factory(broker_url=broker_url)
    queued = [
        cluster.enqueue(func, *args)
        for func, *args in [
            ("apps.leads.tasks.score_lead", lead.pk),
            ("apps.leads.tasks.rescore_open_leads", run.pk),
            ("apps.notifications.tasks.deliver_message", direct.pk),
            ("apps.notifications.tasks.deliver_due_messages",),
        ]
        for _ in range(2)
    ]
    cluster.start()
    wait_for(
        lambda: Task.objects.filter(id__in=queued).count() == len(queued),
        seconds=90,
        what="the worker to run all eight tasks",
        cluster=cluster,
    )
    cluster.kill()

    if broker_url:  # the queue really was Redis's list, not the database table
        assert f"Enqueued [django_q:{cluster.name}:q]" in cluster.output()
    assert Task.objects.filter(id__in=queued, success=True).count() == len(queued)
    # One score of the lead for its inputs however often it is scored; the rescore scores each open lead once.
    assert LeadScore.objects.filter(lead=lead).count() == 1
    assert Counter(LeadScore.objects.filter(lead__in=others).values_list("lead_id", flat=True)) == Counter(
        {other.pk: 1 for other in others}
    )
    assert AuditEvent.objects.filter(action="scoring_config.rescored").count() == 1
    # Each outbox row reaches the mail server once, with one successful attempt recorded.
    rows = [direct, *batched]
    assert Counter(received(cluster.sink)) == Counter({message_id_header(row): 1 for row in rows})
    assert DeliveryAttempt.objects.filter(message__in=rows).count() == len(rows)
    assert set(OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)) == {"sent"}
