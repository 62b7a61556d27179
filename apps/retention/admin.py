"""Admins edit health weights, band limits, churn and strategy thresholds and expansion types here.

Any change raises the settings' version, so every stored score names the configuration it used.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.forms import Textarea
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from apps.core.admin_base import ReadOnlyAdmin
from apps.retention.models import (
    ExpansionType,
    HealthScore,
    HealthSettings,
    HealthWeight,
    Opportunity,
    Playbook,
    PlaybookAction,
    PlaybookRun,
    PlaybookSettings,
    Review,
    SurveyAnswer,
    Task,
    Touchpoint,
)
from apps.retention.registry import STRATEGIES
from apps.retention.selectors import NO_RUNS, playbook_stats


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


class PlaybookActionInline(admin.TabularInline):
    model = PlaybookAction
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 30})}}
    fields = ["position", "title", "owner_role", "priority", "expected_impact", "cost", "due_in_days", "detail"]


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    """One playbook per strategy; its actions become a run's tasks. Success rate: worked / closed runs with outcome."""

    inlines = [PlaybookActionInline]
    list_display = ["name", "strategy", "action_count", "success"]
    readonly_fields = ["success"]

    def get_queryset(self, request: HttpRequest) -> Any:
        self._stats = playbook_stats()
        return super().get_queryset(request).prefetch_related("actions")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return Playbook.objects.count() < len(STRATEGIES)  # one per strategy

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Actions")
    def action_count(self, obj: Playbook) -> int:
        return len(obj.actions.all())

    @admin.display(description="Success rate")
    def success(self, obj: Playbook) -> str:
        stats = getattr(self, "_stats", None) or playbook_stats()
        s = stats.get(obj.pk, NO_RUNS)
        if s.success_rate is None:
            return f"No outcome yet (n = 0; {s.running} running, {s.closed} closed)"
        return f"{s.success_rate}% (n = {s.with_outcome})"


@admin.register(PlaybookSettings)
class PlaybookSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outcome_after_days", "worked_delta"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PlaybookSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlaybookRun)
class PlaybookRunAdmin(ReadOnlyAdmin):
    list_display = ["playbook", "customer", "status", "trigger", "started_at", "health_at_start", "health_delta"]
    list_filter = ["status", "playbook", "worked"]
    readonly_fields = ["outcome_reason"]
