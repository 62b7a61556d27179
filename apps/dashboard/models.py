"""KPI targets (admin-edited configuration) and the daily snapshots the 90-day trends are drawn from."""

from __future__ import annotations

from django.db import models


class KpiTarget(models.Model):
    """The target of one KPI of the registry (`apps.dashboard.kpis.REGISTRY`); seeded with DOMAIN.md's defaults."""

    key = models.SlugField(max_length=60, unique=True, help_text="The KPI's key in the registry.")
    target = models.DecimalField(max_digits=8, decimal_places=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "KPI target"
        verbose_name_plural = "KPI targets"

    def __str__(self) -> str:
        return f"{self.key}: {self.target}"


class KpiSnapshot(models.Model):
    """One KPI's reading for the whole book on one day (written by a daily task; the same day is overwritten)."""

    key = models.SlugField(max_length=60)
    day = models.DateField()
    value = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=1, null=True, blank=True)
    denominator = models.PositiveIntegerField(default=0)
    target = models.DecimalField(max_digits=8, decimal_places=1)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "day"]
        verbose_name = "KPI snapshot"
        verbose_name_plural = "KPI snapshots"
        constraints = [
            models.UniqueConstraint(
                fields=["key", "day"],
                name="kpi_snapshot_once_a_day",
                violation_error_message="A KPI has one snapshot a day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} on {self.day}: {self.value}"
