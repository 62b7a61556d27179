"""Claims on a claim-eligible guarantee, the one refund payout, and the migration-assistance task list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.labels import format_money
from apps.core.scoping import client_scope
from apps.outcomes.models.validation import FinalValidation


class Remedy(models.TextChoices):
    REFUND = "refund", "Full refund of the guarantee amount"
    CONTINUED_DEVELOPMENT = "continued_development", "Continued development at no cost"
    MIGRATION_ASSISTANCE = "migration_assistance", "Migration assistance"


class ClaimQuerySet(models.QuerySet["Claim"]):
    def visible_to(self, user: Any) -> ClaimQuerySet:
        return client_scope(self, user, "guarantee__project__customer_id").select_related(
            "guarantee__project__customer", "opened_by", "decided_by"
        )


class Claim(models.Model):
    class Status(models.TextChoices):
        OPENED = "opened", "Opened"
        UNDER_REVIEW = "under_review", "Under review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"
        FULFILLED = "fulfilled", "Fulfilled"

    guarantee = models.ForeignKey("guarantees.Guarantee", on_delete=models.PROTECT, related_name="claims")
    validation = models.ForeignKey(FinalValidation, on_delete=models.PROTECT, related_name="claims")
    remedy = models.CharField(max_length=30, choices=Remedy.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPENED, db_index=True)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="For a refund: the guarantee amount."
    )
    description = models.TextField(blank=True, help_text="The claimant's own words.")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_via = models.CharField(max_length=10, choices=[("client", "Client view"), ("staff", "Staff portal")])
    opened_at = models.DateTimeField(auto_now_add=True)
    review_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_started_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="Paid or fulfilled.")
    status_changed_at = models.DateTimeField()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One live claim per decided round: two tabs opening claims at once leave one row.
            models.UniqueConstraint(
                fields=["validation"],
                condition=~Q(status="rejected"),
                name="claim_one_live_per_round",
                violation_error_message="A claim is already open for this validation.",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected", rejection_reason=""),
                name="claim_rejection_reason",
                violation_error_message="A rejected claim needs a reason.",
            ),
            models.CheckConstraint(
                condition=~Q(remedy="refund") | Q(amount__gt=0),
                name="claim_refund_has_amount",
                violation_error_message="A refund claim needs an amount above zero.",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(remedy="refund"),
                name="claim_only_refund_paid",
                violation_error_message="Only a refund claim can be marked paid.",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim #{self.pk}: {self.get_remedy_display()} ({self.get_status_display()})"

    @property
    def is_refund(self) -> bool:
        return self.remedy == Remedy.REFUND

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.OPENED, self.Status.UNDER_REVIEW, self.Status.APPROVED)


class PayoutQuerySet(models.QuerySet["Payout"]):
    def visible_to(self, user: Any) -> PayoutQuerySet:
        return client_scope(self, user, "guarantee__project__customer_id")


class Payout(models.Model):
    """The refund of a guarantee: at most one, ever, per guarantee (a database constraint, not a check in Python)."""

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved, awaiting transfer"
        RECORDED = "recorded", "Transfer recorded, settling"
        PAID = "paid", "Paid"

    guarantee = models.ForeignKey("guarantees.Guarantee", on_delete=models.PROTECT, related_name="payouts")
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payout")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    reference = models.CharField(max_length=100, blank=True, help_text="The bank transfer's reference.")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    objects = PayoutQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee"],
                name="one_refund_per_guarantee",
                violation_error_message="This guarantee already has a refund.",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="payout_reference_unique",
                violation_error_message="Another payout already has this reference.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payout_amount_positive",
                violation_error_message="The payout amount must be above zero.",
            ),
            models.CheckConstraint(
                condition=Q(status="approved") | ~Q(reference=""),
                name="payout_recorded_has_reference",
                violation_error_message="A recorded payout needs its payment reference.",
            ),
        ]

    def __str__(self) -> str:
        return f"Refund of guarantee {self.guarantee_id}: {format_money(self.amount)} ({self.get_status_display()})"


class MigrationTask(models.Model):
    """One step of an approved migration-assistance claim; the claim is fulfilled when every step is done."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["claim", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "position"],
                name="migration_task_position_unique",
                violation_error_message="Another migration task of this claim already has this position.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
