"""Stored health: the latest computation per customer (with every part) and one snapshot per customer per day."""

from __future__ import annotations

from django.db import models

from apps.retention.registry import BANDS, STRATEGIES


class HealthScore(models.Model):
    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="health")
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    band = models.CharField(max_length=20, choices=BANDS, blank=True)
    components_with_data = models.PositiveSmallIntegerField(default=0)
    components = models.JSONField(default=list, help_text="Each component with its parts, weights and reasons.")
    inputs = models.JSONField(default=dict, help_text="The figures the score was computed from.")
    weights = models.JSONField(default=dict, help_text="The configured weights used.")
    trend_30d = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    trend_90d = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    churn_risk = models.DecimalField(max_digits=4, decimal_places=1)
    churn_factors = models.JSONField(default=list)
    expansion = models.JSONField(default=list)
    expansion_potential = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    strategy = models.CharField(max_length=30, choices=STRATEGIES)
    strategy_rule = models.CharField(max_length=300)
    missing = models.JSONField(default=list)
    config_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["band"])]

    def __str__(self) -> str:
        return f"Health of {self.customer_id}: {self.score}"


class HealthSnapshot(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="health_snapshots")
    day = models.DateField()
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    band = models.CharField(max_length=20, choices=BANDS, blank=True)
    churn_risk = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["customer", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "day"],
                name="health_snapshot_daily",
                violation_error_message="A customer has one health snapshot a day.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} on {self.day}: {self.score}"
