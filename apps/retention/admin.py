"""Admins edit health weights, band limits, churn and strategy thresholds and expansion types here.

Any change raises the settings' version, so every stored score names the configuration it used.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from apps.core.admin_base import ReadOnlyAdmin
from apps.retention.models import (
    ExpansionType,
    HealthScore,
    HealthSettings,
    HealthWeight,
    Opportunity,
    Review,
    SurveyAnswer,
    Task,
    Touchpoint,
)


def bump_version() -> None:
    HealthSettings.objects.update(version=F("version") + 1)


class WeightFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """Component weights, and each component's part weights, must each sum to 1."""
        super().clean()
        sums: dict[str, Any] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            group = "components" if not data["part"] else data["component"]
            sums[group] = sums.get(group, 0) + data["weight"]
        wrong = [f"{group} sum to {total}" for group, total in sums.items() if total != 1]
        if wrong:
            raise ValidationError(f"Weights must sum to 1: {'; '.join(wrong)}.")


class WeightInline(admin.TabularInline):
    model = HealthWeight
    formset = WeightFormSet
    extra = 0


@admin.register(HealthSettings)
class HealthSettingsAdmin(admin.ModelAdmin):
    inlines = [WeightInline]
    readonly_fields = ["version", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not HealthSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            bump_version()


@admin.register(ExpansionType)
class ExpansionTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "multiplier", "base_probability", "qualified_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        bump_version()


@admin.register(HealthScore)
class HealthScoreAdmin(ReadOnlyAdmin):
    list_display = ["customer", "score", "band", "churn_risk", "strategy", "config_version", "computed_at"]
    list_filter = ["band", "strategy"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ReadOnlyAdmin):
    list_display = ["customer", "nps", "csat", "via", "answered_at"]


@admin.register(Touchpoint)
class TouchpointAdmin(ReadOnlyAdmin):
    list_display = ["customer", "kind", "occurred_on", "logged_by"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["customer", "reviewed_on", "sentiment", "recorded_by"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "customer", "owner", "due_on", "status"]
    list_filter = ["status", "kind"]


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "stage", "value", "probability", "owner", "won_value", "won_on", "identified_at"]
    list_filter = ["stage", "type", "source"]
