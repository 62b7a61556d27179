"""Append-only records: evidence versions, milestone score records and sign-off decisions."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from apps.core.scoping import client_scope
from apps.guarantees.models.guarantee import MilestoneCriterion


class AppendOnlyError(Exception):
    """Evidence, scores and sign-offs are a record: a new version is added, nothing is changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted.")


def evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the person's file name is kept in the row, never used on disk.
    return f"evidence/{instance.criterion.milestone.guarantee_id}/{uuid.uuid4().hex}"


class EvidenceQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user: Any) -> EvidenceQuerySet:
        return client_scope(self, user, "criterion__milestone__guarantee__project__customer_id")


class Evidence(AppendOnlyModel):
    class Source(models.TextChoices):
        STAFF = "staff", "Customer success manager"
        CLIENT = "client", "Customer stakeholder"
        API = "api", "API (machine evidence)"

    criterion = models.ForeignKey(MilestoneCriterion, on_delete=models.PROTECT, related_name="evidence")
    version = models.PositiveIntegerField()
    method = models.CharField(max_length=40)
    data = models.JSONField(help_text="The method's evidence fields, exactly as scored.")
    contributions = models.JSONField(default=list, blank=True, help_text="Per-stakeholder inputs behind the data.")
    score = models.DecimalField(max_digits=4, decimal_places=1)
    parts = models.JSONField(default=list)
    reason = models.CharField(max_length=400)
    note = models.TextField(blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True, help_text="MIME type detected from the content.")
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by_label = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["criterion", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "version"],
                name="evidence_version_unique",
                violation_error_message="This version of the evidence is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion} v{self.version}"

    def digest_item(self) -> dict[str, Any]:
        """What a sign-off's SHA-256 covers for this criterion: the exact version, data and file bytes."""
        return {
            "criterion": self.criterion.key,
            "evidence_id": self.pk,
            "version": self.version,
            "method": self.method,
            "data": self.data,
            "file_sha256": self.file_sha256,
        }


class MilestoneScore(AppendOnlyModel):
    """One validation of a milestone: the score, its parts per criterion and the settings it used."""

    milestone = models.ForeignKey("guarantees.Milestone", on_delete=models.CASCADE, related_name="scores")
    round = models.PositiveSmallIntegerField()
    score = models.DecimalField(max_digits=4, decimal_places=1)
    status = models.CharField(max_length=10)
    parts = models.JSONField()
    missing = models.JSONField(default=list)
    reason = models.CharField(max_length=400)
    settings = models.JSONField(help_text="The validation settings and thresholds used.")
    evidence_digest = models.CharField(max_length=64)
    computed_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["milestone", "-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.score} ({self.status})"


class SignOffQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user: Any) -> SignOffQuerySet:
        return client_scope(self, user, "milestone__guarantee__project__customer_id")


class SignOff(AppendOnlyModel):
    """An approver's decision on one round of a milestone: who, when, from where, on exactly which evidence."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    milestone = models.ForeignKey("guarantees.Milestone", on_delete=models.PROTECT, related_name="signoffs")
    round = models.PositiveSmallIntegerField()
    stakeholder = models.ForeignKey("customers.Stakeholder", on_delete=models.PROTECT, related_name="signoffs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    evidence_digest = models.CharField(max_length=64, help_text="SHA-256 of the exact evidence set decided on.")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        verbose_name = "sign-off"
        verbose_name_plural = "sign-offs"
        ordering = ["milestone", "round", "decided_at", "id"]
        constraints = [
            # The database, not the view, guarantees one decision per approver per round, even under a race.
            models.UniqueConstraint(
                fields=["milestone", "round", "stakeholder"],
                name="signoff_once_per_round",
                violation_error_message="This stakeholder has already signed off this milestone in this round.",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="rejected", reason=""),
                name="signoff_rejection_needs_reason",
                violation_error_message="A rejection needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.stakeholder_id} on {self.milestone_id} r{self.round}"
