from __future__ import annotations

from django.contrib import admin

from apps.core.admin_base import ReadOnlyAdmin
from apps.dashboard.kpis import REGISTRY
from apps.dashboard.models import KpiSnapshot, KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "target", "direction", "updated_at"]
    readonly_fields = ["key"]

    @admin.display(description="KPI")
    def name(self, obj: KpiTarget) -> str:
        kpi = REGISTRY.get(obj.key)
        return kpi.name if kpi else obj.key

    @admin.display(description="Direction")
    def direction(self, obj: KpiTarget) -> str:
        kpi = REGISTRY.get(obj.key)
        return "" if kpi is None else ("at least" if kpi.direction == "at_least" else "at most")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["key", "day", "value", "numerator", "denominator", "target"]
    list_filter = ["key"]
    date_hierarchy = "day"
