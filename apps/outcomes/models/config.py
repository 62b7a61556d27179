"""Configuration admins edit: the final-validation criteria per service type, case-study and remedy settings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.projects.models import ServiceType

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class OutcomeSettings(models.Model):
    """One row (pk=1): the case-study bar and the continued-development remedy."""

    case_study_min_score = models.DecimalField(
        max_digits=4, decimal_places=1, validators=PERCENT, help_text="Final score at or above this is a candidate."
    )
    case_study_min_satisfaction = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(0)], help_text="And satisfaction at or above."
    )
    extension_weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Continued development: weeks added, copied from the template's last weeks.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every admin save; stored with each result.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "outcome settings"
        verbose_name_plural = "outcome settings"

    def __str__(self) -> str:
        return f"Outcome settings v{self.version}"

    @classmethod
    def load(cls) -> OutcomeSettings:
        return cls.objects.get(pk=1)


class FinalCriterionConfig(models.Model):
    """One guarantee criterion of a service type, scored at final validation."""

    class Source(models.TextChoices):
        MILESTONE_MEAN = "milestone_mean", "Mean weekly milestone score (portal)"
        EVIDENCE = "evidence", "Latest evidence of a validation method (portal)"
        CSM_VALUE = "csm_value", "A figure the CSM enters with its source"
        CSM_REDUCTION = "csm_reduction", "Baseline and current counts the CSM enters (reduction %)"

    service_type = models.CharField(max_length=30, choices=ServiceType.choices)
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=120)
    weight = models.DecimalField(
        max_digits=4, decimal_places=3, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    target = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(max_length=20, blank=True, help_text='Shown after figures, for example "%" or "/10".')
    lower_is_better = models.BooleanField(default=False)
    source = models.CharField(max_length=20, choices=Source.choices)
    evidence_method = models.CharField(max_length=40, blank=True, help_text="For evidence: the validation method.")
    evidence_field = models.CharField(max_length=60, blank=True, help_text="For evidence: the field read from it.")
    is_satisfaction = models.BooleanField(default=False, help_text="The satisfaction figure the case-study bar reads.")
    input_help = models.CharField(max_length=300, blank=True, help_text="For CSM inputs: what to enter and from where.")

    class Meta:
        verbose_name_plural = "final validation criteria"
        ordering = ["service_type", "position", "id"]
        verbose_name = "final validation criterion"
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "key"],
                name="final_criterion_key_unique",
                violation_error_message="This service type already has a final criterion with this key.",
            ),
            models.CheckConstraint(
                condition=models.Q(target__gt=0),
                name="final_criterion_target_positive",
                violation_error_message="The target must be above zero.",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="evidence") | (~models.Q(evidence_method="") & ~models.Q(evidence_field="")),
                name="final_criterion_evidence_named",
                violation_error_message="A criterion measured from evidence needs the evidence method and field.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()}: {self.label} ({self.weight})"

    @property
    def entered_by_csm(self) -> bool:
        return self.source in (self.Source.CSM_VALUE, self.Source.CSM_REDUCTION)


class MigrationTaskTemplate(models.Model):
    """A step of the migration-assistance remedy; each approved claim gets its own tracked copy."""

    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    due_days = models.PositiveSmallIntegerField(help_text="Days after approval.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
