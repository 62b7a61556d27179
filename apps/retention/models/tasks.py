"""Work for a CSM: follow-ups of detractors and playbook actions, with an owner and a due date."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from apps.core.scoping import client_scope
from apps.retention.models.playbooks import LEVELS


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: Any) -> TaskQuerySet:
        return client_scope(self, user).select_related("customer", "owner")


class Task(models.Model):
    class Kind(models.TextChoices):
        DETRACTOR_FOLLOW_UP = "detractor_follow_up", "Detractor follow-up"
        PLAYBOOK_ACTION = "playbook_action", "Playbook action"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="retention_tasks")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=250)
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="retention_tasks")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.OneToOneField(
        "retention.SurveyAnswer", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_up"
    )
    run = models.ForeignKey(
        "retention.PlaybookRun", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    action = models.ForeignKey(
        "retention.PlaybookAction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.CharField(max_length=10, choices=LEVELS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.TextField(blank=True, help_text="Why it was dropped, or what was done.")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title
