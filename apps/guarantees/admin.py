"""Admin: the configuration managers edit (templates, validation settings, action wording) and read-only records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from apps.core.admin_base import ReadOnlyAdmin
from apps.guarantees import methods
from apps.guarantees.models import (
    EscalationText,
    Evidence,
    Guarantee,
    GuaranteeTemplate,
    MethodSettings,
    Milestone,
    MilestoneAction,
    RecoveryText,
    SignOff,
    TemplateCriterion,
    TemplateMilestone,
)


class TemplateMilestoneInline(admin.TabularInline):
    model = TemplateMilestone
    extra = 0
    fields = ["week", "title", "due_day", "pass_threshold", "escalation_threshold"]
    show_change_link = True


@admin.register(GuaranteeTemplate)
class GuaranteeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "service_type", "duration_days"]
    inlines = [TemplateMilestoneInline]


class CriteriaFormSet(forms.BaseInlineFormSet):
    """A week's weights must sum to 1, or every score of it would be off; running guarantees keep their copy."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        total = sum((f.cleaned_data["weight"] for f in kept), Decimal(0))
        if kept and abs(total - 1) > Decimal("0.001"):
            raise forms.ValidationError(f"The criterion weights of a week must sum to 1 (they sum to {total}).")


class TemplateCriterionInline(admin.TabularInline):
    model = TemplateCriterion
    formset = CriteriaFormSet
    extra = 0
    fields = ["position", "key", "name", "weight", "method"]


@admin.register(TemplateMilestone)
class TemplateMilestoneAdmin(admin.ModelAdmin):
    list_display = ["template", "week", "title", "due_day", "pass_threshold", "escalation_threshold"]
    list_filter = ["template"]
    inlines = [TemplateCriterionInline]


SETTINGS_FIELDS = [
    *methods.MethodSettings.__dataclass_fields__,
    "target_uptime_percent",
    "complete_at",
    "recovery_action_limit",
    "action_due_days",
    "reminder_days_before",
    "reminder_days_after",
]


class MethodSettingsForm(forms.ModelForm):
    class Meta:
        model = MethodSettings
        fields = SETTINGS_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        names = methods.MethodSettings.__dataclass_fields__
        if not self.errors:
            try:
                methods.MethodSettings(**{name: cleaned[name] for name in names})
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return cleaned


@admin.register(MethodSettings)
class MethodSettingsAdmin(admin.ModelAdmin):
    form = MethodSettingsForm
    list_display = ["__str__", "updated_at"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request: HttpRequest, obj: MethodSettings, form: Any, change: bool) -> None:
        # Every stored score keeps the version it used, so an edit must be a new version.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MethodSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RecoveryText)
class RecoveryTextAdmin(admin.ModelAdmin):
    list_display = ["method", "title"]


@admin.register(EscalationText)
class EscalationTextAdmin(admin.ModelAdmin):
    list_display = ["position", "title"]


@admin.register(Guarantee)
class GuaranteeAdmin(ReadOnlyAdmin):
    list_display = ["project", "status", "amount", "threshold", "starts_on", "ends_on"]
    list_filter = ["status", "service_type"]
    search_fields = ["project__name", "project__customer__name"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["guarantee", "week", "status", "score", "review", "round", "due_date"]
    list_filter = ["status", "review"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["criterion", "version", "score", "source", "submitted_by_label", "created_at"]
    list_filter = ["source", "method"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "round", "stakeholder", "decision", "decided_at", "ip"]
    list_filter = ["decision"]


@admin.register(MilestoneAction)
class MilestoneActionAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "round", "kind", "title", "assignee", "due_on", "status"]
    list_filter = ["kind", "status"]
