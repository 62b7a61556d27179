"""Final validation of a guarantee: the CSM's inputs, the stored result, and the success document."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from apps.core.scoping import client_scope


class RecordQuerySet(models.QuerySet):
    """A final validation is a record: it is written once and never changed or removed through the ORM."""

    def update(self, **kwargs: object) -> int:
        raise RecordChangeError(f"{self.model.__name__} rows cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordChangeError(f"{self.model.__name__} rows cannot be deleted.")


class RecordChangeError(Exception):
    pass


class FinalInput(models.Model):
    """A figure the portal cannot compute (performance, vulnerabilities, velocity), entered by the CSM with a source."""

    guarantee = models.ForeignKey("guarantees.Guarantee", on_delete=models.CASCADE, related_name="final_inputs")
    key = models.SlugField(max_length=60, help_text="The criterion key it feeds.")
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    current = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    source_note = models.CharField(max_length=500, help_text="Where the figure comes from (report, tool, date).")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["guarantee", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee", "key"],
                name="final_input_once_per_key",
                violation_error_message="This guarantee already has an input for this criterion.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} of guarantee {self.guarantee_id}"


class FinalValidationQuerySet(RecordQuerySet):
    def visible_to(self, user: Any) -> FinalValidationQuerySet:
        return client_scope(self, user, "guarantee__project__customer_id").select_related(
            "guarantee__project__customer"
        )


class FinalValidation(models.Model):
    """The end of a guarantee (round 1, or a later round after continued development): every figure and its source."""

    class Trigger(models.TextChoices):
        END_DATE = "end_date", "Guarantee period ended (day 30)"
        LAST_WEEK_CLOSED = "last_week_closed", "Last week closed"

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        CLAIM_ELIGIBLE = "claim_eligible", "Claim eligible"

    guarantee = models.ForeignKey("guarantees.Guarantee", on_delete=models.PROTECT, related_name="final_validations")
    round = models.PositiveSmallIntegerField(default=1, help_text="2 and up after continued development.")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    score = models.DecimalField(max_digits=4, decimal_places=1)
    threshold = models.DecimalField(max_digits=4, decimal_places=1)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    criteria = models.JSONField(help_text="Per criterion: target, actual, achievement, contribution, source, evidence.")
    achievements = models.JSONField(
        default=list, blank=True, help_text="Criteria whose actual beat the target, with the margin."
    )
    case_study_candidate = models.BooleanField(default=False)
    reason = models.CharField(max_length=400)
    config_version = models.PositiveIntegerField()
    config = models.JSONField(help_text="The settings used.")
    inputs_hash = models.CharField(max_length=64, help_text="SHA-256 of every input: same inputs, same hash.")
    computed_at = models.DateTimeField(auto_now_add=True)

    objects = FinalValidationQuerySet.as_manager()

    class Meta:
        ordering = ["guarantee", "-round"]
        constraints = [
            # Two triggers racing (day 30 and the last sign-off) still decide a round once.
            models.UniqueConstraint(
                fields=["guarantee", "round"],
                name="final_validation_once_per_round",
                violation_error_message="This guarantee already has a final validation for this round.",
            ),
        ]

    def __str__(self) -> str:
        return f"Final validation of guarantee {self.guarantee_id} (round {self.round}): {self.score}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordChangeError("A final validation cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordChangeError("A final validation cannot be deleted.")


class SuccessDocumentQuerySet(models.QuerySet["SuccessDocument"]):
    def visible_to(self, user: Any) -> SuccessDocumentQuerySet:
        return client_scope(self, user, "guarantee__project__customer_id").select_related(
            "guarantee__project__customer", "validation"
        )


class SuccessDocument(models.Model):
    """What a succeeded guarantee achieved: figures from its final validation, impact notes from the CSM."""

    guarantee = models.OneToOneField("guarantees.Guarantee", on_delete=models.PROTECT, related_name="success_document")
    validation = models.OneToOneField(FinalValidation, on_delete=models.PROTECT, related_name="success_document")
    summary = models.TextField()
    business_impact = models.TextField(blank=True, help_text="Business impact in the customer's terms (CSM).")
    case_study_candidate = models.BooleanField(default=False)
    impact_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SuccessDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Success document for guarantee {self.guarantee_id}"
