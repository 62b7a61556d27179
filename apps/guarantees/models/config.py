"""Configuration admins edit: milestone templates per service type, method numbers, action wording."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.guarantees import methods
from apps.projects.models import ServiceType

METHOD_CHOICES = [(spec.key, spec.label) for spec in methods.METHODS.values()]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
NON_NEGATIVE = [MinValueValidator(0)]


def _decimal(digits: int = 6, places: int = 2, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(max_digits=digits, decimal_places=places, **kwargs)


class MethodSettings(models.Model):
    """The numbers inside the validation rules and the guarantee's routine (one row, pk=1)."""

    testing_coverage_weight = _decimal(4, 3, validators=NON_NEGATIVE)
    testing_pass_rate_weight = _decimal(4, 3, validators=NON_NEGATIVE)
    integration_undocumented_factor = _decimal(4, 3, validators=NON_NEGATIVE)
    security_critical_penalty = _decimal(validators=NON_NEGATIVE)
    security_high_penalty = _decimal(validators=NON_NEGATIVE)
    security_medium_penalty = _decimal(validators=NON_NEGATIVE)
    security_low_penalty = _decimal(validators=NON_NEGATIVE)
    performance_response_weight = _decimal(4, 3, validators=NON_NEGATIVE)
    performance_throughput_weight = _decimal(4, 3, validators=NON_NEGATIVE)
    performance_error_weight = _decimal(4, 3, validators=NON_NEGATIVE)
    survey_full_response_rate_percent = _decimal(5, 2, validators=PERCENT)
    target_uptime_percent = _decimal(5, 2, validators=PERCENT, help_text="Suggested uptime target.")
    complete_at = _decimal(5, 1, validators=PERCENT, help_text="A criterion is complete at this score.")
    recovery_action_limit = models.PositiveSmallIntegerField(help_text="Recovery actions for the N weakest criteria.")
    action_due_days = models.PositiveSmallIntegerField(help_text="Days until a new recovery action is due.")
    reminder_days_before = models.PositiveSmallIntegerField(help_text="Remind approvers this many days before due.")
    reminder_days_after = models.PositiveSmallIntegerField(help_text="Remind approvers again this many days after.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every admin save; stored with each score.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "validation settings"
        verbose_name_plural = "validation settings"

    def __str__(self) -> str:
        return f"Validation settings v{self.version}"

    @classmethod
    def load(cls) -> MethodSettings:
        return cls.objects.get(pk=1)

    def to_config(self) -> methods.MethodSettings:
        names = [f.name for f in methods.MethodSettings.__dataclass_fields__.values()]
        return methods.MethodSettings(**{name: getattr(self, name) for name in names})

    def snapshot(self) -> dict[str, str]:
        """What a stored score keeps of the settings it used."""
        names = [*methods.MethodSettings.__dataclass_fields__, "complete_at", "version"]
        return {name: str(getattr(self, name)) for name in names}


class RecoveryText(models.Model):
    """How to recover a criterion of one validation method. Placeholders: {criterion}, {score}, {weight},
    {pass_threshold}, {escalation_threshold}, {milestone_score}."""

    method = models.CharField(max_length=40, choices=METHOD_CHOICES, unique=True)
    title = models.CharField(max_length=200)
    detail = models.TextField()

    class Meta:
        ordering = ["method"]

    def __str__(self) -> str:
        return self.title


class EscalationText(models.Model):
    """The steps taken when a week fails (same placeholders as recovery texts, minus the criterion ones)."""

    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    detail = models.TextField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class GuaranteeTemplate(models.Model):
    service_type = models.CharField(max_length=30, choices=ServiceType.choices, unique=True)
    name = models.CharField(max_length=120)
    duration_days = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["service_type"]

    def __str__(self) -> str:
        return self.name


class TemplateMilestone(models.Model):
    template = models.ForeignKey(GuaranteeTemplate, on_delete=models.CASCADE, related_name="milestones")
    week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=150)
    due_day = models.PositiveSmallIntegerField(help_text="Days after activation.", validators=[MinValueValidator(1)])
    pass_threshold = _decimal(4, 1, validators=PERCENT)
    escalation_threshold = _decimal(4, 1, validators=PERCENT)

    class Meta:
        ordering = ["template", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "week"],
                name="template_week_unique",
                violation_error_message="This template already has a milestone for this week.",
            ),
            models.CheckConstraint(
                condition=models.Q(escalation_threshold__lte=models.F("pass_threshold")),
                name="template_escalation_le_pass",
                violation_error_message="The escalation threshold must not be above the pass threshold.",
            ),
        ]

    def __str__(self) -> str:
        return f"W{self.week} {self.title}"

    def weights_total(self) -> Decimal:
        return sum((c.weight for c in self.criteria.all()), Decimal(0))


class TemplateCriterion(models.Model):
    milestone = models.ForeignKey(TemplateMilestone, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=150)
    weight = _decimal(4, 3, validators=[MinValueValidator(0), MaxValueValidator(1)])
    method = models.CharField(max_length=40, choices=METHOD_CHOICES)

    class Meta:
        verbose_name_plural = "template criteria"
        ordering = ["milestone", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "key"],
                name="template_criterion_key_unique",
                violation_error_message="This milestone already has a criterion with this key.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}, {self.method})"
