"""Quality gates: the thresholds admins edit (seeded by a data migration) and the runs, stored with every part."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.core.scoping import client_scope
from apps.projects import quality

NON_NEGATIVE = [MinValueValidator(0)]
GATE_CHOICES = [(key, metric.label) for key, metric in quality.METRICS.items()]
DIRECTION_CHOICES = [(d.value, quality.DIRECTION_LABELS[d]) for d in quality.Direction]


class QualityGateSettings(models.Model):
    """The family weights and the escalation rule (one row, pk=1); the gates hang off it."""

    code_weight = models.DecimalField(max_digits=4, decimal_places=3, validators=NON_NEGATIVE)
    delivery_weight = models.DecimalField(max_digits=4, decimal_places=3, validators=NON_NEGATIVE)
    process_weight = models.DecimalField(max_digits=4, decimal_places=3, validators=NON_NEGATIVE)
    escalate_below = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Escalate when the comprehensive score is under this.",
    )
    escalate_failed_over = models.PositiveSmallIntegerField(help_text="Escalate when more gates than this fail.")
    signoff_grace_days = models.PositiveSmallIntegerField(
        help_text="Days approvers have to answer a sign-off request, from the due date (or the later sending day).",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every admin save; stored with each run.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "quality gate settings"
        verbose_name_plural = "quality gate settings"

    def __str__(self) -> str:
        return f"Quality gate settings v{self.version}"

    def clean(self) -> None:
        if self.code_weight + self.delivery_weight + self.process_weight <= 0:
            raise ValidationError("At least one family needs a weight above 0.")

    @classmethod
    def load(cls) -> QualityGateSettings:
        return cls.objects.get(pk=1)

    def weights(self) -> dict[str, Decimal]:
        return {
            quality.CODE: self.code_weight,
            quality.DELIVERY: self.delivery_weight,
            quality.PROCESS: self.process_weight,
        }

    def to_config(self) -> quality.GateConfig:
        gates = tuple(
            quality.GateRule(g.key, g.threshold, g.direction, g.recommendation) for g in self.gates.order_by("position")
        )
        return quality.GateConfig(gates, self.weights(), self.escalate_below, self.escalate_failed_over, self.version)

    def snapshot(self) -> dict[str, Any]:
        """What a run keeps of the configuration it used."""
        return {
            "version": self.version,
            "weights": {family: str(weight) for family, weight in self.weights().items()},
            "escalate_below": str(self.escalate_below),
            "escalate_failed_over": self.escalate_failed_over,
            "signoff_grace_days": self.signoff_grace_days,
            "gates": [
                {"key": g.key, "threshold": str(g.threshold), "direction": g.direction}
                for g in self.gates.order_by("position")
            ],
        }


class QualityGate(models.Model):
    """One gate: its metric, threshold and direction, and what to recommend when it fails."""

    gate_settings = models.ForeignKey(QualityGateSettings, on_delete=models.CASCADE, related_name="gates")
    key = models.CharField(max_length=40, choices=GATE_CHOICES, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    threshold = models.DecimalField(max_digits=10, decimal_places=2)
    direction = models.CharField(max_length=10, choices=DIRECTION_CHOICES)
    recommendation = models.TextField(help_text="Shown when this gate fails.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return (
            f"{self.get_key_display()} {quality.DIRECTION_LABELS[quality.Direction(self.direction)]} {self.threshold}"
        )

    def clean(self) -> None:
        if self.key in quality.METRICS and self.threshold is not None:
            message = quality.check_metric(self.key, Decimal(self.threshold))
            if message:
                raise ValidationError({"threshold": message})


class QualityGateRunQuerySet(models.QuerySet["QualityGateRun"]):
    def visible_to(self, user: Any) -> QualityGateRunQuerySet:
        return client_scope(self, user, "project__customer_id")


class QualityGateRun(models.Model):
    """One check of a project's quality gates: the metrics, the process measures and their sources, the verdict."""

    class Source(models.TextChoices):
        API = "api", "API (from CI)"
        STAFF = "staff", "Customer success manager"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="quality_gate_runs")
    source = models.CharField(max_length=10, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_label = models.CharField(max_length=254)
    metrics = models.JSONField(default=dict, blank=True, help_text="The code and delivery metrics as posted.")
    process = models.JSONField(default=dict, blank=True, help_text="Each process measure, its count and its records.")
    families = models.JSONField(default=dict, help_text="Per family: score, weight, share and gates.")
    comprehensive = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    escalate = models.BooleanField(default=False)
    escalation_reasons = models.JSONField(default=list, blank=True)
    recommendations = models.JSONField(default=list, blank=True)
    gates_passed = models.PositiveSmallIntegerField(default=0)
    gates_checked = models.PositiveSmallIntegerField(default=0)
    config = models.JSONField(help_text="The quality gate settings used.")
    config_version = models.PositiveIntegerField()
    evidence = models.ManyToManyField(
        "guarantees.Evidence",
        blank=True,
        related_name="quality_gate_runs",
        help_text="The automated quality check evidence versions this run recorded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QualityGateRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gates_passed__lte=models.F("gates_checked")),
                name="quality_run_passed_le_checked",
                violation_error_message="A run cannot pass more gates than it checked.",
            ),
        ]

    def __str__(self) -> str:
        return f"Quality gate run #{self.pk} of {self.project_id}"

    @property
    def gates_failed(self) -> int:
        return self.gates_checked - self.gates_passed
