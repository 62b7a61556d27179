"""The demo posts one progress update per project, through the service, and is safe to run twice."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from apps.notifications.models import OutboxMessage
from apps.projects.models import ProgressUpdate, Project


def test_every_demo_project_has_a_progress_update_and_a_second_run_adds_none(seeded_demo):
    updates = ProgressUpdate.objects.count()
    messages = OutboxMessage.objects.filter(event_key__startswith="progress_update:").count()
    call_command("seed_demo", stdout=StringIO())

    assert updates == Project.objects.count() > 0
    assert ProgressUpdate.objects.count() == updates
    assert messages > 0
    assert OutboxMessage.objects.filter(event_key__startswith="progress_update:").count() == messages
    assert set(ProgressUpdate.objects.values_list("risk_level", flat=True)) == {"high", "low"}
