"""Playbooks: one per retention strategy, each a list of actions that become tasks when a run starts.

The playbooks, their actions and the outcome rule's numbers are configuration admins edit, seeded with DOMAIN.md's
defaults by a data migration. A run keeps the health it started from and, 30 days after it closed, its outcome.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.scoping import client_scope
from apps.retention.registry import BANDS, STRATEGIES

LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class PlaybookSettings(models.Model):
    """The single row of numbers behind a run's outcome."""

    outcome_after_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="A run's outcome is recorded this many days after it closed.",
    )
    worked_delta = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="A run worked when health rose by at least this much (or its band improved).",
    )

    class Meta:
        verbose_name = "playbook settings"
        verbose_name_plural = "playbook settings"

    def __str__(self) -> str:
        return "Playbook settings"


class Playbook(models.Model):
    strategy = models.CharField(max_length=30, choices=STRATEGIES, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, help_text="When and why a CSM runs it.")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PlaybookAction(models.Model):
    class OwnerRole(models.TextChoices):
        CSM = "csm", "Customer's CSM"
        TEAM_LEAD = "team_lead", "CSM's team lead"

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    owner_role = models.CharField(max_length=20, choices=OwnerRole.choices, default=OwnerRole.CSM)
    priority = models.CharField(max_length=10, choices=LEVELS, default="medium")
    expected_impact = models.CharField(max_length=10, choices=LEVELS, default="medium")
    cost = models.CharField(max_length=10, choices=LEVELS, default="low")
    due_in_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(365)], help_text="Due this many days after the start."
    )

    class Meta:
        ordering = ["playbook", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class PlaybookRunQuerySet(models.QuerySet["PlaybookRun"]):
    def visible_to(self, user: Any) -> PlaybookRunQuerySet:
        return client_scope(self, user).select_related("customer", "playbook")


class PlaybookRun(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Running"
        CLOSED = "closed", "Closed"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Started by a CSM"
        AUTOMATIC = "automatic", "Started automatically"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="playbook_runs")
    playbook = models.ForeignKey(Playbook, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    strategy_at_start = models.CharField(max_length=30, choices=STRATEGIES, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    health_at_start = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    band_at_start = models.CharField(max_length=20, choices=BANDS, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    health_at_outcome = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    band_at_outcome = models.CharField(max_length=20, choices=BANDS, blank=True)
    health_delta = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    worked = models.BooleanField(null=True, blank=True, help_text="Empty when health was missing at either end.")
    outcome_reason = models.CharField(max_length=300, blank=True)

    objects = PlaybookRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "playbook"],
                condition=Q(status="open"),
                name="playbook_run_one_open",
                violation_error_message="This playbook is already running for this customer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.playbook} for {self.customer}"
