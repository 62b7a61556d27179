"""A running guarantee: 30 days, four weekly milestones whose criteria were copied from the template."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from apps.core.scoping import client_scope
from apps.guarantees.models.config import METHOD_CHOICES, PERCENT
from apps.projects.models import ServiceType


class GuaranteeQuerySet(models.QuerySet["Guarantee"]):
    def visible_to(self, user: Any) -> GuaranteeQuerySet:
        return client_scope(self, user, "project__customer_id").select_related("project__customer")


class Guarantee(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        AT_RISK = "at_risk", "At risk"
        FAILED_WEEK = "failed_week", "Failed week"
        SUCCEEDED = "succeeded", "Succeeded"
        CLAIM_ELIGIBLE = "claim_eligible", "Claim eligible"

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="guarantee")
    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    template_name = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    threshold = models.DecimalField(max_digits=4, decimal_places=1, validators=PERCENT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    activated_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GuaranteeQuerySet.as_manager()

    class Meta:
        ordering = ["-activated_at", "-id"]
        # The list's order and the outcomes page's "ending soon" read the first rows of these (docs/performance.md).
        indexes = [
            models.Index(fields=["-activated_at", "-id"], name="guarantee_list_order"),
            models.Index(fields=["ends_on", "id"], name="guarantee_ending_order"),
        ]

    def __str__(self) -> str:
        return f"Guarantee for {self.project.name}"

    @property
    def duration_days(self) -> int:
        return (self.ends_on - self.starts_on).days

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.CLAIM_ELIGIBLE)


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def visible_to(self, user: Any) -> MilestoneQuerySet:
        return client_scope(self, user, "guarantee__project__customer_id").select_related(
            "guarantee__project__customer"
        )


class Milestone(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCESS = "success", "Success"
        AT_RISK = "at_risk", "At risk"
        FAILED = "failed", "Failed"

    class Review(models.TextChoices):
        OPEN = "open", "Collecting evidence"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
        CLOSED = "closed", "Closed"

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="milestones")
    week = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=150)
    due_date = models.DateField()
    pass_threshold = models.DecimalField(max_digits=4, decimal_places=1, validators=PERCENT)
    escalation_threshold = models.DecimalField(max_digits=4, decimal_places=1, validators=PERCENT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    status_reason = models.CharField(max_length=400, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.OPEN)
    round = models.PositiveSmallIntegerField(default=1, help_text="Raised each time the milestone is reopened.")
    guarantee_round = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the guarantee's own weeks; 2 and up for weeks added by continued development."
    )
    required_approvers = models.JSONField(
        default=list, blank=True, help_text="Stakeholder ids whose approval closes this round."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["guarantee", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee", "week"],
                name="milestone_week_unique",
                violation_error_message="This guarantee already has a milestone for this week.",
            )
        ]

    def __str__(self) -> str:
        return f"Week {self.week}: {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.review == self.Review.CLOSED


class MilestoneCriterion(models.Model):
    """A criterion copied from the template at activation; its score follows its latest evidence version."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=150)
    weight = models.DecimalField(max_digits=4, decimal_places=3)
    method = models.CharField(max_length=40, choices=METHOD_CHOICES)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    latest_evidence = models.ForeignKey(
        "guarantees.Evidence", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "milestone criteria"
        ordering = ["milestone", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "key"],
                name="milestone_criterion_key_unique",
                violation_error_message="This milestone already has a criterion with this key.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneAction(models.Model):
    """A recovery step (weak criterion) or an escalation (failed week), assignable with a due date."""

    class Kind(models.TextChoices):
        RECOVERY = "recovery", "Recovery"
        ESCALATION = "escalation", "Escalation"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="actions")
    round = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=120, help_text="One action per round, kind and criterion or step.")
    criterion_key = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=250)
    detail = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["milestone", "-round", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "round", "dedupe_key"],
                name="milestone_action_once",
                violation_error_message="This action was already taken for this milestone in this round.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
