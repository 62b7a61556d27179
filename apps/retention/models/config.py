"""Health, churn and strategy configuration that admins edit; seeded with DOMAIN.md's defaults by a migration.

Every change in the admin raises `HealthSettings.version`; each stored score names the version it used.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.retention.registry import COMPONENT_KEYS, LABELS, PART_KEYS

ZERO_TO_ONE = [MinValueValidator(0), MaxValueValidator(1)]
ZERO_TO_HUNDRED = [MinValueValidator(0), MaxValueValidator(100)]
POSITIVE = [MinValueValidator(0)]


def _dec(validators: list, help_text: str = "", places: int = 1) -> models.DecimalField:
    return models.DecimalField(max_digits=6, decimal_places=places, validators=validators, help_text=help_text)


class HealthSettings(models.Model):
    """The single row of scalar settings for health, churn risk, strategies and surveys."""

    version = models.PositiveIntegerField(default=1, editable=False, help_text="Raised on every change.")
    excellent_from = _dec(ZERO_TO_HUNDRED, "Band limits compare the rounded score.")
    good_from = _dec(ZERO_TO_HUNDRED)
    fair_from = _dec(ZERO_TO_HUNDRED)
    at_risk_from = _dec(ZERO_TO_HUNDRED, "Under this: critical.")
    active_days_target = _dec(POSITIVE, "Distinct active days in 30 that score 100.")
    touchpoints_target = _dec(POSITIVE, "Touchpoints in 30 days that score 100.")
    escalation_penalty = _dec(POSITIVE, "Points off the open-escalations part per open escalation.")
    detractor_max = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    promoter_min = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    satisfaction_trigger = _dec(POSITIVE, "Mean CSAT at which the satisfaction expansion trigger holds.")
    churn_health_multiplier = _dec(POSITIVE, "Churn points per point of health under 100.", places=3)
    churn_missing_health_points = _dec(POSITIVE, "The low-health term when there is no health score.")
    churn_falling_trend_drop = _dec(POSITIVE, "A 30-day fall of at least this much counts.")
    churn_falling_trend_points = _dec(POSITIVE)
    churn_open_escalation_points = _dec(POSITIVE)
    churn_detractor_points = _dec(POSITIVE)
    churn_inactive_points = _dec(POSITIVE)
    churn_cap = _dec(POSITIVE)
    critical_health_below = _dec(ZERO_TO_HUNDRED)
    critical_churn_at = _dec(ZERO_TO_HUNDRED)
    recovery_health_below = _dec(ZERO_TO_HUNDRED)
    recovery_escalations_at = models.PositiveSmallIntegerField()
    improvement_health_below = _dec(ZERO_TO_HUNDRED)
    expansion_potential_at = _dec(ZERO_TO_HUNDRED)
    expansion_satisfaction_at = _dec(ZERO_TO_HUNDRED)
    survey_interval_days = models.PositiveSmallIntegerField(help_text="A scheduled survey per customer this often.")
    survey_link_days = models.PositiveSmallIntegerField(help_text="A survey link expires after this many days.")
    follow_up_working_days = models.PositiveSmallIntegerField(help_text="A detractor's follow-up is due after this.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "health settings"
        verbose_name_plural = "health settings"

    def __str__(self) -> str:
        return f"Health settings (version {self.version})"


class HealthWeight(models.Model):
    """A component's weight in the score (part blank) or a part's weight within its component."""

    COMPONENT_CHOICES = [(key, LABELS[key]) for key in COMPONENT_KEYS]
    PART_CHOICES = [("", "(the component itself)")] + [(p, LABELS[p]) for c in COMPONENT_KEYS for p in PART_KEYS[c]]

    settings = models.ForeignKey(HealthSettings, on_delete=models.CASCADE, related_name="weights")
    component = models.CharField(max_length=30, choices=COMPONENT_CHOICES)
    part = models.CharField(max_length=30, choices=PART_CHOICES, blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=3, validators=ZERO_TO_ONE)

    class Meta:
        ordering = ["settings", "component", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "component", "part"],
                name="health_weight_once",
                violation_error_message="This component or part already has a weight.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component}.{self.part or '*'} = {self.weight}"


class ExpansionType(models.Model):
    """An expansion opportunity type: its three triggers, value multiplier and base probability."""

    key = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    triggers = models.JSONField(help_text="Signal keys; portal signals and review signals.")
    multiplier = models.DecimalField(max_digits=5, decimal_places=2, validators=POSITIVE)
    base_probability = models.DecimalField(max_digits=4, decimal_places=3, validators=ZERO_TO_ONE)
    qualified_at = models.PositiveSmallIntegerField(help_text="Triggers met to be qualified.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.label
