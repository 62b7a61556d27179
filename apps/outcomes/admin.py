"""Admins edit the final-validation criteria, case-study bar and remedy steps; results and money are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from apps.audit.services import record_event
from apps.core.admin_base import ReadOnlyAdmin
from apps.outcomes.models import (
    Claim,
    FinalCriterionConfig,
    FinalInput,
    FinalValidation,
    MigrationTaskTemplate,
    OutcomeSettings,
    Payout,
    SuccessDocument,
)


class VersionedConfigAdmin(admin.ModelAdmin):
    """Every saved change moves the outcome settings version on, so each result says which configuration it used."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            OutcomeSettings.objects.filter(pk=1).update(version=F("version") + 1)
            version = OutcomeSettings.objects.values_list("version", flat=True).get(pk=1)
            record_event(
                action="outcomes.config_changed",
                obj=obj,
                actor=request.user,
                data={"fields": list(form.changed_data), "version": version},
            )


@admin.register(OutcomeSettings)
class OutcomeSettingsAdmin(VersionedConfigAdmin):
    readonly_fields = ["version", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not OutcomeSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FinalCriterionConfig)
class FinalCriterionConfigAdmin(VersionedConfigAdmin):
    list_display = ["label", "service_type", "weight", "target", "unit", "source", "lower_is_better"]
    list_filter = ["service_type", "source"]
    ordering = ["service_type", "position"]


@admin.register(MigrationTaskTemplate)
class MigrationTaskTemplateAdmin(VersionedConfigAdmin):
    list_display = ["title", "position", "due_days"]


@admin.register(FinalValidation)
class FinalValidationAdmin(ReadOnlyAdmin):
    list_display = ["guarantee", "round", "score", "threshold", "outcome", "trigger", "computed_at"]
    list_filter = ["outcome", "trigger"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "guarantee", "remedy", "status", "amount", "opened_at"]
    list_filter = ["remedy", "status"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["guarantee", "amount", "status", "reference", "approved_at", "paid_at"]
    list_filter = ["status"]


@admin.register(FinalInput)
class FinalInputAdmin(ReadOnlyAdmin):
    list_display = ["guarantee", "key", "value", "baseline", "current", "entered_by", "entered_at"]


@admin.register(SuccessDocument)
class SuccessDocumentAdmin(ReadOnlyAdmin):
    list_display = ["guarantee", "case_study_candidate", "created_at"]
    list_filter = ["case_study_candidate"]
