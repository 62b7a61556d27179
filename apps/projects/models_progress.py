"""Progress updates of a project and the thresholds that turn them into a schedule status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.scoping import client_scope
from apps.projects import progress

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class ProgressSettings(models.Model):
    """Schedule-status thresholds and which risk levels make an update a priority (one row, pk=1)."""

    ahead_min = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Ahead when progress minus expected is at least this (points)."
    )
    on_track_min = models.DecimalField(max_digits=5, decimal_places=1, help_text="On track from this difference.")
    at_risk_min = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="At risk from this difference; below it the project is behind."
    )
    priority_risk_levels = models.JSONField(
        default=list, help_text='Risk levels that mark an update as priority, e.g. ["high", "critical"].'
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every admin save; stored with each update.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "progress update settings"
        verbose_name_plural = "progress update settings"

    def __str__(self) -> str:
        return f"Progress update settings v{self.version}"

    def clean(self) -> None:
        if None not in (self.ahead_min, self.on_track_min, self.at_risk_min) and not (
            self.ahead_min > self.on_track_min > self.at_risk_min
        ):
            raise ValidationError("Thresholds must fall: ahead > on track > at risk.")
        unknown = set(self.priority_risk_levels or []) - set(RiskLevel.values)
        if unknown:
            raise ValidationError({"priority_risk_levels": f"Unknown risk levels: {', '.join(sorted(unknown))}."})

    @classmethod
    def load(cls) -> ProgressSettings:
        return cls.objects.get(pk=1)

    def to_config(self) -> progress.ScheduleThresholds:
        return progress.ScheduleThresholds(
            ahead_min=self.ahead_min,
            on_track_min=self.on_track_min,
            at_risk_min=self.at_risk_min,
            priority_risk_levels=tuple(self.priority_risk_levels),
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "ahead_min": str(self.ahead_min),
            "on_track_min": str(self.on_track_min),
            "at_risk_min": str(self.at_risk_min),
            "priority_risk_levels": list(self.priority_risk_levels),
            "version": self.version,
        }


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def visible_to(self, user: Any) -> ProgressUpdateQuerySet:
        return client_scope(self, user, "project__customer_id")


class ProgressUpdate(models.Model):
    """One report of where a project stands, with the schedule status computed when it was posted."""

    class ScheduleStatus(models.TextChoices):
        AHEAD = "ahead", "Ahead of schedule"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        BEHIND = "behind", "Behind schedule"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="progress_updates")
    percent_complete = models.DecimalField(max_digits=4, decimal_places=1, validators=PERCENT)
    achievements = models.JSONField(default=list, blank=True)
    blockers = models.JSONField(default=list, blank=True)
    upcoming = models.JSONField(default=list, blank=True, help_text="Upcoming milestones.")
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    expected_percent = models.DecimalField(max_digits=4, decimal_places=1, validators=PERCENT)
    difference = models.DecimalField(max_digits=5, decimal_places=1)
    schedule_status = models.CharField(max_length=10, choices=ScheduleStatus.choices)
    schedule_reason = models.CharField(max_length=300)
    priority = models.BooleanField(default=False)
    elapsed_days = models.PositiveIntegerField()
    planned_days = models.PositiveIntegerField()
    thresholds = models.JSONField(default=dict, help_text="The thresholds (and their version) this update used.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=200, help_text="Who posted it: a person or an API key.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.percent_complete}% on {self.project_id} ({self.get_schedule_status_display()})"
