"""What a CSM logs (touchpoints, reviews) and what the client view records (one row per stakeholder, day, feature)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.scoping import client_scope
from apps.retention.registry import FEATURES

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Touchpoint(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="touchpoints")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_on = models.DateField()
    stakeholders = models.ManyToManyField("customers.Stakeholder", blank=True, related_name="touchpoints")
    note = models.TextField(max_length=4000)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["customer", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.customer} on {self.occurred_on}"


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible_to(self, user: Any) -> ReviewQuerySet:
        return client_scope(self, user)


class Review(models.Model):
    """A periodic account review: the CSM's sentiment, business outcomes and expansion signals."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    sentiment = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)], help_text="Stakeholder sentiment, 1-10."
    )
    roi_achieved = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True, validators=PERCENT)
    business_impact = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True, validators=PERCENT)
    goals_met = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text="Success-plan goals met, 0-100.",
    )
    expansion_signals = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["customer", "reviewed_on"])]

    def __str__(self) -> str:
        return f"Review of {self.customer} on {self.reviewed_on}"


class Activity(models.Model):
    """A stakeholder used a client-view feature on a day: one row, however many requests."""

    FEATURE_CHOICES = list(FEATURES)

    stakeholder = models.ForeignKey("customers.Stakeholder", on_delete=models.CASCADE, related_name="activity")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="activity")
    day = models.DateField()
    feature = models.CharField(max_length=20, choices=FEATURE_CHOICES)

    class Meta:
        verbose_name = "client-view activity"
        verbose_name_plural = "client-view activity"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "day", "feature"],
                name="activity_once_per_day",
                violation_error_message="This activity is already recorded for that day.",
            ),
        ]
        indexes = [models.Index(fields=["customer", "day"])]

    def __str__(self) -> str:
        return f"{self.stakeholder_id} used {self.feature} on {self.day}"
