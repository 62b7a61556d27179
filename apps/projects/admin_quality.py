"""Admin of the quality gates: one settings page with its gates inline; runs are read-only records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.core.admin_base import ReadOnlyAdmin
from apps.projects.models_quality import QualityGate, QualityGateRun, QualityGateSettings


class QualityGateInline(admin.TabularInline):
    model = QualityGate
    extra = 0
    can_delete = False
    fields = ["position", "key", "direction", "threshold", "recommendation"]
    readonly_fields = ["key"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # one gate per metric, seeded; admins edit thresholds, directions and texts


@admin.register(QualityGateSettings)
class QualityGateSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code_weight", "delivery_weight", "process_weight", "escalate_below", "updated_at"]
    readonly_fields = ["version", "updated_at"]
    inlines = [QualityGateInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Every run keeps the version it used, so any edit (settings or a gate) must be a new version.
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            obj = form.instance
            obj.version += 1
            obj.save(update_fields=["version", "updated_at"])

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not QualityGateSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QualityGateRun)
class QualityGateRunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "project", "comprehensive", "gates_passed", "gates_checked", "escalate", "created_at"]
    list_filter = ["escalate", "source"]
    search_fields = ["project__name", "project__customer__name"]
